/**
 * nf_nat_setup_info() and get_unique_tuple() (net/netfilter/nf_nat_core.c): bind a new
 * connection to a NAT range. The connection's reply tuple is rewritten so replies are
 * recognised and translated back. A source NAT keeps the original source port if no live
 * connection would collide (nf_nat_used_tuple), otherwise — or always with --random-fully —
 * it draws one from the port range (1–511, 600–1023 or 1024–65535 by the original port, as
 * nf_nat_l4proto_unique_tuple does), from the run's seeded stream. A destination NAT without a
 * port range keeps the port even on collision, as the kernel does.
 *
 * Not the kernel's: with an address range of several addresses the kernel picks one by jhash of
 * the addresses; podpath uses its own stable hash of the same inputs.
 */
import type { Rng } from "../../core/rng.js";
import type { Conn } from "../conntrack/conn.js";
import type { ConntrackTable } from "../conntrack/table.js";
import type { Tuple } from "../conntrack/tuple.js";
import { invert, tupleEqual } from "../conntrack/tuple.js";
import { PROTO_TCP, PROTO_UDP } from "../../wire/packet.js";
import type { ManipType } from "./manip.js";

/** Fields are always present (undefined = not restricted): built once per new connection, kept monomorphic. */
export interface NatBinding {
  readonly minIp: number | undefined;
  readonly maxIp: number | undefined;
  readonly minPort: number | undefined;
  readonly maxPort: number | undefined;
  /** --random / --random-fully: no "keep the original port" attempt. */
  readonly randomAll: boolean;
  readonly persistent: boolean;
}

export function natInitialized(c: Conn, m: ManipType): boolean {
  return m === "SRC" ? c.status.srcNatDone : c.status.dstNatDone;
}

export function natSetupInfo(table: ConntrackTable, c: Conn, range: NatBinding, m: ManipType, rng: Rng, now: number): void {
  const curr = invert(c.reply);
  const next = uniqueTuple(table, c, curr, range, m, rng, now);
  if (!tupleEqual(next, curr)) {
    c.reply = invert(next);
    if (m === "SRC") c.status.srcNat = true;
    else c.status.dstNat = true;
  }
  if (m === "SRC") c.status.srcNatDone = true;
  else c.status.dstNatDone = true;
}

/** __nf_nat_alloc_null_binding(): no rule chose a NAT; the address stays, a clashing source port still moves. */
export function natNullBinding(table: ConntrackTable, c: Conn, m: ManipType, rng: Rng, now: number): void {
  const ip = m === "SRC" ? c.orig.src : c.reply.src;
  natSetupInfo(table, c, { minIp: ip, maxIp: ip, minPort: undefined, maxPort: undefined, randomAll: false, persistent: false }, m, rng, now);
}

function hasPorts(t: Tuple): boolean {
  return t.proto === PROTO_TCP || t.proto === PROTO_UDP;
}

function inRange(t: Tuple, r: NatBinding, m: ManipType): boolean {
  const ip = m === "SRC" ? t.src : t.dst;
  if (r.minIp !== undefined && (ip < r.minIp || ip > r.maxIp!)) return false;
  if (r.minPort === undefined || !hasPorts(t)) return true;
  const port = m === "SRC" ? t.sport : t.dport;
  return port >= r.minPort && port <= r.maxPort!;
}

function uniqueTuple(table: ConntrackTable, c: Conn, orig: Tuple, r: NatBinding, m: ManipType, rng: Rng, now: number): Tuple {
  if (m === "SRC" && !r.randomAll && inRange(orig, r, m) && !table.used(orig, c, now)) return orig;
  let t = withIp(orig, r, m);
  if (!r.randomAll) {
    if (r.minPort === undefined || !hasPorts(t) || inRange(t, r, m)) {
      if (!table.used(t, c, now)) return t;
    }
  }
  if (!hasPorts(t)) return t;
  // nf_nat_l4proto_unique_tuple
  const key = m === "SRC" ? t.sport : t.dport;
  let min: number;
  let size: number;
  if (r.minPort === undefined) {
    if (m === "DST") return t;
    if (key < 1024) [min, size] = key < 512 ? [1, 511] : [600, 424];
    else [min, size] = [1024, 64512];
  } else {
    min = r.minPort;
    size = r.maxPort! - r.minPort + 1;
  }
  let off = rng.int(0, 0xffff);
  let attempts = Math.min(size, 128);
  for (;;) {
    for (let i = 0; i < attempts; i++, off++) {
      const port = min + (off % size);
      t = m === "SRC" ? { ...t, sport: port } : { ...t, dport: port };
      if (!table.used(t, c, now)) return t;
    }
    attempts = Math.floor(attempts / 2);
    if (attempts < 16) break;
    off = rng.int(0, 0xffff);
  }
  return t;
}

function withIp(t: Tuple, r: NatBinding, m: ManipType): Tuple {
  if (r.minIp === undefined) return t;
  let ip = r.minIp;
  if (r.maxIp !== undefined && r.maxIp !== r.minIp) {
    const dist = r.maxIp - r.minIp + 1;
    const h = stableHash(t.src, r.persistent ? 0 : m === "SRC" ? t.dst : t.dport);
    ip = r.minIp + (h % dist);
  }
  return m === "SRC" ? { ...t, src: ip >>> 0 } : { ...t, dst: ip >>> 0 };
}

function stableHash(a: number, b: number): number {
  let h = 0x811c9dc5;
  for (const x of [a, b]) {
    for (let i = 0; i < 4; i++) {
      h ^= (x >>> (8 * i)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}
