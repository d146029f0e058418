/**
 * The fast longest-prefix match the packet path uses: prefixes flattened into address ranges,
 * reached through an index on the top k address bits whose size follows the table's size.
 *
 * Background: DXR (Zec, Rizzo, Mikuc, CCR 2012) — a longest-prefix-match table is the same thing
 * as a partition of the address space into ranges, each carrying the value of its most specific
 * covering prefix, and that partition is small and searchable. Unlike DXR's fixed 2^16 or 2^20
 * direct table, k here grows with the number of ranges, so a 100-route namespace table costs
 * about 2 KiB and a million-prefix table about 9 bytes per prefix.
 *
 * Layout (typed arrays only, no per-route objects):
 *  - The address space is cut into R ranges sorted by start; each carries the value of the
 *    longest prefix covering it (-1 in gaps) and adjacent ranges with equal values are merged.
 *    Range 0 starts at 0.0.0.0. R <= 2N + 1 for N prefixes.
 *  - `ents` (Uint32Array, R + 8): one word per range, `(start << k) | code`: the low 32-k
 *    bits of the start above a k-bit value code (value + 1, 0 = no match; or, for values too large
 *    for k bits, an index into `vals`). One load gives both the start to compare and the answer.
 *  - Buckets are the top k bits of an address. The ranges starting inside bucket b are
 *    first(b) .. first(b+1)-1, and range first(b)-1 covers the bucket's first address.
 *    first(b) = base[b >> GROUP_BITS] + off[b]: a Uint32 per group of 2^GROUP_BITS buckets plus a
 *    Uint8 per bucket, so the index costs ~1.25 bytes per bucket instead of 4. (If some group holds
 *    more than 255 ranges, groups shrink for that table, down to one bucket per group.)
 *  - k = floor(log2 R) (at least K_MIN, and enough bits for the value codes), so buckets hold one
 *    to two ranges on average and over 99 % of them hold at most FAST_SLOTS.
 *
 * Lookup: read first(b) and first(b+1) (base is small enough to stay in cache; off costs one
 * miss), then, if the bucket holds at most FAST_SLOTS ranges, a branch-free binary search over
 * them (steps 4, 2, 1) — no data-dependent branch, so back-to-back lookups overlap their cache
 * misses. Larger buckets take an ordinary binary search.
 *
 * Memory: 4 (ents) + 1 (off, 2^k <= R) + 0.25 (base) = 5.25 bytes per range, so at most
 * 10.5 N bytes + a constant (~1 KiB); seeded DFZ-like tables give ~1.8-2 ranges per prefix,
 * i.e. ~9-10.5 B/prefix. Two cases cost more: groups shrunk by a crowded region (base up to
 * 4 bytes per bucket, so at most 9 bytes per range), and caller values too large for k bits
 * (a 4-byte distinct-value table, and k may grow by one to fit its indices).
 *
 * The fields are `declare`d and assigned once in the constructor so V8 keeps the numeric ones as
 * small integers (a class-field definition would first store `undefined` and make every field a
 * tagged value, which cost about a third of the lookup rate in measurement).
 */
import type { Lpm, LpmEntry } from "./lpm.js";

/** Smallest and largest index width in bits (2^27 buckets would mean ~64 M ranges). */
const K_MIN = 4;
const K_MAX = 27;
/** Buckets per `base` word, as a power of two. */
const GROUP_BITS = 4;
/** Ranges a bucket may hold and still be searched branch-free (the steps 4, 2, 1 below reach 7). */
const FAST_SLOTS = 7;
/** Zero words after the last range, so the branch-free search may read past it. */
const PAD = FAST_SLOTS + 1;
/** Rough V8 cost of one typed array (JSTypedArray + JSArrayBuffer + backing-store record), and of one object. */
const TYPED_ARRAY_OVERHEAD = 200;
const OBJECT_OVERHEAD = 96;

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

/** Prefixes as three parallel arrays. */
interface Prefixes {
  readonly nets: Uint32Array;
  readonly lens: Uint32Array;
  readonly vals: Int32Array;
}

/**
 * One LSD radix pass: stable-moves every prefix of `src` into `dst`, ordered by the digit
 * `(digitOf[i] >>> shift) & (2^width - 1)`, where `digitOf` is `src.nets` or `src.lens`. Moving
 * the prefixes themselves (not an index) keeps every later read sequential.
 */
