/**
 * The fast LPM's layout for big tables (about a million ranges and more): a bitmap of /24 slots
 * per 8192-address bucket, so a lookup finds its range by counting bits instead of searching, and
 * the ranges' value codes packed at the few bits they need. `buildFastLpm` (lpm-fast.ts) picks it
 * when it costs at most a quarter more memory than the range layout; below that size the range
 * layout is smaller, and fast enough because it stays in the caches.
 *
 * Why: at 1 M prefixes the range layout's lookup is three dependent steps through 8.7 MB (index
 * bytes, the bucket's first range, a three-probe search), with ~50 instructions waiting on the
 * cache misses, so only two or three lookups overlap. Here a lookup is one 6-byte index entry
 * (bitmap and offset side by side), a popcount in registers, and one read in the packed codes:
 * two dependent reads, ~35 instructions, 7.6 MiB at 1 M prefixes.
 *
 * Layout (the ranges are those of lpm-fast.ts: the address space cut where the longest match
 * changes, each range with its value or -1):
 *  - Records. A range that starts on a /24 boundary is one record. A /24 block in which some range
 *    starts off a /24 boundary (a prefix longer than /24, or the end of one) is one escape record at
 *    the block's start, pointing to the block's exact ranges in a side list; an extra plain record
 *    at the next /24 boundary ends it, so only keys inside that block take the slow path. So no
 *    two records share a /24, and a bucket (32 slots) holds at most 32.
 *  - `ix` (DataView, 6 bytes per bucket, 2^19 buckets): the bitmap of the slots where a record
 *    starts (Int32, slot i = bit i), then the bucket's first record as an offset from
 *    `gb[address >>> 24]` (Uint16: the 2048 buckets of a /8 hold at most 65,536 records, so the
 *    offset of the last one's first is at most 65,504).
 *  - `gb` (Int32Array, 256 words): the first record of each /8.
 *  - `codes` (DataView): record j's code at bits [j·c, j·c + c), c <= 25, so one unaligned 4-byte
 *    read and a shift get it. Code 0 is "no match", then value + 1 (or, for values too large for
 *    25 bits, indices into `vals`), then one code per escape block. Record 0 is a spare, so the
 *    record before a bucket's first always exists.
 *  - Escapes: `escAt[e] .. escAt[e + 1]` index `escStart` (exact starts, top bit flipped for a
 *    signed comparison) and `escVal`: the ranges covering block e, from its first address on.
 *
 * Lookup: the bucket's entry; the bits at and below the address's slot, counted, give the last
 * record starting at or before the address's /24 (the record before the bucket's first when none
 * is set); its code is the answer unless it names an escape block (a binary search of the block's
 * few ranges) or the table maps codes through `vals`.
 *
 * Memory: 3 MiB + ~1 KiB, plus c/8 bytes per record (c = bits of the largest code: 20 at 1 M
 * prefixes), plus 12 bytes per escape block and 8 per range in it. Seeded DFZ-like tables at 1 M
 * prefixes: ~1.84 M records and ~10 K escape blocks, ~8 bytes per prefix.
 */
import type { Lpm } from "./lpm.js";

/** Flips the top bit of a word, so a signed comparison of two flipped words is an unsigned one. */
const SIGN = -0x80000000;
/** Buckets of 8192 addresses: 32 /24 slots, one Int32 bitmap. */
const BUCKETS = 1 << 19;
const ENTRY_BYTES = 6;
/** Widest code: a 4-byte read starting at the code's byte covers c + 7 bits. */
const MAX_CODE_BITS = 25;
/** Rough V8 cost of one typed array or DataView (object + ArrayBuffer + backing-store record), and of one object. */
const TYPED_ARRAY_OVERHEAD = 200;
const OBJECT_OVERHEAD = 96;
const NONE = new Int32Array(0);

function bitsFor(x: number): number {
  return 32 - Math.clz32(x);
}

class BitmapLpm implements Lpm {
  declare readonly size: number;
  /** Bits per code. */
  declare private readonly c: number;
  declare private readonly codeMask: number;
  /** Codes below this are value + 1; 0 when every code goes through `vals`. */
  declare private readonly fastLimit: number;
  /** The first escape code. */
  declare private readonly escBase: number;
  declare private readonly ix: DataView;
  declare private readonly gb: Int32Array;
  declare private readonly codes: DataView;
  declare private readonly vals: Int32Array;
  declare private readonly escAt: Int32Array;
  declare private readonly escStart: Int32Array;
  declare private readonly escVal: Int32Array;

