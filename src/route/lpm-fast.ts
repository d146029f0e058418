/**
 * The fast longest-prefix match the packet path uses: prefixes flattened into address ranges,
 * found through an index on the top k address bits whose size follows the table's size.
 *
 * Background: DXR (Zec, Rizzo, Mikuc, CCR 2012) — a longest-prefix-match table is the same thing
 * as a partition of the address space into ranges, each carrying the value of its most specific
 * covering prefix, and that partition is small and searchable. Unlike DXR's fixed 2^16/2^20 direct
 * table, k here is chosen from the number of ranges, so a 100-route namespace table costs a few KiB
 * and a full BGP table stays near 12 bytes per prefix.
 *
 * Layout (all typed arrays, no per-route objects):
 *  - ranges: the address space cut into R ranges sorted by start, adjacent ranges with equal value
 *    merged; range 0 starts at 0.0.0.0 and gaps carry "no match". R <= 2N + 1.
 *  - ents (Uint32Array, R): one word per range, `(start << k) | code` — the low 32-k bits of the
 *    start in the high part, the value code in the low k bits. Comparing an entry with
 *    `(addr << k) | (2^k - 1)` compares the starts' low bits, so one load gives both the key and
 *    the value. code = value + 1 (0 = no match), or, when values are too large for k bits, an index
 *    into `vals`.
 *  - idx (Uint32Array, 2^k + 1): idx[b] = first range whose start is >= b << (32 - k). The ranges
 *    starting inside bucket b are idx[b] .. idx[b+1]-1, and range idx[b]-1 covers the bucket's
 *    first address, so a lookup scans only the ranges that start inside its own bucket.
 *  k = floor(log2 R) (at least 4, and enough bits for the value codes), so 2^k <= R and the whole
 *  table is at most 8 R + small <= 16 N + small bytes whenever the codes fit that k.
 *
 * Lookup: one load from idx (two adjacent words), then a short forward scan over the bucket's
 * ranges — about two per bucket on average, bounded by the bucket's population.
 */
import type { Lpm, LpmEntry } from "./lpm.js";

/** Smallest and largest index width in bits. 2^26 buckets would mean ~64 M ranges. */
const K_MIN = 4;
const K_MAX = 26;
/** Rough V8 cost of one typed array (JSTypedArray + JSArrayBuffer + backing-store record), and of one object. */
const TYPED_ARRAY_OVERHEAD = 200;
const OBJECT_OVERHEAD = 64;

/** Throws RangeError on an entry that breaks the `LpmEntry` contract (a caller bug, not user input). */
function checkEntry(e: LpmEntry, at: number): void {
  const ok =
    Number.isInteger(e.len) && e.len >= 0 && e.len <= 32 &&
    Number.isInteger(e.net) && e.net >= 0 && e.net <= 0xffffffff &&
    (e.len === 32 || e.net % 2 ** (32 - e.len) === 0) &&
    Number.isInteger(e.value) && e.value >= 0 && e.value <= 0x7fffffff;
  if (!ok) throw new RangeError(`lpm entry ${at}: invalid prefix ${e.net}/${e.len} -> ${e.value}`);
}

/** Number of bits needed to write x (x >= 0): 0 -> 0, 1 -> 1, 5000 -> 13. */
function bitsFor(x: number): number {
  return 32 - Math.clz32(x);
}

/** One LSD radix pass: stable-sorts `src` into `dst` by the digit `(key[i] >>> shift) & (2^width - 1)`. */
function radixPass(src: Uint32Array, dst: Uint32Array, key: Uint32Array, shift: number, width: number): void {
  const count = new Uint32Array((1 << width) + 1);
  const dmask = (1 << width) - 1;
  const n = src.length;
  for (let i = 0; i < n; i++) count[((key[src[i]!]! >>> shift) & dmask) + 1]!++;
  for (let d = 1; d < count.length; d++) count[d]! += count[d - 1]!;
  for (let i = 0; i < n; i++) {
    const j = src[i]!;
    dst[count[(key[j]! >>> shift) & dmask]!++] = j;
  }
}

/** Entry indices ordered by (net ascending, len ascending): parents before the prefixes they contain. */
function sortByNetThenLen(nets: Uint32Array, lens: Uint32Array): Uint32Array {
  const n = nets.length;
  let a = new Uint32Array(n);
  let b = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  // Least significant key first: len (6 bits), then net in three digits of 11, 11 and 10 bits.
  radixPass(a, b, lens, 0, 6);
  [a, b] = [b, a];
  for (const shift of [0, 11, 22]) {
    radixPass(a, b, nets, shift, 11);
    [a, b] = [b, a];
  }
  return a;
}

/** The address space as ranges [starts[i], starts[i+1]) with values vals[i] (-1: no match). */
interface Ranges {
  readonly count: number;
  readonly starts: Uint32Array;
  readonly values: Int32Array;
}

/**
 * Sweeps the prefixes in (net, len) order with a stack of open prefixes (at most 33 deep, since
 * nested prefixes have strictly growing lengths) and writes one range per change of value.
 */
