/**
 * One longest-prefix-match suite, run against every `LpmBuilder`: the linear reference and the
 * fast range index must give the same answers, and both the answers written here.
 */
import { describe, expect, it } from "vitest";
import { makeKeys, makeTable, mulberry32 } from "../../bench/tables.js";
import { maskOf, parseIpv4, parsePrefix } from "../../src/core/ip.js";
import { buildFastLpm, buildLinearLpm, type Lpm, type LpmBuilder, type LpmEntry } from "../../src/route/lpm.js";
import { type FastLpmLayout } from "../../src/route/lpm-fast.js";

function ip(text: string): number {
  const a = parseIpv4(text);
  if (a === undefined) throw new Error(`bad address in test: ${text}`);
  return a;
}

/** `route("10.0.0.0/8", 3)`: the prefix 10.0.0.0/8 with value 3. */
function route(cidr: string, value: number): LpmEntry {
  const p = parsePrefix(cidr);
  if (p === undefined) throw new Error(`bad prefix in test: ${cidr}`);
  return { net: p.addr, len: p.len, value };
}

/** Checks each `[address, expected value]` pair. */
function expectLookups(lpm: Lpm, cases: ReadonlyArray<readonly [string, number]>): void {
  const got = cases.map(([a]) => [a, lpm.lookup(ip(a))] as const);
  expect(got).toEqual(cases.map(([a, v]) => [a, v] as const));
}

/** Fisher–Yates with a seeded generator, so input order is arbitrary but reproducible. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rand = mulberry32(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rand() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const BUILDERS: ReadonlyArray<readonly [string, LpmBuilder]> = [
  ["linear", buildLinearLpm],
  ["fast", buildFastLpm],
  // Small tables get the range layout; the bitmap layout (big tables) is forced here on the same cases.
  ["fast, bitmap layout", (e) => buildFastLpm(e, "bitmap")],
];

/** The fast table's layouts, each checked against the linear reference below. */
const LAYOUTS: ReadonlyArray<FastLpmLayout> = ["ranges", "bitmap"];

