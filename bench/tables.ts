/**
 * Seeded synthetic IPv4 route tables and lookup keys, shaped like the ones in
 * research/performance.md §2.1, shared by the LPM benchmark and the LPM conformance suite.
 *
 *  - Prefix lengths follow today's DFZ mix: /24 60 %, /23 10 %, /22 12.6 %, /21 5.3 %, /20 4.5 %,
 *    /19 2.5 %, /18 1.4 %, /17 0.85 %, /16 1.4 %, /8–/15 0.45 % (mostly /14–/15), /25–/32 1 %.
 *  - Networks are uniform in 1.0.0.0–223.255.255.255 (real tables cluster; uniform is harder on
 *    caches and makes more ranges), unique by (net, len). Entry i has value i.
 *  - Keys: half are a random address inside a random table prefix (a guaranteed hit), half are
 *    uniform in 1.0.0.0–223.255.255.255.
 * The generator is mulberry32 seeded with `0xC0FFEE ^ N` unless a seed is given, so every run and
 * every implementation sees the same table.
 */
import { maskOf } from "../src/core/ip.js";
import type { LpmEntry } from "../src/route/lpm.js";

export { formatIpv4 } from "../src/core/ip.js";

/** mulberry32: a tiny 32-bit PRNG; returns uint32s. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * DFZ-like length mix as [len, weight in thousandths of a percent]. Within /8–/15 the weights
 * follow today's table (a handful of /8s, thousands of /15s), which keeps the share of addresses
 * under some prefix near the research figures (hit rate ~86 % at 1 M prefixes).
 */
const LENGTH_MIX: ReadonlyArray<readonly [number, number]> = [
  [24, 60000], [23, 10000], [22, 12600], [21, 5300], [20, 4500], [19, 2500], [18, 1400], [17, 850], [16, 1400],
  // /8–/15: 0.45 % together
  [8, 2], [9, 1], [10, 4], [11, 11], [12, 32], [13, 63], [14, 126], [15, 211],
  // /25–/32: 1 % together
  [25, 125], [26, 125], [27, 125], [28, 125], [29, 125], [30, 125], [31, 125], [32, 125],
];
const MIX_TOTAL = LENGTH_MIX.reduce((s, [, w]) => s + w, 0);

const LOW = 0x01000000; // 1.0.0.0
const SPAN = 0xe0000000 - LOW; // up to 223.255.255.255

function pickLen(rand: () => number): number {
  let x = rand() % MIX_TOTAL;
  for (const [len, w] of LENGTH_MIX) {
    if (x < w) return len;
    x -= w;
  }
  return 24;
}

/** `n` unique prefixes with values 0..n-1. */
export function makeTable(n: number, seed = 0xc0ffee ^ n): LpmEntry[] {
  const rand = mulberry32(seed);
  const seen = new Set<number>();
  const out: LpmEntry[] = [];
  while (out.length < n) {
    const len = pickLen(rand);
    const net = ((LOW + (rand() % SPAN)) & maskOf(len)) >>> 0;
    const id = net * 64 + len;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ net, len, value: out.length });
  }
  return out;
}

/** `count` keys: even positions inside a random table prefix, odd positions uniform. */
export function makeKeys(table: readonly LpmEntry[], count: number, seed = 0x5eed ^ table.length): Uint32Array {
  const rand = mulberry32(seed);
  const keys = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const e = table.length > 0 && i % 2 === 0 ? table[rand() % table.length] : undefined;
    keys[i] = e === undefined ? LOW + (rand() % SPAN) : (e.net | (rand() & ~maskOf(e.len))) >>> 0;
  }
  return keys;
}
