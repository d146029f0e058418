/**
 * The output route lookup for a locally sent packet: ip_route_output_key_hash_rcu() in
 * net/ipv4/route.c. Picks the route, the output device (loopback for a local destination), the
 * next hop, and the source address (the route's `src`, else inet_select_addr on the nexthop
 * device with the route's scope). With an output device given (`ping -I`, a vxlan `dev`) and no
 * route, the kernel assumes the destination is on-link, and so do we.
 */
import type { Ipv4 } from "../core/ip.js";
import { formatIpv4 } from "../core/ip.js";
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import type { Route } from "../route/route.js";
import { formatRoute, tableName } from "../route/route.js";

export interface OutputRoute {
  readonly ok: true;
  readonly route?: Route;
  readonly dev: Device;
  readonly nexthop: Ipv4;
  readonly src: Ipv4;
  readonly local: boolean;
  readonly broadcast: boolean;
}
export interface OutputRouteError {
  readonly ok: false;
  readonly errno: string;
  readonly route?: Route;
}

export interface OutputKey {
  readonly src?: Ipv4;
  readonly oif?: Device;
}

export function routeOutput(ns: Netns, dst: Ipv4, key: OutputKey = {}): OutputRoute | OutputRouteError {
  const oif = key.oif;
  if (dst === 0xffffffff && oif) {
    return { ok: true, dev: oif, nexthop: dst, src: key.src ?? ns.selectAddr(oif, 0, "link") ?? (0 as Ipv4), local: false, broadcast: true };
  }
  const res = ns.fib.lookup(dst, oif ? (r) => r.dev === oif.name : undefined);
  if (!res.ok) {
    if (oif && res.errno === "ENETUNREACH") {
      return { ok: true, dev: oif, nexthop: dst, src: key.src ?? ns.selectAddr(oif, 0, "link") ?? (0 as Ipv4), local: false, broadcast: false };
    }
    return res.route ? { ok: false, errno: res.errno, route: res.route } : { ok: false, errno: res.errno };
  }
  const r = res.route;
  if (r.type === "local") {
    return { ok: true, route: r, dev: ns.loopback, nexthop: dst, src: key.src ?? r.src ?? dst, local: true, broadcast: false };
  }
  const dev = ns.device(r.dev!)!;
  const src = key.src ?? r.src ?? ns.selectAddr(dev, r.via ?? 0, r.scope) ?? (0 as Ipv4);
  return { ok: true, route: r, dev, nexthop: r.via ?? dst, src, local: false, broadcast: r.type === "broadcast" };
}

/** The decision as a trace step's text, shaped like `ip route get`. */
export function describeOutput(dst: Ipv4, r: OutputRoute | OutputRouteError): { matched: string; table: string; text: string } {
  const d = formatIpv4(dst);
  if (!r.ok) {
    return {
      matched: r.route ? formatRoute(r.route) : "(none)",
      table: r.route ? tableName(r.route.table) : "-",
      text: r.route ? `${r.route.type} ${d}: ${r.errno}` : `no route to ${d}: ${r.errno}`,
    };
  }
  const via = r.route?.via !== undefined ? ` via ${formatIpv4(r.route.via)}` : "";
  const dev = r.local ? "lo" : r.dev.name;
  const prefix = r.local ? "local " : r.broadcast ? "broadcast " : "";
  return {
    matched: r.route ? formatRoute(r.route) : `(none; on-link via ${r.dev.name})`,
    table: r.route ? tableName(r.route.table) : "-",
    text: `${prefix}${d}${via} dev ${dev} src ${formatIpv4(r.src)}`,
  };
}
