/**
 * NAT networks (`--nic<N> natnetwork --nat-network<N> NAME`, research B3): one shared segment per
 * name, default 10.0.2.0/24, the NAT service at network+1 (the guests' router), the DHCP server
 * at +3 leasing +4 up to broadcast−1 — so guests are 10.0.2.4, .5, … in VM order and reach each
 * other directly. The service masquerades to the outside like the per-VM engine (gateway.ts).
 *
 * Not modelled: the host-loopback mapping at +2, the DHCP server as a host that answers, the DNS
 * servers it hands out (the host's resolvers, or the gateway as a proxy) — guests get none.
 */
import type { Issue, Position } from "../core/issue.js";
import { parsePrefix, networkOf, broadcastOf } from "../core/ip.js";
import type { NatNetworkSpec } from "./model.js";
import type { NetworkPlan } from "./network.js";
import { at } from "./network.js";
import { natNetworkSegment, natServiceNs } from "./names.js";

export function natNetworkPlan(name: string, spec: NatNetworkSpec | undefined, issues: Issue[], where: Position): NetworkPlan {
  let prefix = parsePrefix("10.0.2.0/24")!;
  if (spec?.network !== undefined) {
    const p = parsePrefix(spec.network, false);
    if (p === undefined || p.len > 29) issues.push({ code: "bad-address", message: `NAT network ${name}: --network ${spec.network} is not a prefix of /29 or wider`, at: where });
    else prefix = { addr: networkOf(p.addr, p.len), len: p.len };
  }
  const gw = at(prefix, 1);
  const server = at(prefix, 3);
  return {
    mode: "natnetwork",
    segment: natNetworkSegment(name),
    prefix,
    ...(spec?.dhcp === false ? {} : { dhcp: { first: at(prefix, 4), last: ((broadcastOf(prefix.addr, prefix.len) - 1) >>> 0) as typeof gw, router: gw, dns: [] } }),
    reserved: [gw, at(prefix, 2), server],
    gateway: { name: natServiceNs(name), addresses: [gw] },
  };
}