describe.each(BUILDERS)("LPM conformance: %s", (_name, build) => {
  it("empty table matches nothing", () => {
    const lpm = build([]);
    expect(lpm.size).toBe(0);
    expectLookups(lpm, [["0.0.0.0", -1], ["10.1.2.3", -1], ["255.255.255.255", -1]]);
  });

  it("default route only matches everything", () => {
    const lpm = build([route("0.0.0.0/0", 7)]);
    expect(lpm.size).toBe(1);
    expectLookups(lpm, [["0.0.0.0", 7], ["127.0.0.1", 7], ["128.0.0.0", 7], ["255.255.255.255", 7]]);
  });

  it("host routes match only their own address", () => {
    const lpm = build([route("10.0.0.1/32", 1), route("10.0.0.3/32", 3), route("192.168.7.9/32", 9)]);
    expectLookups(lpm, [
      ["10.0.0.0", -1], ["10.0.0.1", 1], ["10.0.0.2", -1], ["10.0.0.3", 3], ["10.0.0.4", -1],
      ["192.168.7.8", -1], ["192.168.7.9", 9], ["192.168.7.10", -1],
    ]);
  });

  it("a host route inside the default route", () => {
    const lpm = build([route("0.0.0.0/0", 1), route("10.0.0.1/32", 2)]);
    expectLookups(lpm, [
      ["0.0.0.0", 1], ["10.0.0.0", 1], ["10.0.0.1", 2], ["10.0.0.2", 1], ["255.255.255.255", 1],
    ]);
  });

  it("a prefix at every length over one address picks the longest that matches", () => {
    const target = ip("192.168.1.1");
    const entries: LpmEntry[] = [];
    for (let len = 0; len <= 32; len++) entries.push({ net: (target & maskOf(len)) >>> 0, len, value: 100 + len });
    const lpm = build(shuffled(entries, 1));
    expect(lpm.lookup(target)).toBe(132);
    // Flipping bit `len` (counted from the top) leaves exactly the prefixes of length <= len matching.
    for (let len = 0; len < 32; len++) expect(lpm.lookup((target ^ (0x80000000 >>> len)) >>> 0)).toBe(100 + len);
  });

  it("with only some lengths present, the longest present one wins", () => {
    const target = ip("172.16.200.77");
    const lens = [1, 7, 12, 16, 19, 24, 27, 31];
    const lpm = build(lens.map((len) => ({ net: (target & maskOf(len)) >>> 0, len, value: len })));
    const expected = (diverge: number): number => Math.max(-1, ...lens.filter((l) => l <= diverge));
    expect(lpm.lookup(target)).toBe(31);
    for (let d = 0; d < 32; d++) expect(lpm.lookup((target ^ (0x80000000 >>> d)) >>> 0)).toBe(expected(d));
    expect(expected(0)).toBe(-1); // the sanity of the oracle itself: bit 0 differs, nothing matches
  });

  it("the lowest and highest addresses", () => {
    const lpm = build([
      route("0.0.0.0/32", 1), route("0.0.0.0/1", 2), route("128.0.0.0/1", 3),
      route("255.255.255.254/31", 4), route("255.255.255.255/32", 5),
    ]);
    expectLookups(lpm, [
      ["0.0.0.0", 1], ["0.0.0.1", 2], ["127.255.255.255", 2], ["128.0.0.0", 3],
      ["255.255.255.253", 3], ["255.255.255.254", 4], ["255.255.255.255", 5],
    ]);
    const top = build([route("255.255.255.255/32", 9)]);
    expectLookups(top, [["255.255.255.254", -1], ["255.255.255.255", 9], ["0.0.0.0", -1]]);
    const bottom = build([route("0.0.0.0/32", 8)]);
    expectLookups(bottom, [["0.0.0.0", 8], ["0.0.0.1", -1], ["255.255.255.255", -1]]);
  });

  it("accepts the int32 bit pattern of an address", () => {
    const lpm = build([route("255.255.255.0/24", 6), route("128.0.0.0/1", 2)]);
    expect(lpm.lookup(-1)).toBe(6); // 255.255.255.255
    expect(lpm.lookup(-256)).toBe(6); // 255.255.255.0
    expect(lpm.lookup(-257)).toBe(2); // 255.255.254.255
  });

  it("adjacent prefixes, with equal and different values", () => {
    const lpm = build([
      route("10.0.0.0/24", 1), route("10.0.1.0/24", 2), route("10.0.2.0/23", 3),
      route("10.0.4.0/24", 5), route("10.0.5.0/24", 5),
    ]);
    expectLookups(lpm, [
      ["9.255.255.255", -1], ["10.0.0.0", 1], ["10.0.0.255", 1], ["10.0.1.0", 2], ["10.0.1.255", 2],
      ["10.0.2.0", 3], ["10.0.3.255", 3], ["10.0.4.0", 5], ["10.0.4.255", 5], ["10.0.5.0", 5],
      ["10.0.5.255", 5], ["10.0.6.0", -1],
    ]);
  });

  it("deep nesting: /8 ⊃ /16 ⊃ /24 ⊃ /32", () => {
    const lpm = build(shuffled([
      route("10.0.0.0/8", 1), route("10.1.0.0/16", 2), route("10.1.2.0/24", 3), route("10.1.2.3/32", 4),
    ], 2));
    expectLookups(lpm, [
      ["9.255.255.255", -1], ["10.0.0.0", 1], ["10.1.0.0", 2], ["10.1.1.255", 2], ["10.1.2.0", 3],
      ["10.1.2.2", 3], ["10.1.2.3", 4], ["10.1.2.4", 3], ["10.1.2.255", 3], ["10.1.3.0", 2],
      ["10.1.255.255", 2], ["10.2.0.0", 1], ["10.255.255.255", 1], ["11.0.0.0", -1],
    ]);
  });

  it("a prefix sharing its network address with a shorter one", () => {
    const lpm = build([route("10.0.0.0/8", 1), route("10.0.0.0/9", 2), route("10.0.0.0/24", 3)]);
    expectLookups(lpm, [["10.0.0.0", 3], ["10.0.0.255", 3], ["10.0.1.0", 2], ["10.127.255.255", 2], ["10.128.0.0", 1]]);
  });

  it("large and sparse values are returned unchanged", () => {
    const lpm = build([
      route("10.0.0.0/8", 0x7fffffff), route("10.1.0.0/16", 0), route("20.0.0.0/8", 123_456_789),
    ]);
    expectLookups(lpm, [["10.0.0.1", 0x7fffffff], ["10.1.0.1", 0], ["20.5.5.5", 123_456_789], ["30.0.0.0", -1]]);
  });

  it("rejects entries that break the contract", () => {
    expect(() => build([{ net: ip("10.0.0.1"), len: 24, value: 1 }])).toThrow(RangeError); // host bits
    expect(() => build([{ net: 0, len: 33, value: 1 }])).toThrow(RangeError);
    expect(() => build([{ net: 0, len: 8, value: -1 }])).toThrow(RangeError);
  });
});