function radixPass(src: Prefixes, dst: Prefixes, digitOf: Uint32Array, shift: number, width: number): void {
  const count = new Uint32Array((1 << width) + 1);
  const dmask = (1 << width) - 1;
  const n = digitOf.length;
  for (let i = 0; i < n; i++) count[((digitOf[i]! >>> shift) & dmask) + 1]!++;
  for (let d = 1; d < count.length; d++) count[d]! += count[d - 1]!;
  for (let i = 0; i < n; i++) {
    const j = count[(digitOf[i]! >>> shift) & dmask]!++;
    dst.nets[j] = src.nets[i]!;
    dst.lens[j] = src.lens[i]!;
    dst.vals[j] = src.vals[i]!;
  }
}

/** Sorts by (net ascending, len ascending): a prefix comes before the prefixes inside it. */
function sortByNetThenLen(p: Prefixes): Prefixes {
  const n = p.nets.length;
  let a = p;
  let b: Prefixes = { nets: new Uint32Array(n), lens: new Uint32Array(n), vals: new Int32Array(n) };
  // Least significant key first: len, then net in digits of 11, 11 and 10 bits.
  radixPass(a, b, a.lens, 0, 6);
  [a, b] = [b, a];
  for (const shift of [0, 11, 22]) {
    radixPass(a, b, a.nets, shift, 11);
    [a, b] = [b, a];
  }
  return a;
}

/** The address space as ranges [starts[i], starts[i+1]) carrying values[i] (-1: no match). */
interface Ranges {
  readonly count: number;
  readonly starts: Uint32Array;
  readonly values: Int32Array;
}

/**
 * Sweeps the prefixes in (net, len) order with a stack of open prefixes (at most 33 deep: nested
 * prefixes have strictly growing lengths) and writes one range per change of value.
 */
function flatten(entries: readonly LpmEntry[]): Ranges {
  const n = entries.length;
  const nets = new Uint32Array(n);
  const lens = new Uint32Array(n);
  const vals = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    checkEntry(e, i);
    nets[i] = e.net;
    lens[i] = e.len;
    vals[i] = e.value;
  }
  const sorted = sortByNetThenLen({ nets, lens, vals });

  const starts = new Uint32Array(2 * n + 1);
  const values = new Int32Array(2 * n + 1);
  // Writing a range that starts at `s` with value `v` (done in two places below, inlined for speed):
  // a range already starting at `s` is replaced (the new one is more specific, or is what follows
  // several prefixes that end together), and a range with its predecessor's value merges into it.
  let count = 1; // range 0: from 0.0.0.0, no match
  starts[0] = 0;
  values[0] = -1;
  const stackEnd = new Float64Array(33); // last address of each open prefix
  const stackVal = new Int32Array(33);
  let depth = 0;
  for (let r = 0; r <= n; r++) {
    // Close the open prefixes that end before the next prefix (or, after the last, all of them).
    const at = r < n ? sorted.nets[r]! : 2 ** 32;
    while (depth > 0 && stackEnd[depth - 1]! < at) {
      const s = stackEnd[depth - 1]! + 1;
      depth--;
      if (s > 0xffffffff) continue; // the prefix reached 255.255.255.255: nothing follows it
      const v = depth > 0 ? stackVal[depth - 1]! : -1;
      if (count > 0 && starts[count - 1] === s) count--;
      if (count === 0 || values[count - 1] !== v) {
        starts[count] = s;
        values[count] = v;
        count++;
      }
    }
    if (r === n) break;
    const s = sorted.nets[r]!;
    const v = sorted.vals[r]!;
    if (count > 0 && starts[count - 1] === s) count--;
    if (count === 0 || values[count - 1] !== v) {
      starts[count] = s;
      values[count] = v;
      count++;
    }
    stackEnd[depth] = s + 2 ** (32 - sorted.lens[r]!) - 1;
    stackVal[depth] = v;
    depth++;
  }
  return { count, starts, values };
}

class RangeLpm implements Lpm {
  declare readonly size: number;
  /** Index width: a bucket is the top k bits of an address, an entry's low k bits are its code. */
  declare private readonly k: number;
  /** log2 of the buckets per `base` word. */
  declare private readonly groupBits: number;
  /** Codes are value + 1 (true), or indices into `vals` (false). */
  declare private readonly direct: boolean;
  declare private readonly base: Uint32Array;
  declare private readonly off: Uint8Array;
  declare private readonly ents: Uint32Array;
  declare private readonly vals: Int32Array;