  constructor(size: number, c: number, fastLimit: number, escBase: number, ix: DataView, gb: Int32Array,
    codes: DataView, vals: Int32Array, escAt: Int32Array, escStart: Int32Array, escVal: Int32Array) {
    this.size = size;
    this.c = c;
    this.codeMask = (1 << c) - 1;
    this.fastLimit = fastLimit;
    this.escBase = escBase;
    this.ix = ix;
    this.gb = gb;
    this.codes = codes;
    this.vals = vals;
    this.escAt = escAt;
    this.escStart = escStart;
    this.escVal = escVal;
  }

  lookup(addr: number): number {
    const ix = this.ix;
    const p = Math.imul(addr >>> 13, ENTRY_BYTES);
    // Popcount of the bucket's slots up to and including the address's /24 (SWAR; 2 << 31 is 0,
    // so slot 31 keeps every bit).
    let m = ix.getInt32(p, true) & ((2 << ((addr >>> 8) & 31)) - 1);
    m = (m - ((m >>> 1) & 0x55555555)) | 0;
    m = (m & 0x33333333) + ((m >>> 2) & 0x33333333);
    m = (m + (m >>> 4)) & 0x0f0f0f0f;
    const j = (this.gb[addr >>> 24]! + ix.getUint16((p + 4) | 0, true) + (Math.imul(m, 0x01010101) >>> 24) - 1) | 0;
    const at = Math.imul(j, this.c);
    const code = (this.codes.getInt32(at >>> 3, true) >>> (at & 7)) & this.codeMask;
    return code < this.fastLimit ? (code - 1) | 0 : this.tail(code, addr);
  }

  /** Codes that are not value + 1: an index into `vals`, or an escape block to search. */
  private tail(code: number, addr: number): number {
    if (code < this.escBase) return this.vals[code]!;
    const e = code - this.escBase;
    const s = this.escStart;
    const key = addr ^ SIGN;
    let a = this.escAt[e]!;
    let z = this.escAt[e + 1]! - 1;
    while (a < z) {
      const mid = (a + z + 1) >>> 1;
      if (s[mid]! <= key) a = mid;
      else z = mid - 1;
    }
    return this.escVal[a]!;
  }

  bytes(): number {
    return (
      OBJECT_OVERHEAD + 3 * TYPED_ARRAY_OVERHEAD + this.ix.byteLength + this.gb.byteLength + this.codes.byteLength +
      (this.vals.length > 0 ? TYPED_ARRAY_OVERHEAD + this.vals.byteLength : 0) +
      (this.escAt.length > 0 ? 3 * TYPED_ARRAY_OVERHEAD + this.escAt.byteLength + this.escStart.byteLength + this.escVal.byteLength : 0)
    );
  }
}

/** The ranges as records: starts on /24 boundaries, values (-1: none; -2 - e: escape block e). */
export interface BitmapPlan {
  readonly count: number;
  readonly starts: Uint32Array;
  readonly values: Int32Array;
  readonly escapes: number;
  readonly escAt: Int32Array;
  readonly escStart: Int32Array;
  readonly escVal: Int32Array;
  /** Bits per code and whether codes go through a distinct-value table (values too large for 25 bits). */
  readonly c: number;
  readonly indirect: boolean;
  /** What the layout will cost, as `bytes()` will report it. */
  readonly bytes: number;
}

