/**
 * The fast longest-prefix match the packet path uses: prefixes flattened into address ranges,
 * reached through an index on the top k address bits whose size follows the table's size.
 *
 * Background: DXR (Zec, Rizzo, Mikuc, CCR 2012) — a longest-prefix-match table is the same thing
 * as a partition of the address space into ranges, each carrying the value of its most specific
 * covering prefix, and that partition is small and searchable. Unlike DXR's fixed 2^16 or 2^20
 * direct table, k here grows with the number of ranges, so a 100-route namespace table costs
 * about 2 KiB.
 *
 * Two layouts of the same ranges. This file holds the range layout below, used by every table
 * up to a few hundred thousand prefixes. Big tables (from ~920 K ranges, ~480 K DFZ-like
 * prefixes) get the bitmap layout of lpm-bitmap.ts instead: a 3 MiB index of /24-slot bitmaps
 * and packed value codes, two dependent reads and no search per lookup, ~8 bytes per prefix at
 * 1 M. `buildFastLpm` takes it whenever it costs at most a quarter more than the range layout,
 * since at that size the range layout's dependent misses, not its bytes, limit the lookup rate.
 *
 * Range layout (two typed arrays, no per-route objects):
 *  - The address space is cut into R ranges sorted by start; each carries the value of the
 *    longest prefix covering it (-1 in gaps) and adjacent ranges with equal values are merged.
 *    Range 0 starts at 0.0.0.0. R <= 2N + 1 for N prefixes.
 *  - Buckets are the top k bits of an address. The ranges starting inside bucket b are
 *    first(b) .. first(b+1)-1, and range first(b)-1 covers the bucket's first address.
 *  - `t` (Int32Array) holds, in this order: one base word per group of 2^groupBits buckets (the
 *    position in `t` of the group's first range) and one more for the end; one spare word; one word per range,
 *    `((start << k) | code) ^ 0x80000000` — the low 32-k bits of the start above a k-bit value code
 *    (value + 1, 0 = no match; or, for values too large for k bits, an index into `vals`), with
 *    the top bit flipped so that a signed comparison orders words as unsigned; then PAD zero words.
 *  - `off` (Uint8Array): 2^groupBits + 1 bytes per group, the offsets of each bucket's first range
 *    and of the group's end from the group's base, so first(b) and first(b+1) are one base word and
 *    two adjacent bytes. Groups are 16 buckets unless some group holds more than 255 ranges; then
 *    they shrink for that table, down to one bucket per group (whose end byte may saturate at 255:
 *    the search then reads the next base word).
 *  - k = floor(log2 R) (at least K_MIN, and enough bits for the value codes), so buckets hold one
 *    to two ranges on average and over 99 % of them hold at most FAST_SLOTS.
 *
 * Lookup: the base word, the bucket's two offset bytes, then, if the bucket holds at most
 * FAST_SLOTS ranges, a branch-free binary search over them (steps 4, 2, 1) that carries the last
 * taken word along, so the answer needs no extra load. The search key is the address shifted up by
 * k with all code bits set, so "range starts at or below the address" is one signed comparison of
 * whole words. No data-dependent branch, so back-to-back lookups overlap their cache misses.
 * Larger buckets take an ordinary binary search. All arithmetic stays in int32 (`| 0`), which
 * keeps V8 from adding overflow checks.
 *
 * Memory: 4 (words) + 17/16 (off) + 1/4 (base, 2^k <= R) ~= 5.3 bytes per range, so at most
 * ~10.6 N bytes + a constant (~600 B); seeded DFZ-like tables give ~1.8-2 ranges per prefix,
 * i.e. ~9-10.3 B/prefix where this layout is used (the bitmap layout, where chosen, costs at
 * most 1.25 times what this one would). Two cases cost more: groups shrunk by a crowded region
 * (at worst 4 + 2 bytes per bucket, so at most ~10 bytes per range), and caller values too large for k bits (a
 * 4-byte distinct-value table, and k may grow by one to fit its indices).
 *
 * The fields are `declare`d and assigned once in the constructor so V8 keeps the numeric ones as
 * small integers (a class-field definition would first store `undefined` and make every field a
 * tagged value, which cost about a third of the lookup rate in measurement).
 */
import type { Lpm, LpmEntry } from "./lpm.js";
import { buildBitmapLpm, planBitmap } from "./lpm-bitmap.js";
import { checkEntry } from "./lpm-check.js";

