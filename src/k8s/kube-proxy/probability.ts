/**
 * The `--probability` text of kube-proxy's load-balancing rules: Go's
 * `fmt.Sprintf("%0.10f", 1.0/float64(n))` (proxier.go computeProbability). Rule i of n
 * endpoints (0-based, all but the last) gets 1/(n-i), so each endpoint ends up with 1/n.
 *
 * Go formats the exact binary value of the float64 and rounds a true decimal tie half to even;
 * JS `toFixed` rounds ties up, and the two differ e.g. at n = 2048 (1/2048 = 0.00048828125 exactly:
 * Go `0.0004882812`, toFixed `0.0004882813`). So the float64 is expanded exactly with BigInt.
 */

const DIGITS = 10;

/** `%0.<digits>f` of a non-negative finite float64, as Go (and glibc) print it. */
export function formatFixedHalfEven(x: number, digits: number): string {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`formatFixedHalfEven: ${x}`);
  // x = mantissa * 2^exp exactly.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mantissa |= 1n << 52n;
    exp = biased - 1075;
  }
  // value * 10^digits = num / den, exactly.
  let num = mantissa * 10n ** BigInt(digits);
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  const text = q.toString().padStart(digits + 1, "0");
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** kube-proxy's probability for the rule that picks among `n` remaining endpoints. */
export function probability(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`probability: n must be a positive integer, got ${n}`);
  return formatFixedHalfEven(1 / n, DIGITS);
}
