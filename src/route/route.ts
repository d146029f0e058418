/**
 * A route as the kernel's FIB holds it (`struct fib_alias` + its nexthop), and how `ip route`
 * prints it. Mirrors include/net/ip_fib.h: type (RTN_*), scope, protocol, metric, prefsrc, one
 * nexthop (gateway, device, onlink flag).
 */
import { formatIpv4, formatRouteDst } from "../core/ip.js";
import type { RouteSpec, Scope } from "../netns/spec.js";
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN } from "../netns/spec.js";

/** The FIB holds exactly what the spec describes; one type, so the two never drift apart. */
export type Route = RouteSpec;

export function tableName(id: number): string {
  if (id === TABLE_LOCAL) return "local";
  if (id === TABLE_MAIN) return "main";
  if (id === TABLE_DEFAULT) return "default";
  return String(id);
}

/** Numeric scope as the kernel orders them: a smaller number reaches further. */
export function scopeRank(s: Scope): number {
  return s === "universe" ? 0 : s === "link" ? 253 : 254;
}

/**
 * One line of `ip route show`, in iproute2's order (print_route): type, dst, via, dev, table,
 * proto (unless boot), scope (unless universe), src, metric (the kernel omits 0), flags.
 */
export function formatRoute(r: Route, showTable = false): string {
  const parts: string[] = [];
  if (r.type !== "unicast") parts.push(r.type);
  parts.push(formatRouteDst({ addr: r.dst, len: r.len }));
  if (r.via !== undefined) parts.push("via", formatIpv4(r.via));
  if (r.dev !== undefined) parts.push("dev", r.dev);
  if (showTable && r.table !== TABLE_MAIN) parts.push("table", tableName(r.table));
  if (r.proto !== "boot") parts.push("proto", r.proto);
  if (r.scope !== "universe") parts.push("scope", r.scope);
  if (r.src !== undefined) parts.push("src", formatIpv4(r.src));
  if (r.metric !== 0) parts.push("metric", String(r.metric));
  if (r.onlink) parts.push("onlink");
  return parts.join(" ");
}