describe.each(LAYOUTS)("LPM conformance: fast (%s layout) equals linear", (layout) => {
  /** Every key must give the same value; returns the linear results for further checks. */
  function expectSame(table: readonly LpmEntry[], keys: Uint32Array): Int32Array {
    const linear = buildLinearLpm(table);
    const fast = buildFastLpm(table, layout);
    expect(fast.size).toBe(table.length);
    const want = new Int32Array(keys.length);
    let mismatches = 0;
    let firstBad = "";
    for (let i = 0; i < keys.length; i++) {
      const a = keys[i]!;
      want[i] = linear.lookup(a);
      const got = fast.lookup(a);
      if (got !== want[i]) {
        if (mismatches++ === 0) firstBad = `key ${a >>> 0}: fast ${got}, linear ${want[i]}`;
      }
    }
    expect(firstBad).toBe("");
    expect(mismatches).toBe(0);
    return want;
  }

  /** Keys around every range boundary the table makes: each net, the address before it, its last address, the one after. */
  function boundaryKeys(table: readonly LpmEntry[]): Uint32Array {
    const out: number[] = [0, 0xffffffff];
    for (const e of table) {
      const last = e.net + 2 ** (32 - e.len) - 1;
      out.push(e.net, Math.max(0, e.net - 1), last, Math.min(0xffffffff, last + 1));
    }
    return Uint32Array.from(out);
  }

  it("seeded DFZ-like table: 2,000 prefixes, 20,000 keys", () => {
    const table = makeTable(2000, 42);
    const keys = makeKeys(table, 20_000, 43);
    const want = expectSame(table, keys);
    // Even-numbered keys were drawn inside a table prefix, so the reference must find a route for each.
    for (let i = 0; i < keys.length; i += 2) expect(want[i]).not.toBe(-1);
    expectSame(table, boundaryKeys(table));
  });

  it("the same table in another order gives the same answers", () => {
    const table = makeTable(2000, 42);
    const keys = makeKeys(table, 5_000, 44);
    const a = buildFastLpm(table, layout);
    const b = buildFastLpm(shuffled(table, 3), layout);
    for (const k of keys) expect(b.lookup(k)).toBe(a.lookup(k));
  });

  it("sparse large values (distinct-value table path)", () => {
    const table = makeTable(2000, 7).map((e, i) => ({ ...e, value: (i * 1_000_003) % 0x7fffffff }));
    expectSame(table, makeKeys(table, 20_000, 8));
    expectSame(table, boundaryKeys(table));
  });

  it("dense nesting in one small region: every length, many host routes in one bucket", () => {
    // 3,000 prefixes of length 8..32 inside 10.0.0.0/8, crowded into 10.0.0.0/20 for the long ones:
    // buckets far over the branch-free probe count, and index groups over 255 ranges.
    const rand = mulberry32(99);
    const seen = new Set<number>();
    const table: LpmEntry[] = [];
    while (table.length < 3000) {
      const len = 8 + (rand() % 25);
      const span = len >= 20 ? 0x00000fff : 0x00ffffff;
      const net = ((ip("10.0.0.0") + (rand() & span)) & maskOf(len)) >>> 0;
      if (seen.has(net * 64 + len)) continue;
      seen.add(net * 64 + len);
      table.push({ net, len, value: table.length });
    }
    const keys = new Uint32Array(20_000);
    for (let i = 0; i < keys.length; i++) keys[i] = ip("10.0.0.0") + (rand() & (i % 2 === 0 ? 0xfff : 0xffffff));
    expectSame(table, keys);
    expectSame(table, boundaryKeys(table));
  });

  /**
   * Clusters of prefixes (1 to 8 clusters of 1 to 256 prefixes, each inside a random block of
   * 2^8 .. 2^24 addresses), sometimes with a default route: the shapes a node's table has, and the
   * ones that reach every corner of the fast table's layout. Over seeds 0..39 plus 143, 151 and 218
   * the tables include buckets of exactly 7 ranges (the last branch-free size) and of 8 (the first
   * searched one), single buckets over 255 ranges (a saturated end byte), groups of 16, 8, 4, 2
   * and 1 buckets, and both value encodings (value + 1, and the distinct-value table).
   */
  function clustered(seed: number): LpmEntry[] {
    const rand = mulberry32(seed);
    const seen = new Set<number>();
    const out: LpmEntry[] = [];
    const add = (addr: number, len: number): void => {
      const net = (addr & maskOf(len)) >>> 0;
      if (seen.has(net * 64 + len)) return;
      seen.add(net * 64 + len);
      out.push({ net, len, value: out.length });
    };
    if (rand() % 2 === 0) add(0, 0);
    const clusters = 1 + (rand() % 8);
    for (let c = 0; c < clusters; c++) {
      const base = rand();
      const width = 8 + (rand() % 17);
      const count = 1 << (rand() % 9);
      for (let i = 0; i < count; i++) {
        add((base & ~(2 ** width - 1)) + (rand() % 2 ** width), Math.max(32 - width, 1) + (rand() % (width + 1)));
      }
    }
    return out;
  }

  it("clustered tables: every bucket size, group width and value encoding", () => {
    const seeds = [...Array.from({ length: 40 }, (_, i) => i), 143, 151, 218];
    for (const seed of seeds) {
      const table = clustered(seed);
      const rand = mulberry32(seed + 1000);
      const keys = new Uint32Array(1000);
      // Half inside a random prefix of the table, half anywhere.
      for (let i = 0; i < keys.length; i++) {
        const e = i % 2 === 0 ? table[rand() % table.length] : undefined;
        keys[i] = e === undefined ? rand() : (e.net | (rand() & ~maskOf(e.len))) >>> 0;
      }
      expectSame(table, keys);
      expectSame(table, boundaryKeys(table));
    }
  });

  it("random prefixes of every length over the whole space, with a default route", () => {
    const rand = mulberry32(5);
    const seen = new Set<number>();
    const table: LpmEntry[] = [{ net: 0, len: 0, value: 0 }];
    seen.add(0);
    while (table.length < 2000) {
      const len = rand() % 33;
      const net = (rand() & maskOf(len)) >>> 0;
      if (seen.has(net * 64 + len)) continue;
      seen.add(net * 64 + len);
      table.push({ net, len, value: table.length });
    }
    const keys = new Uint32Array(20_000);
    for (let i = 0; i < keys.length; i++) keys[i] = rand();
    expectSame(table, keys);
    expectSame(table, boundaryKeys(table));
  });

  /** Every address of each /24 block given (by its first address). */
  function blockKeys(blocks: readonly number[]): Uint32Array {
    const out: number[] = [];
    for (const b of blocks) for (let i = 0; i < 256; i++) out.push(b + i);
    return Uint32Array.from(out);
  }

  it("prefixes longer than /24 side by side, at 0.0.0.0 and at 255.255.255.255", () => {
    // The bitmap layout sends /24 blocks holding such prefixes to exact side lists: blocks next to
    // each other, a block followed by a /24 that starts right after it, the first and last blocks.
    const table = [
      route("0.0.0.0/0", 0), route("0.0.0.0/32", 1), route("0.0.0.128/25", 2), route("0.0.1.7/32", 3),
      route("10.0.0.64/26", 4), route("10.0.1.0/30", 5), route("10.0.1.200/29", 6), route("10.0.2.0/24", 7),
      route("10.0.3.5/32", 8), route("10.0.4.0/24", 9), route("10.0.4.0/25", 10), route("10.0.16.0/20", 11),
      route("10.0.15.255/32", 12), route("10.0.16.0/32", 13), route("10.0.31.255/32", 14),
      route("255.255.255.0/25", 15), route("255.255.255.254/31", 16), route("255.255.255.255/32", 17),
      route("255.255.254.255/32", 18),
    ];
    const blocks = [0, 256, 512, ip("10.0.0.0"), ip("10.0.1.0"), ip("10.0.2.0"), ip("10.0.3.0"), ip("10.0.4.0"),
      ip("10.0.5.0"), ip("10.0.15.0"), ip("10.0.16.0"), ip("10.0.17.0"), ip("10.0.31.0"), ip("10.0.32.0"),
      ip("255.255.253.0"), ip("255.255.254.0"), ip("255.255.255.0")];
    expectSame(table, blockKeys(blocks));
    expectSame(table, boundaryKeys(table));
    expectSame(table.slice(1), blockKeys(blocks)); // without the default route: gaps are -1
  });

  it("every /24 of a whole /8 holds a range start", () => {
    // For the bitmap layout: full 32-slot buckets (bit 31, the sign bit, set too) and 65,536
    // records in one /8, so each bucket's offset from the /8's first record takes its largest values.
    const table: LpmEntry[] = [];
    for (let i = 0; i < 65_536; i++) table.push({ net: ip("20.0.0.0") + i * 256, len: 24, value: i });
    table.push(route("21.0.0.0/8", 70_000), route("21.0.5.0/24", 70_001), route("21.0.5.9/32", 70_002));
    // (The linear reference scans 65,539 prefixes per key: a few thousand keys.)
    const rand = mulberry32(11);
    const keys = new Uint32Array(3000);
    for (let i = 0; i < keys.length; i++) keys[i] = ip("20.0.0.0") + (rand() % (2 * 2 ** 24));
    expectSame(table, keys);
    expectSame(table, boundaryKeys(table.filter((_, i) => i % 257 === 0 || i >= 65_536)));
    expectSame(table, blockKeys([ip("20.0.0.0"), ip("20.255.255.0"), ip("21.0.0.0"), ip("21.0.5.0"), ip("21.0.6.0")]));
  });

  it("values beyond what a code can hold, with prefixes longer than /24", () => {
    const table = makeTable(3000, 21).map((e, i) => ({ ...e, value: 0x7fffffff - i * 3 }));
    expectSame(table, makeKeys(table, 20_000, 22));
    expectSame(table, boundaryKeys(table));
  });
});

