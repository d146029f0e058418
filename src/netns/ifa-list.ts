/**
 * A device's IPv4 addresses in the kernel's ifa_list order (__inet_insert_ifa in
 * net/ipv4/devinet.c): a primary goes after the last primary whose scope is at least as narrow,
 * so host-scope addresses come before link-scope ones, and those before global ones; an address inside the
 * subnet of an earlier one with the same prefix length is a secondary and goes to the end.
 * Source selection, the kernel's own routes and `ip addr` all read this one order.
 */
import { inPrefix } from "../core/ip.js";
import { scopeRank } from "../route/route.js";
import type { Ipv4 } from "../core/ip.js";
import type { Address } from "./device.js";
import type { DeviceKind, Scope } from "./spec.js";

/** What ordering and the kernel's own routes need of an address: a runtime Address, or a loader draft's. */
export interface AddrLike {
  readonly addr: Ipv4;
  readonly len: number;
  readonly broadcast?: Ipv4;
  readonly scope: Scope;
  readonly dev: { readonly name: string; readonly up: boolean; readonly kind: DeviceKind };
}

export interface IfAddr<A extends AddrLike = Address> {
  readonly addr: A;
  readonly secondary: boolean;
  /** For a secondary: the primary whose subnet holds it (its routes use the primary's src). */
  readonly primary?: A;
}

export function ifaList<A extends AddrLike>(addresses: readonly A[], dev: A["dev"]): IfAddr<A>[] {
  const list: IfAddr<A>[] = [];
  for (const a of addresses) {
    if (a.dev !== dev) continue;
    const primary = list.find((x) => !x.secondary && x.addr.len === a.len && inPrefix(a.addr, x.addr.addr, a.len));
    if (primary) {
      list.push({ addr: a, secondary: true, primary: primary.addr });
      continue;
    }
    let at = 0;
    list.forEach((x, i) => {
      if (!x.secondary && scopeRank(a.scope) <= scopeRank(x.addr.scope)) at = i + 1;
    });
    list.splice(at, 0, { addr: a, secondary: false });
  }
  return list;
}
