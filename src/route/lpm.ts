/**
 * Longest-prefix match over IPv4 prefixes: the one interface both FIB implementations serve.
 *
 * Owns: `LpmEntry`, `Lpm`, `LpmBuilder`, and the re-exports of the two builders.
 * Mirrors: the lookup half of the kernel's `fib_table_lookup` (net/ipv4/fib_trie.c) — given a
 * destination, find the most specific prefix that contains it. Route attributes (table, scope,
 * type, metric, nexthops) live with the caller; an LPM only maps an address to the caller's index.
 *
 * Tables are immutable: a route change rebuilds the table, so a builder is a plain function from
 * entries to a lookup structure. `buildLinearLpm` is the reference (obviously correct, O(N) per
 * lookup); `buildFastLpm` is the one the packet path uses. Both pass test/conformance/lpm.test.ts.
 */

/**
 * One prefix. `net` is a uint32 with the host bits zero, `0 <= len <= 32`, and `value` is a
 * non-negative integer index the caller owns (at most 2^31 - 1). The same `net`+`len` appears at
 * most once in a table (callers guarantee it).
 */
export interface LpmEntry {
  readonly net: number;
  readonly len: number;
  readonly value: number;
}

export interface Lpm {
  /** The value of the longest prefix containing `addr` (a uint32, or its int32 bit pattern), or -1. */
  lookup(addr: number): number;
  /** Number of prefixes the table was built from. */
  readonly size: number;
  /** Bytes held by this structure's typed arrays and objects (a best estimate). */
  bytes(): number;
}

export type LpmBuilder = (entries: readonly LpmEntry[]) => Lpm;

export { buildLinearLpm } from "./lpm-linear.js";
export { buildFastLpm } from "./lpm-fast.js";