/** Turns ranges [starts[i], starts[i+1]) -> values[i] (range 0 starting at 0) into records. */
export function planBitmap(nr: number, starts: Uint32Array, values: Int32Array): BitmapPlan {
  // Each block with an escape yields at most two records for at least one range.
  const rs = new Uint32Array(2 * nr);
  const rv = new Int32Array(2 * nr);
  const at: number[] = [0];
  const es: number[] = [];
  const ev: number[] = [];
  let c = 0;
  let maxValue = -1;
  let r = 0;
  while (r < nr) {
    const s = starts[r]!;
    const q = s >>> 8;
    let r2 = r;
    let exact = true;
    for (; r2 < nr && starts[r2]! >>> 8 === q; r2++) if ((starts[r2]! & 255) !== 0) exact = false;
    if (exact) {
      for (; r < r2; r++) {
        const v = values[r]!;
        if (v > maxValue) maxValue = v;
        rs[c] = starts[r]!;
        rv[c++] = v;
      }
      continue;
    }
    // Range r - 1 covers the block's first address when range r starts after it (r > 0 then:
    // range 0 starts at 0.0.0.0, on a boundary).
    if (s !== q * 256) {
      es.push((q * 256) ^ SIGN);
      ev.push(values[r - 1]!);
    }
    for (let i = r; i < r2; i++) {
      es.push(starts[i]! ^ SIGN);
      ev.push(values[i]!);
    }
    rs[c] = q * 256;
    rv[c++] = -1 - at.length; // -2 - e for escape e = at.length - 1
    at.push(es.length);
    // (Unless a range starts in the next block: then its own record or escape is there.)
    if (q < 0xffffff && (r2 === nr || starts[r2]! >>> 8 !== q + 1)) {
      const v = values[r2 - 1]!;
      if (v > maxValue) maxValue = v;
      rs[c] = (q + 1) * 256;
      rv[c++] = v;
    }
    r = r2;
  }
  const escapes = at.length - 1;
  // Codes are value + 1 when the largest fits; otherwise indices into the distinct values.
  const indirect = bitsFor(maxValue + 1 + escapes) > MAX_CODE_BITS;
  let distinct = 0;
  if (indirect) {
    const seen = new Set<number>();
    for (let i = 0; i < c; i++) if (rv[i]! >= 0) seen.add(rv[i]!);
    distinct = seen.size;
  }
  const codeCount = (indirect ? distinct + 1 : maxValue + 2) + escapes;
  const cb = Math.max(1, bitsFor(codeCount - 1));
  const side = escapes > 0 ? 3 * TYPED_ARRAY_OVERHEAD + 4 * (escapes + 1) + 8 * es.length : 0;
  // A table this lookup cannot address (over 2^25 codes) is reported as infinitely large.
  const bytes = cb > MAX_CODE_BITS ? Infinity :
    OBJECT_OVERHEAD + 3 * TYPED_ARRAY_OVERHEAD + ENTRY_BYTES * BUCKETS + 4 * 256 + codeBytes(c, cb) + side +
    (indirect ? TYPED_ARRAY_OVERHEAD + 4 * (distinct + 1) : 0);
  return {
    count: c, starts: rs, values: rv, escapes,
    escAt: escapes > 0 ? Int32Array.from(at) : NONE,
    escStart: escapes > 0 ? Int32Array.from(es) : NONE,
    escVal: escapes > 0 ? Int32Array.from(ev) : NONE,
    c: cb, indirect, bytes,
  };
}

/** Bytes of the packed codes: records 1..count (0 is the spare), and room for the last 4-byte read. */
function codeBytes(count: number, c: number): number {
  return Math.ceil(((count + 1) * c) / 8) + 4;
}

export function buildBitmapLpm(size: number, plan: BitmapPlan): Lpm {
  const { count: nr, starts, values, c } = plan;
  if (c > MAX_CODE_BITS) throw new RangeError(`lpm: ${plan.escapes} escape blocks and the values need ${c}-bit codes (max ${MAX_CODE_BITS})`);
  let vals = NONE;
  let escBase: number;
  let fastLimit: number;
  const codeOf = new Map<number, number>();
  if (plan.indirect) {
    const distinct: number[] = [-1];
    for (let i = 0; i < nr; i++) {
      const v = values[i]!;
      if (v >= 0 && !codeOf.has(v)) {
        codeOf.set(v, distinct.length);
        distinct.push(v);
      }
    }
    vals = Int32Array.from(distinct);
    escBase = distinct.length;
    fastLimit = 0;
  } else {
    let maxValue = -1;
    for (let i = 0; i < nr; i++) if (values[i]! > maxValue) maxValue = values[i]!;
    escBase = maxValue + 2;
    fastLimit = escBase;
  }

  const codes = new DataView(new ArrayBuffer(codeBytes(nr, c)));
  for (let i = 0; i < nr; i++) {
    const v = values[i]!;
    const code = v < -1 ? escBase + (-2 - v) : v < 0 ? 0 : plan.indirect ? codeOf.get(v)! : v + 1;
    const bit = (i + 1) * c;
    const byte = bit >>> 3;
    codes.setInt32(byte, codes.getInt32(byte, true) | (code << (bit & 7)), true);
  }

  const ix = new DataView(new ArrayBuffer(ENTRY_BYTES * BUCKETS));
  const gb = new Int32Array(256);
  let r = 0;
  for (let b = 0; b < BUCKETS; b++) {
    if ((b & 2047) === 0) gb[b >>> 11] = r + 1;
    ix.setUint16(ENTRY_BYTES * b + 4, r + 1 - gb[b >>> 11]!, true);
    let bits = 0;
    for (; r < nr && starts[r]! >>> 13 === b; r++) bits |= 1 << ((starts[r]! >>> 8) & 31);
    ix.setInt32(ENTRY_BYTES * b, bits, true);
  }
  return new BitmapLpm(size, c, fastLimit, escBase, ix, gb, codes, vals, plan.escAt, plan.escStart, plan.escVal);
}
