/**
 * The nexthop checks the kernel runs when a route is added (fib_create_info → fib_check_nh,
 * fib_valid_prefsrc), over the FIB as it stands at that moment.
 *
 * Owns a small view of the namespace's FIB: the routes the kernel derives from addresses
 * (netns/kernel-routes.ts, shared with the packet path) plus the routes added so far. With no policy
 * rules the local and main tables share one trie, so they are searched together, then `default`.
 * This is only for validating input; the packet path has its own FIB in route/.
 */
import { inPrefix, type Ipv4 } from "../../core/ip.js";
import { kernelRoutes } from "../../netns/kernel-routes.js";
import type { RouteType, Scope } from "../../netns/spec.js";
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN } from "../../netns/spec.js";
import type { NsDraft } from "./world.js";

interface FibEntry {
  readonly table: number;
  readonly type: RouteType;
  readonly dst: number;
  readonly len: number;
  readonly dev?: string;
  readonly scope: Scope;
  readonly metric: number;
}

const SCOPE_RANK: Record<Scope, number> = { universe: 0, link: 253, host: 254 };

/** The kernel's own routes for the draft's addresses: the same function the packet path uses. */
function derived(ns: NsDraft): FibEntry[] {
  const devs = new Map(ns.devices.map((d) => [d.name, { name: d.name, up: d.up, kind: d.kind }]));
  return kernelRoutes(ns.addresses.flatMap((a) => {
    const dev = devs.get(a.dev);
    return dev ? [{ addr: a.addr, len: a.len, scope: a.scope, dev, ...(a.broadcast !== undefined ? { broadcast: a.broadcast } : {}) }] : [];
  }));
}

function entries(ns: NsDraft): FibEntry[] {
  return [...derived(ns), ...ns.routes.map((r) => ({ ...r, ...(r.dev !== undefined ? { dev: r.dev } : {}) }))];
}

type Lookup =
  | { readonly kind: "found"; readonly entry: FibEntry }
  | { readonly kind: "error" }; // no match, throw, or an error route: the caller falls back or fails

/** fib_table_lookup: longest prefix first, then lowest metric; scope and oif filter aliases. */
function lookup(all: readonly FibEntry[], tables: readonly number[], addr: number, minScope: number, oif?: string): Lookup {
  const candidates = all
    .filter((e) => tables.includes(e.table) && inPrefix(addr, e.dst, e.len))
    .sort((a, b) => b.len - a.len || a.metric - b.metric);
  for (const e of candidates) {
    if (SCOPE_RANK[e.scope] < minScope) continue;
    if (e.type === "unreachable" || e.type === "blackhole" || e.type === "prohibit" || e.type === "throw") return { kind: "error" };
    if (oif !== undefined && e.dev !== oif) continue;
    return { kind: "found", entry: e };
  }
  return { kind: "error" };
}

/** The tables one lookup covers: local and main are one trie until policy rules exist. */
function tablesOf(table: number): readonly number[] {
  return table === TABLE_MAIN || table === TABLE_LOCAL ? [TABLE_MAIN, TABLE_LOCAL] : [table];
}

/** fib_lookup without custom rules: main (with local), then default. */
function fullLookup(all: readonly FibEntry[], addr: number, minScope: number, oif?: string): Lookup {
  const main = lookup(all, tablesOf(TABLE_MAIN), addr, minScope, oif);
  return main.kind === "found" ? main : lookup(all, [TABLE_DEFAULT], addr, minScope, oif);
}

export type GatewayCheck = { readonly ok: true; readonly dev: string } | { readonly ok: false };

/**
 * fib_check_nh_v4_gw without onlink: the gateway must be reachable through a route of scope
 * link or narrower (one scope step inside the route's own) — a connected subnet, a local
 * address, or a device route added earlier — on `oif` when a device was named, and that route
 * must be unicast or local. The route's device becomes the nexthop device.
 */
export function checkGateway(ns: NsDraft, table: number, gw: Ipv4, routeScope: Scope, oif?: string): GatewayCheck {
  const all = entries(ns);
  const minScope = Math.max(SCOPE_RANK[routeScope] + 1, SCOPE_RANK.link);
  let res: Lookup = { kind: "error" };
  if (table !== TABLE_MAIN) res = lookup(all, tablesOf(table), gw, minScope, oif);
  if (res.kind !== "found") res = fullLookup(all, gw, minScope, oif);
  if (res.kind !== "found" || (res.entry.type !== "unicast" && res.entry.type !== "local") || res.entry.dev === undefined) {
    return { ok: false };
  }
  return { ok: true, dev: res.entry.dev };
}

/** inet_addr_type_dev_table for onlink gateways: the gateway must not be one of our own or a broadcast address. */
export function isUnicastElsewhere(ns: NsDraft, gw: Ipv4): boolean {
  if (gw === 0 || gw === 0xffffffff || gw >>> 28 === 0xe) return false;
  const r = fullLookup(entries(ns), gw, 0);
  return !(r.kind === "found" && (r.entry.type === "local" || r.entry.type === "broadcast"));
}

/** fib_valid_prefsrc: the preferred source must be a local address (in the route's table or local). */
export function isLocalAddress(ns: NsDraft, table: number, src: Ipv4): boolean {
  return entries(ns).some(
    (e) => e.type === "local" && (tablesOf(table).includes(e.table) || e.table === TABLE_LOCAL) && inPrefix(src, e.dst, e.len),
  );
}
