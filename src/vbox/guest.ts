/**
 * A guest's own network state as an Ubuntu cloud/Vagrant image (netplan → systemd-networkd)
 * leaves it after boot (research B7, typical output, unverified on a real VM):
 *
 *   default via 10.0.2.2 dev enp0s3 proto dhcp src 10.0.2.15 metric 100
 *   10.0.2.0/24 dev enp0s3 proto kernel scope link src 10.0.2.15          ← the kernel's own
 *   10.0.2.2 dev enp0s3 proto dhcp scope link src 10.0.2.15 metric 100    ← route to the router
 *   10.0.2.3 dev enp0s3 proto dhcp scope link src 10.0.2.15 metric 100    ← RoutesToDNS
 *
 * Every DHCP lease whose server sends a router gets the default and the router route; netplan
 * gives every wired DHCP interface metric 100, so with two such leases both defaults sit at 100
 * and the first installed wins — here the lower adapter number (on a real VM, whichever lease
 * came first). Static addresses get only the kernel's connected route.
 *
 * Not expressible in WorldSpec yet: B7's `metric 100` on the connected route (networkd sets
 * the prefix route's metric; spec addresses always give the kernel's metric 0) and the
 * `dynamic` flag with lease lifetimes on DHCP addresses.
 */
import type { Ipv4, Mac, Prefix } from "../core/ip.js";
import { broadcastOf, inPrefix } from "../core/ip.js";
import type { AddressSpec, DeviceSpec, NetnsSpec, RouteSpec } from "../netns/spec.js";
import { TABLE_MAIN } from "../netns/spec.js";
import type { DhcpServer } from "./dhcp.js";
import { machine } from "./namespace.js";

export const DHCP_METRIC = 100;

export interface GuestNic {
  readonly ifname: string;
  readonly segment: string;
  readonly mac: Mac;
  readonly addr: Prefix;
  /** The server that leased `addr`; absent for a static address. */
  readonly dhcp?: DhcpServer;
  /** A static address's default route (netplan `via`), installed `proto static`. */
  readonly gateway?: Ipv4;
}

export function dhcpRoutes(dev: string, lease: Ipv4, server: DhcpServer): RouteSpec[] {
  const base = { table: TABLE_MAIN, type: "unicast", dev, src: lease, metric: DHCP_METRIC, proto: "dhcp", onlink: false } as const;
  const host = (dst: Ipv4): RouteSpec => ({ ...base, dst, len: 32, scope: "link" });
  if (server.router === undefined) return [];
  const out: RouteSpec[] = [{ ...base, dst: 0 as Ipv4, len: 0, via: server.router, scope: "universe" }, host(server.router)];
  for (const d of server.dns) if (d !== server.router) out.push(host(d));
  return out;
}

export function guestNamespace(name: string, nics: readonly GuestNic[]): NetnsSpec {
  const devices: DeviceSpec[] = [];
  const addresses: AddressSpec[] = [];
  const routes: RouteSpec[] = [];
  for (const n of nics) {
    devices.push({ kind: "nic", name: n.ifname, segment: n.segment, mac: n.mac, up: true });
    addresses.push({ dev: n.ifname, addr: n.addr.addr, len: n.addr.len, broadcast: broadcastOf(n.addr.addr, n.addr.len), scope: "universe" });
    // A router outside the leased subnet would need an onlink route; VirtualBox's servers never send one.
    if (n.dhcp && (n.dhcp.router === undefined || inPrefix(n.dhcp.router, n.addr.addr, n.addr.len))) routes.push(...dhcpRoutes(n.ifname, n.addr.addr, n.dhcp));
    if (n.gateway !== undefined) routes.push({ table: TABLE_MAIN, type: "unicast", dst: 0 as Ipv4, len: 0, via: n.gateway, dev: n.ifname, metric: 0, scope: "universe", proto: "static", onlink: false });
  }
  return machine(name, { devices, addresses, routes });
}