function flatten(entries: readonly LpmEntry[]): Ranges {
  const n = entries.length;
  const nets = new Uint32Array(n);
  const lens = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    checkEntry(e, i);
    nets[i] = e.net;
    lens[i] = e.len;
  }
  const order = sortByNetThenLen(nets, lens);

  const starts = new Uint32Array(2 * n + 1);
  const values = new Int32Array(2 * n + 1);
  let count = 0;
  // Starts a range at `start` with value v. A later range at the same start replaces the earlier
  // one (it is more specific, or it is what follows several prefixes closing at once), and a range
  // whose value equals its predecessor's is merged into it.
  const open = (start: number, v: number): void => {
    if (count > 0 && starts[count - 1] === start) count--;
    if (count > 0 && values[count - 1] === v) return;
    starts[count] = start;
    values[count] = v;
    count++;
  };

  const stackEnd = new Float64Array(33); // last address of each open prefix
  const stackVal = new Int32Array(33);
  let depth = 0;
  const closeBefore = (addr: number): void => {
    while (depth > 0 && stackEnd[depth - 1]! < addr) {
      const after = stackEnd[depth - 1]! + 1;
      depth--;
      if (after <= 0xffffffff) open(after, depth > 0 ? stackVal[depth - 1]! : -1);
    }
  };

  open(0, -1);
  for (let r = 0; r < n; r++) {
    const e = entries[order[r]!]!;
    closeBefore(e.net);
    open(e.net, e.value);
    stackEnd[depth] = e.net + 2 ** (32 - e.len) - 1;
    stackVal[depth] = e.value;
    depth++;
  }
  closeBefore(2 ** 32);
  return { count, starts, values };
}

class RangeLpm implements Lpm {
  constructor(
    readonly size: number,
    /** Index width: buckets are the top k bits of an address. */
    private readonly k: number,
    /** 32 - k: an address's bucket is addr >>> shift. */
    private readonly shift: number,
    /** 2^k - 1: the code bits of an entry. */
    private readonly codeMask: number,
    /** Codes are value + 1 (true), or indices into `vals` (false). */
    private readonly direct: boolean,
    private readonly idx: Uint32Array,
    private readonly ents: Uint32Array,
    private readonly vals: Int32Array,
  ) {}

  lookup(addr: number): number {
    const idx = this.idx;
    const ents = this.ents;
    const b = addr >>> this.shift;
    const end = idx[b + 1]!;
    const key = ((addr << this.k) | this.codeMask) >>> 0;
    let i = idx[b]! - 1;
    while (i + 1 < end && ents[i + 1]! <= key) i++;
    const code = ents[i]! & this.codeMask;
    return this.direct ? code - 1 : this.vals[code]!;
  }

  bytes(): number {
    return (
      OBJECT_OVERHEAD + 3 * TYPED_ARRAY_OVERHEAD +
      this.idx.byteLength + this.ents.byteLength + this.vals.byteLength
    );
  }
}

export function buildFastLpm(entries: readonly LpmEntry[]): Lpm {
  const { count: nr, starts, values } = flatten(entries);

  let maxValue = -1;
  for (let r = 0; r < nr; r++) if (values[r]! > maxValue) maxValue = values[r]!;
  let k = Math.max(K_MIN, bitsFor(nr) - 1);
  // Codes must fit in k bits. Values up to 2^k - 2 are stored as value + 1; larger ones (rare:
  // sparse caller indices) go through a table of the distinct values, whose size is bounded by R.
  let direct = bitsFor(maxValue + 1) <= k;
  let vals = new Int32Array(0);
  const codes = new Uint32Array(nr);
  if (direct) {
    for (let r = 0; r < nr; r++) codes[r] = values[r]! + 1;
  } else {
    const ids = new Map<number, number>();
    const distinct: number[] = [-1];
    for (let r = 0; r < nr; r++) {
      const v = values[r]!;
      let id = v < 0 ? 0 : ids.get(v);
      if (id === undefined) {
        id = distinct.length;
        ids.set(v, id);
        distinct.push(v);
      }
      codes[r] = id;
    }
    vals = Int32Array.from(distinct);
    k = Math.max(k, bitsFor(distinct.length - 1));
  }
  if (k > K_MAX) throw new RangeError(`lpm: ${nr} ranges need a ${k}-bit index (max ${K_MAX})`);

  const shift = 32 - k;
  const buckets = 2 ** k;
  const idx = new Uint32Array(buckets + 1);
  let r = 0;
  for (let b = 0; b < buckets; b++) {
    const first = b * 2 ** shift;
    while (r < nr && starts[r]! < first) r++;
    idx[b] = r;
  }
  idx[buckets] = nr;

  const ents = new Uint32Array(nr);
  for (let i = 0; i < nr; i++) ents[i] = ((starts[i]! << k) | codes[i]!) >>> 0;

  return new RangeLpm(entries.length, k, shift, buckets - 1, direct, idx, ents, vals);
}
