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
import type { IfAddr } from "./ifa-list.js";
import { ifaList } from "./ifa-list.js";
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
  /** Files tools may read (spec `files`), by absolute path. */
  files: ReadonlyMap<string, string> = new Map();

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

  /** The device's addresses in ifa_list order (netns/ifa-list.ts). */
  ifaList(dev: Device): IfAddr[] {
    return ifaList(this.addresses, dev);
  }

  /**
   * inet_select_addr(dev, dst, scope): the first primary address of `dev`, in ifa_list order,
   * whose scope is no narrower than `scope`, preferring one whose subnet holds `dst`; if `dev`
   * has none, the first suitable non-link-scope primary of any device, in device order.
   */
  selectAddr(dev: Device | undefined, dst: number, scope: Scope): Ipv4 | undefined {
    const limit = scopeRank(scope);
    if (dev) {
      let first: Ipv4 | undefined;
      for (const x of this.ifaList(dev)) {
        if (x.secondary || scopeRank(x.addr.scope) > limit) continue;
        if (dst === 0 || inPrefix(dst, x.addr.addr, x.addr.len)) return x.addr.addr;
        first ??= x.addr.addr;
      }
      if (first !== undefined) return first;
    }
    for (const d of this.devices.values()) {
      for (const x of this.ifaList(d)) {
        if (!x.secondary && x.addr.scope !== "link" && scopeRank(x.addr.scope) <= limit) return x.addr.addr;
      }
    }
    return undefined;
  }

  /** inet_addr_onlink(): do `a` and `b` both fall inside one subnet of `dev`? */
  onlink(dev: Device, a: number, b: number): boolean {
    return this.addressesOf(dev).some((x) => inPrefix(a, x.addr, x.len) && (b === 0 || inPrefix(b, x.addr, x.len)));
  }
}