describe("fast LPM size", () => {
  // The fixed part: the table object and its typed arrays (what an empty table reports).
  const CONSTANT_BYTES = 1024;

  it(`holds at most 16 bytes per prefix + ${CONSTANT_BYTES} bytes for 5,000 seeded prefixes`, () => {
    const lpm = buildFastLpm(makeTable(5000));
    expect(lpm.bytes()).toBeGreaterThan(5000 * 4); // at least one word per prefix: a real estimate
    expect(lpm.bytes()).toBeLessThanOrEqual(16 * 5000 + CONSTANT_BYTES);
  });

  it("adjacent prefixes with one value merge into one range", () => {
    const slash24s = (value: (i: number) => number): LpmEntry[] =>
      Array.from({ length: 256 }, (_, i) => ({ net: ip("10.0.0.0") + i * 256, len: 24, value: value(i) }));
    const merged = buildFastLpm(slash24s(() => 1));
    const one = buildFastLpm([route("10.0.0.0/16", 1)]);
    const distinct = buildFastLpm(slash24s((i) => i));
    expect(merged.bytes()).toBe(one.bytes());
    expect(distinct.bytes()).toBeGreaterThan(one.bytes() + 255 * 4);
    expectLookups(merged, [["9.255.255.255", -1], ["10.0.0.0", 1], ["10.0.255.255", 1], ["10.1.0.0", -1]]);
  });

  it("a million seeded prefixes: the bitmap layout, within 16 bytes per prefix, agreeing with the range layout", () => {
    const table = makeTable(1_000_000);
    const keys = makeKeys(table, 200_000);
    const auto = buildFastLpm(table);
    const ranges = buildFastLpm(table, "ranges");
    const bitmap = buildFastLpm(table, "bitmap");
    expect(auto.bytes()).toBe(bitmap.bytes());
    expect(auto.bytes()).toBeLessThanOrEqual(16 * table.length + CONSTANT_BYTES);
    let mismatches = 0;
    for (const k of keys) if (auto.lookup(k) !== ranges.lookup(k)) mismatches++;
    expect(mismatches).toBe(0);
    const linear = buildLinearLpm(table);
    for (let i = 0; i < 50; i++) expect(auto.lookup(keys[i]!)).toBe(linear.lookup(keys[i]!));
  }, 60_000);

  it(`an empty table costs under ${CONSTANT_BYTES} bytes`, () => {
    expect(buildFastLpm([]).bytes()).toBeLessThanOrEqual(CONSTANT_BYTES);
  });
});