/** Smallest and largest index width in bits (2^27 buckets would mean ~64 M ranges). */
const K_MIN = 4;
const K_MAX = 27;
/** Buckets per group (one base word, 2^GROUP_BITS + 1 offset bytes), as a power of two. */
const GROUP_BITS = 4;
/** Ranges a bucket may hold and still be searched branch-free (the steps 4, 2, 1 below reach 7). */
const FAST_SLOTS = 7;
/** Zero words after the last range, so the branch-free search may read past it. */
const PAD = FAST_SLOTS + 1;
/** Rough V8 cost of one typed array (JSTypedArray + JSArrayBuffer + backing-store record), and of one object. */
const TYPED_ARRAY_OVERHEAD = 200;
const OBJECT_OVERHEAD = 96;

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

/** Flips the top bit of a word, so a signed comparison of two flipped words is an unsigned one. */
const SIGN = -0x80000000;
/** Shared by every table whose codes are the values themselves (no distinct-value table). */
const NO_VALS = new Int32Array(0);

class RangeLpm implements Lpm {
  declare readonly size: number;
  /** Index width: a bucket is the top k bits of an address; a word's low k bits are its code. */
  declare private readonly k: number;
  /** 32 - k: an address shifted right by this is its bucket. */
  declare private readonly shift: number;
  /** (1 << k) - 1: the code bits of a word, and of a search key. */
  declare private readonly codeMask: number;
  /** log2 of the buckets per group (one base word and 2^groupBits + 1 offset bytes per group). */
  declare private readonly groupBits: number;
  /** 0: codes are value + 1; 1: codes index `vals`. A number, not a boolean, so the test is a plain compare. */
  declare private readonly indirect: number;
  /**
   * [0, groups]: the absolute position in `t` of each group's first range (one extra at the end);
   * then one spare word; then one word per range, `((start low bits << k) | code) ^ SIGN`; then PAD zero words.
   */
  declare private readonly t: Int32Array;
  /** 2^groupBits + 1 bytes per group: bucket j's first range is base + off[j], its end base + off[j + 1]. */
  declare private readonly off: Uint8Array;
  declare private readonly vals: Int32Array;

  constructor(size: number, k: number, groupBits: number, t: Int32Array, off: Uint8Array, vals: Int32Array) {
    this.size = size;
    this.k = k;
    this.shift = 32 - k;
    this.codeMask = (1 << k) - 1;
    this.groupBits = groupBits;
    this.indirect = vals === NO_VALS ? 0 : 1;
    this.t = t;
    this.off = off;
    this.vals = vals;
  }

  lookup(addr: number): number {
    const t = this.t;
    const off = this.off;
    const b = addr >>> this.shift;
    const g = b >>> this.groupBits;
    const o = (b + g) | 0; // g * (2^groupBits + 1) + (b mod 2^groupBits)
    const base = t[g]!;
    const lo = (base + off[o]!) | 0;
    const end = (base + off[(o + 1) | 0]!) | 0;
    // A word is <= key exactly when its range starts at or below the address (within the bucket).
    const key = ((addr << this.k) | this.codeMask) ^ SIGN;
    let i = (lo - 1) | 0; // the range covering the bucket's first address
    let w = t[i]!;
    if (((end - lo) | 0) <= FAST_SLOTS) {
      // Branch-free binary search over slots lo .. lo + 6 (steps 4, 2, 1). Slot j is taken when it is
      // inside the bucket (j < end) and its word is <= key; comparing halves keeps the subtraction
      // inside int32. m is -1 when taken, 0 when not; w follows the last slot taken.
      const kh = key >> 1;
      let j = (i + 4) | 0;
      let p = t[j]!;
      let m = (((p >> 1) - kh - 1) & (j - end)) >> 31;
      i = (i + (4 & m)) | 0;
      w ^= (w ^ p) & m;
      j = (i + 2) | 0;
      p = t[j]!;
      m = (((p >> 1) - kh - 1) & (j - end)) >> 31;
      i = (i + (2 & m)) | 0;
      w ^= (w ^ p) & m;
      j = (i + 1) | 0;
      p = t[j]!;
      m = (((p >> 1) - kh - 1) & (j - end)) >> 31;
      w ^= (w ^ p) & m;
    } else {
      w = this.search(g, lo, end, key);
    }
    const code = w & this.codeMask;
    return this.indirect === 0 ? (code - 1) | 0 : this.vals[code]!;
  }

