/**
 * What flanneld sees of its node through netlink: the interfaces in ifindex order
 * (net.Interfaces), each one's IPv4 addresses in the kernel's ifa_list order
 * (netlink.AddrList), the main table's routes (netlink.RouteList with no filter keeps table
 * main only) and `ip route get` (netlink.RouteGet). The input is the node's own namespace
 * state, exactly as a scenario describes it; nothing here looks at the packet path.
 */
import type { Ipv4 } from "../../core/ip.js";
import { inPrefix, isLoopback, isMulticastIp } from "../../core/ip.js";
import type { AddrLike } from "../../netns/ifa-list.js";
import { ifaList } from "../../netns/ifa-list.js";
import { kernelRoutes } from "../../netns/kernel-routes.js";
import type { DeviceSpec, NetnsSpec, RouteSpec } from "../../netns/spec.js";
import { TABLE_MAIN } from "../../netns/spec.js";
import { Fib } from "../../route/fib.js";
import { scopeRank } from "../../route/route.js";

/** The node before (or while) flannel runs: its devices in ifindex order, addresses and routes. */
export type HostState = Pick<NetnsSpec, "devices" | "addresses" | "routes">;

/** The MTU the kernel gives a device when none was set (what `ip link` would show). */
export function deviceMtu(host: HostState, d: DeviceSpec): number {
  if (d.mtu !== undefined) return d.mtu;
  if (d.kind === "loopback") return 65536;
  if (d.kind === "vxlan") {
    const lower = d.dev !== undefined ? host.devices.find((x) => x.name === d.dev) : undefined;
    return lower ? Math.max(deviceMtu(host, lower) - 50, 68) : 1500;
  }
  return 1500;
}

function addrLikes(host: HostState): AddrLike[] {
  const devs = new Map(host.devices.map((d) => [d.name, { name: d.name, up: d.up, kind: d.kind }]));
  return host.addresses.flatMap((a) => {
    const dev = devs.get(a.dev);
    return dev ? [{ addr: a.addr, len: a.len, scope: a.scope, dev, ...(a.broadcast !== undefined ? { broadcast: a.broadcast } : {}) }] : [];
  });
}

/** The device's IPv4 addresses in ifa_list order (what netlink.AddrList returns). */
export function ipv4Addrs(host: HostState, dev: string): Ipv4[] {
  const likes = addrLikes(host);
  const d = likes.find((a) => a.dev.name === dev)?.dev;
  return d ? ifaList(likes, d).map((x) => x.addr.addr) : [];
}

/** net.IP.IsGlobalUnicast for an IPv4 address (private ranges included). */
export function isGlobalUnicast(a: Ipv4): boolean {
  return a !== 0 && a !== 0xffffffff && !isLoopback(a) && !isMulticastIp(a) && !isLinkLocal(a);
}

export function isLinkLocal(a: Ipv4): boolean {
  return a >>> 16 === 0xa9fe;
}

/**
 * ip.GetInterfaceIP4Addrs (flannel ≤ v0.27): global unicast addresses in kernel order, then
 * link-local ones; loopback and multicast never qualify. Empty means flannel's
 * "No IPv4 address found for given interface".
 */
export function eligibleIpv4Addrs(host: HostState, dev: string): Ipv4[] {
  const all = ipv4Addrs(host, dev);
  return [...all.filter(isGlobalUnicast), ...all.filter(isLinkLocal)];
}

/** The default route flanneld takes: the first `0.0.0.0/0` of table main in dump order (lowest metric first). */
export function firstDefaultRoute(host: HostState): RouteSpec | undefined {
  const defaults = host.routes.filter((r) => r.table === TABLE_MAIN && r.len === 0);
  return [...defaults].sort((a, b) => a.metric - b.metric)[0];
}

export type RouteGetResult =
  | { readonly ok: true; readonly dev: string; readonly src?: Ipv4; readonly via?: Ipv4; readonly type: RouteSpec["type"] }
  | { readonly ok: false; readonly error: string };

/** Go's syscall.Errno texts for the errnos a failed `ip route get` gives. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENETUNREACH: "network is unreachable",
  EHOSTUNREACH: "no route to host",
  EINVAL: "invalid argument",
  EACCES: "permission denied",
};

/**
 * `ip route get dst` (no source, no oif): the FIB of the kernel's own routes plus the node's,
 * and the preferred source as fib_result_prefsrc gives it — the route's `src`, else
 * inet_select_addr(dev, gateway, route scope).
 */
export function routeGet(host: HostState, dst: Ipv4): RouteGetResult {
  const likes = addrLikes(host);
  const fib = new Fib([...kernelRoutes(likes), ...host.routes]);
  const r = fib.lookup(dst);
  if (!r.ok) return { ok: false, error: ERRNO_TEXT[r.errno] ?? r.errno };
  const route = r.route;
  const dev = route.dev ?? "lo";
  let src = route.src;
  if (src === undefined) {
    const limit = scopeRank(route.scope);
    const d = likes.find((a) => a.dev.name === dev)?.dev;
    const list = d ? ifaList(likes, d).filter((x) => !x.secondary && scopeRank(x.addr.scope) <= limit) : [];
    const gw = route.via ?? 0;
    src = (list.find((x) => gw === 0 || inPrefix(gw, x.addr.addr, x.addr.len)) ?? list[0])?.addr.addr;
  }
  return { ok: true, dev, type: route.type, ...(src !== undefined ? { src } : {}), ...(route.via !== undefined ? { via: route.via } : {}) };
}

/**
 * The device the kernel gives a route added with only a gateway (`ip route replace X via G`,
 * as flannel's DirectRouting does): fib_check_nh_v4_gw looks G up in table main at link scope
 * (so only connected routes qualify), then anywhere; a local G is accepted too.
 */
export function gatewayDev(host: HostState, gw: Ipv4): string | undefined {
  const fib = new Fib([...kernelRoutes(addrLikes(host)), ...host.routes]);
  const main = fib.tables.get(TABLE_MAIN)?.lookup(gw, (r) => scopeRank(r.scope) >= scopeRank("link"));
  if (main) return main.dev;
  const any = fib.lookup(gw);
  return any.ok ? (any.route.dev ?? "lo") : undefined;
}
