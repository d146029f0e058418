/**
 * Routes: `ip route add|replace|append` and structured `routes:` entries.
 *
 * Owns what fib_table_insert / fib_create_info decide, in the kernel's order (each checked on a
 * real kernel): the device must exist; host bits in the prefix are refused; the scope must suit
 * the type; error routes (unreachable, blackhole, prohibit, throw) take no gateway or device;
 * host-scope routes take no gateway; a device route needs its device up; a gateway must be
 * reachable (fib.ts) unless `onlink`; `src` must be a local address. Then, with the key
 * (table, dst/len, tos, metric) — tos is always 0 here — `add` on an existing key is "File
 * exists" whatever the type, `append` refuses only an identical route, `replace` takes the
 * first route with the key. The nexthop device found for a gateway is stored as `dev`, as
 * `ip route` shows it.
 */
import { formatIpv4, formatRouteDst, type Ipv4 } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import type { RouteSpec, RouteType, Scope } from "../../netns/spec.js";
import { refuse, type Refusal } from "../issues.js";
import { checkGateway, isLocalAddress, isUnicastElsewhere } from "./fib.js";
import { findDev, nsOf, type WorldDraft } from "./world.js";

/** A route as written: the spec's route with the place it was written, which refusals point at. */
export type NewRoute = RouteSpec & { readonly at: Position };

export type RouteMode = "add" | "replace" | "append";

const ERROR_TYPES: ReadonlySet<RouteType> = new Set(["unreachable", "blackhole", "prohibit", "throw"]);
/** fib_props[type].scope: the narrowest scope a route of that type may claim. */
const MIN_SCOPE: Record<RouteType, Scope> = {
  unicast: "universe",
  local: "host",
  broadcast: "link",
  unreachable: "universe",
  blackhole: "universe",
  prohibit: "universe",
  throw: "universe",
};
const RANK: Record<Scope, number> = { universe: 0, link: 253, host: 254 };

function describe(r: NewRoute): string {
  const t = r.type === "unicast" ? "" : `${r.type} `;
  return `${t}${formatRouteDst({ addr: r.dst, len: r.len })} (table ${r.table}, metric ${r.metric})`;
}

/** Validates the nexthop and returns the device it resolved to (if any). */
function nexthop(w: WorldDraft, nsName: string, r: NewRoute): { dev?: string } | Refusal {
  const ns = nsOf(w, nsName);
  if (RANK[r.scope] < RANK[MIN_SCOPE[r.type]]) {
    return refuse("invalid-scope", `Invalid scope: a ${r.type} route needs scope ${MIN_SCOPE[r.type]} or narrower, found ${r.scope}`, "scope");
  }
  if (ERROR_TYPES.has(r.type)) {
    if (r.via !== undefined || r.dev !== undefined) {
      return refuse("route-type-nexthop", `Gateway, device and multipath can not be specified for this route type (${r.type})`, r.via !== undefined ? "via" : "dev");
    }
    return {};
  }
  const dev = r.dev === undefined ? undefined : findDev(ns, r.dev);
  if (r.scope === "host") {
    if (r.via !== undefined) return refuse("invalid-gateway", `Route with host scope can not have a gateway`, "via");
    if (dev === undefined) return refuse("no-such-device", `No such device: a ${r.type} route needs "dev"`, "dev");
    return { dev: dev.name };
  }
  if (r.via === undefined) {
    if (r.onlink) return refuse("invalid-flags", `Invalid flags for nexthop - PERVASIVE and ONLINK can not be set (onlink needs "via")`, "onlink");
    if (dev === undefined) return refuse("no-such-device", `No such device: a route without "via" needs "dev"`, "dev");
    if (!dev.up) return refuse("nexthop-device-down", `Device for nexthop is not up: "${dev.name}" is down (ip link set ${dev.name} up first)`, "dev");
    return { dev: dev.name };
  }
  if (r.onlink) {
    if (dev === undefined) return refuse("no-such-device", `No such device: an onlink route needs "dev"`, "dev");
    if (!dev.up) return refuse("nexthop-device-down", `Nexthop device is not up: "${dev.name}" is down (ip link set ${dev.name} up first)`, "dev");
    if (!isUnicastElsewhere(ns, r.via)) return refuse("invalid-gateway", `Nexthop has invalid gateway: ${formatIpv4(r.via)} is a local or broadcast address`, "via");
    return { dev: dev.name };
  }
  const gw = checkGateway(ns, r.table, r.via, r.scope, dev?.name);
  if (!gw.ok) {
    const on = dev === undefined ? "" : ` on ${dev.name}`;
    return refuse(
      "invalid-gateway",
      `Nexthop has invalid gateway: ${formatIpv4(r.via)} is not in a connected subnet${on} nor covered by a link-scope route (add the address and bring the device up first, or use onlink)`,
      "via",
    );
  }
  return { dev: gw.dev };
}

export function addRoute(w: WorldDraft, nsName: string, r: NewRoute, mode: RouteMode): Refusal | undefined {
  const ns = nsOf(w, nsName);
  if (r.dev !== undefined && findDev(ns, r.dev) === undefined) {
    return refuse("unknown-device", `Cannot find device "${r.dev}" in namespace ${nsName}`, "dev", r.dev);
  }
  const nh = nexthop(w, nsName, r);
  if ("code" in nh) return nh;
  if (r.src !== undefined && !(r.type === "local" && r.src === r.dst && r.len === 32) && !isLocalAddress(ns, r.table, r.src)) {
    return refuse("invalid-prefsrc", `Invalid prefsrc address: ${formatIpv4(r.src)} is not an address of namespace ${nsName}`, "src");
  }
  const spec: RouteSpec = {
    table: r.table,
    type: r.type,
    dst: r.dst,
    len: r.len,
    metric: r.metric,
    scope: r.scope,
    proto: r.proto,
    onlink: r.onlink,
    at: r.at,
    ...(r.via !== undefined ? { via: r.via } : {}),
    ...(nh.dev !== undefined ? { dev: nh.dev } : {}),
    ...(r.src !== undefined ? { src: r.src } : {}),
  };
  const sameKey = (x: RouteSpec): boolean => x.table === spec.table && x.dst === spec.dst && x.len === spec.len && x.metric === spec.metric;
  const first = ns.routes.findIndex(sameKey);
  const identical = ns.routes.some(
    (x) => sameKey(x) && x.type === spec.type && x.via === spec.via && x.dev === spec.dev && x.src === spec.src && x.scope === spec.scope && x.proto === spec.proto && x.onlink === spec.onlink,
  );
  if (mode === "add" && first >= 0) return refuse("file-exists", `File exists: a route to ${describe(r)} is already there (use replace or append)`, "dst");
  if (mode === "append" && identical) return refuse("file-exists", `File exists: the same route to ${describe(r)} is already there`, "dst");
  if (mode === "replace" && first >= 0) ns.routes[first] = spec;
  else ns.routes.push(spec);
  return undefined;
}