  /** The word of the last range in [lo - 1, end) that is <= key (range lo - 1 always is). */
  private search(g: number, lo: number, end: number, key: number): number {
    const t = this.t;
    // With one bucket per group the end byte saturates at 255: the next group's base is exact.
    const stop = this.groupBits === 0 ? t[g + 1]! : end;
    let a = lo - 1;
    let z = stop - 1;
    while (a < z) {
      const mid = (a + z + 1) >>> 1;
      if (t[mid]! <= key) a = mid;
      else z = mid - 1;
    }
    return t[a]!;
  }

  bytes(): number {
    return (
      OBJECT_OVERHEAD + 2 * TYPED_ARRAY_OVERHEAD + this.t.byteLength + this.off.byteLength +
      (this.indirect === 0 ? 0 : TYPED_ARRAY_OVERHEAD + this.vals.byteLength)
    );
  }
}

/** Below this many ranges the bitmap layout's 3 MiB index alone is over 1.25 times the range layout: not even planned. */
const BITMAP_MIN_RANGES = 1 << 19;

/** Which layout: the smaller one as described above ("auto"), or one forced (for tests). */
export type FastLpmLayout = "auto" | "ranges" | "bitmap";

/** What the range layout costs for `nr` ranges, near enough to choose between the layouts. */
function rangeLayoutBytes(nr: number): number {
  const buckets = 2 ** Math.max(K_MIN, bitsFor(nr) - 1);
  return OBJECT_OVERHEAD + 2 * TYPED_ARRAY_OVERHEAD + 4 * (buckets / 16 + nr) + (17 / 16) * buckets;
}

export function buildFastLpm(entries: readonly LpmEntry[], layout: FastLpmLayout = "auto"): Lpm {
  const { count: nr, starts, values } = flatten(entries);
  if (layout === "bitmap" || (layout === "auto" && nr >= BITMAP_MIN_RANGES)) {
    const plan = planBitmap(nr, starts, values);
    if (layout === "bitmap" || plan.bytes <= 1.25 * rangeLayoutBytes(nr)) return buildBitmapLpm(entries.length, plan);
  }

  let maxValue = -1;
  for (let r = 0; r < nr; r++) if (values[r]! > maxValue) maxValue = values[r]!;
  let k = Math.max(K_MIN, bitsFor(nr) - 1);
  // Codes must fit in k bits. Values up to 2^k - 2 are stored as value + 1; larger ones (sparse
  // caller indices) go through a table of the distinct values, whose size is bounded by R.
  const direct = bitsFor(maxValue + 1) <= k;
  let vals = NO_VALS;
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
  // Layout of t: group bases [0, groups], one spare word, the ranges, PAD words.
  // first[b]: position in t of the first range starting at or after bucket b's first address.
  const first = new Uint32Array(buckets + 1);
  let r = 0;
  for (let b = 0; b < buckets; b++) {
    while (r < nr && starts[r]! >>> shift < b) r++;
    first[b] = r;
  }
  first[buckets] = nr;

  // Widest groups whose offsets, including each group's total, fit a byte; one bucket per group
  // always fits (its end byte saturates and the search reads the next base instead).
  let groupBits = Math.min(GROUP_BITS, k);
  for (; groupBits > 0; groupBits--) {
    let fits = true;
    const size = 1 << groupBits;
    for (let b = 0; b < buckets && fits; b += size) fits = first[b + size]! - first[b]! <= 255;
    if (fits) break;
  }
  const size = 1 << groupBits;
  const groups = buckets >>> groupBits;
  const at = groups + 2; // position of range 0 in t
  const t = new Int32Array(at + nr + PAD);
  const off = new Uint8Array(groups * (size + 1));
  for (let g = 0; g <= groups; g++) t[g] = at + first[g << groupBits]!;
  for (let g = 0; g < groups; g++) {
    const b0 = g << groupBits;
    for (let j = 0; j <= size; j++) off[g * (size + 1) + j] = Math.min(255, first[b0 + j]! - first[b0]!);
  }
  for (let i = 0; i < nr; i++) t[at + i] = ((starts[i]! << k) | codes[i]!) ^ SIGN;

  return new RangeLpm(entries.length, k, groupBits, t, off, vals);
}
