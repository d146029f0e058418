/**
 * One network namespace's state at run time: devices, addresses, the FIB, sysctls, and the
 * tables the packet path fills as it runs (neighbours, learned FDB entries, sockets, ICMP
 * rate-limit buckets). Built from a NetnsSpec by sim/build.ts; read and updated by the packet
 * path. Address selection here mirrors inet_select_addr() in net/ipv4/devinet.c.
 */
import type { Ipv4 } from "../core/ip.js";
import { inPrefix } from "../core/ip.js";
import type { Fib } from "../route/fib.js";
import { scopeRank } from "../route/route.js";
import type { Address, Device } from "./device.js";
import type { Scope } from "./spec.js";
import type { Sysctls } from "./sysctl.js";
import { isSecondary } from "./kernel-routes.js";
import type { World } from "../sim/world.js";
import type { Netfilter } from "../netfilter/hooks.js";
import { acceptAll } from "../netfilter/hooks.js";
import type { NeighEntry } from "../neigh/neigh.js";
import { SocketTable } from "../sock/table.js";

export class Netns {
  readonly devices = new Map<string, Device>();
  readonly byIndex = new Map<number, Device>();
  addresses: Address[] = [];
  fib!: Fib;
  /** Per-destination ICMP error tokens (inet_peer rate_tokens / rate_last), in virtual ms. */
  readonly icmpPeers = new Map<number, { tokens: number; last: number }>();
  /** Global ICMP budget (icmp_global_allow). */
  icmpGlobal = { credit: -1, stamp: 0 };
  /** Next IP id per destination (ip_select_ident is per-destination hashed; a counter suffices). */
  ipId = 1;
  world!: World;
  nf: Netfilter = acceptAll;
  /** Neighbour cache, keyed `${ifindex}/${ip}`. */
  readonly neigh = new Map<string, NeighEntry>();
  readonly sockets = new SocketTable();

  constructor(
    readonly name: string,
    readonly sysctl: Sysctls,
  ) {}

  device(name: string): Device | undefined {
    return this.devices.get(name);
  }

  get loopback(): Device {
    return this.devices.get("lo")!;
  }

  addressesOf(dev: Device): Address[] {
    return this.addresses.filter((a) => a.dev === dev);
  }

  /** inet_addr_type() == RTN_LOCAL: any address configured on any device here. */
  isLocalAddress(a: number): boolean {
    return this.addresses.some((x) => x.addr === a);
  }

  /**
   * inet_select_addr(dev, dst, scope): the first primary address on `dev` with a scope no
   * narrower than `scope`, preferring one whose subnet holds `dst`; if `dev` has none, the
   * first suitable non-link-scope address of any other device.
   */
  selectAddr(dev: Device | undefined, dst: number, scope: Scope): Ipv4 | undefined {
    const limit = scopeRank(scope);
    if (dev) {
      const own = this.addressesOf(dev).filter((a) => scopeRank(a.scope) <= limit && !isSecondary(this.addresses, a));
      const inSubnet = dst !== 0 ? own.find((a) => inPrefix(dst, a.addr, a.len)) : undefined;
      if (inSubnet) return inSubnet.addr;
      if (own[0]) return own[0].addr;
    }
    for (const a of this.addresses) {
      if (a.dev === dev) continue;
      if (a.scope !== "link" && scopeRank(a.scope) <= limit) return a.addr;
    }
    return undefined;
  }

  /** inet_addr_onlink(): do `a` and `b` both fall inside one subnet of `dev`? */
  onlink(dev: Device, a: number, b: number): boolean {
    return this.addressesOf(dev).some((x) => inPrefix(a, x.addr, x.len) && (b === 0 || inPrefix(b, x.addr, x.len)));
  }
}