  constructor(size: number, k: number, groupBits: number, direct: boolean,
    base: Uint32Array, off: Uint8Array, ents: Uint32Array, vals: Int32Array) {
    this.size = size;
    this.k = k;
    this.groupBits = groupBits;
    this.direct = direct;
    this.base = base;
    this.off = off;
    this.ents = ents;
    this.vals = vals;
  }

  lookup(addr: number): number {
    const k = this.k;
    const g = this.groupBits;
    const base = this.base;
    const off = this.off;
    const ents = this.ents;
    const b = addr >>> (32 - k);
    const lo = base[b >>> g]! + off[b]!;
    const end = base[(b + 1) >>> g]! + off[b + 1]!;
    const low = addr & (-1 >>> k); // the address bits below its bucket
    let i = lo - 1; // the range covering the bucket's first address
    if (end - lo <= FAST_SLOTS) {
      // Step over slot j when it is inside the bucket and its range starts at or below the
      // address: ((j - end) >>> 31) is 1 when j < end, ((low - start) >>> 31) ^ 1 when start <= low.
      let j = i + 4;
      i += 4 & -((((low - (ents[j]! >>> k)) >>> 31) ^ 1) & ((j - end) >>> 31));
      j = i + 2;
      i += 2 & -((((low - (ents[j]! >>> k)) >>> 31) ^ 1) & ((j - end) >>> 31));
      j = i + 1;
      i += (((low - (ents[j]! >>> k)) >>> 31) ^ 1) & ((j - end) >>> 31);
    } else {
      i = this.search(lo, end, low);
    }
    const code = ents[i]! & ((1 << k) - 1);
    return this.direct ? code - 1 : this.vals[code]!;
  }

  /** Last range in [lo - 1, end) whose start is <= low (range lo - 1 always is). */
  private search(lo: number, end: number, low: number): number {
    const ents = this.ents;
    const k = this.k;
    let a = lo - 1;
    let z = end - 1;
    while (a < z) {
      const mid = (a + z + 1) >>> 1;
      if (ents[mid]! >>> k <= low) a = mid;
      else z = mid - 1;
    }
    return a;
  }

  bytes(): number {
    return (
      OBJECT_OVERHEAD + 4 * TYPED_ARRAY_OVERHEAD +
      this.base.byteLength + this.off.byteLength + this.ents.byteLength + this.vals.byteLength
    );
  }
}

export function buildFastLpm(entries: readonly LpmEntry[]): Lpm {
  const { count: nr, starts, values } = flatten(entries);

  let maxValue = -1;
  for (let r = 0; r < nr; r++) if (values[r]! > maxValue) maxValue = values[r]!;
  let k = Math.max(K_MIN, bitsFor(nr) - 1);
  // Codes must fit in k bits. Values up to 2^k - 2 are stored as value + 1; larger ones (sparse
  // caller indices) go through a table of the distinct values, whose size is bounded by R.
  const direct = bitsFor(maxValue + 1) <= k;
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
  // first[b]: the first range starting at or after bucket b's first address.
  const first = new Uint32Array(buckets + 1);
  let r = 0;
  for (let b = 0; b < buckets; b++) {
    while (r < nr && starts[r]! >>> shift < b) r++;
    first[b] = r;
  }
  first[buckets] = nr;

  // Widest groups whose offsets fit a byte.
  let groupBits = Math.min(GROUP_BITS, k);
  for (; groupBits > 0; groupBits--) {
    let fits = true;
    for (let b = 0; b < buckets && fits; b++) fits = first[b]! - first[(b >>> groupBits) << groupBits]! <= 255;
    if (fits) break;
  }
  const groups = buckets >>> groupBits;
  const base = new Uint32Array(groups + 1);
  for (let g = 0; g <= groups; g++) base[g] = first[g << groupBits]!;
  const off = new Uint8Array(buckets + 1);
  for (let b = 0; b < buckets; b++) off[b] = first[b]! - base[b >>> groupBits]!;

  const ents = new Uint32Array(nr + PAD);
  for (let i = 0; i < nr; i++) ents[i] = ((starts[i]! << k) | codes[i]!) >>> 0;

  return new RangeLpm(entries.length, k, groupBits, direct, base, off, ents, vals);
}
