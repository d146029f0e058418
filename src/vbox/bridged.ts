/**
 * Bridged adapters (`--nic<N> bridged --bridge-adapter<N> …`, research B5): the guest is a peer
 * on a physical LAN. A LAN here is a segment with a home router at network+1 (default
 * 192.168.1.1/24) that is DHCP server (from +100 by default), the guests' default gateway and
 * DNS, and masquerades the LAN onto the outside like the NAT engines do (gateway.ts).
 *
 * Not modelled: the host's own address on the LAN, other LAN hosts, Wi-Fi MAC rewriting.
 */
import { broadcastOf, networkOf, parsePrefix } from "../core/ip.js";
import type { Issue, Position } from "../core/issue.js";
import type { LanSpec } from "./model.js";
import type { NetworkPlan } from "./network.js";
import { at } from "./network.js";
import { lanRouterNs, lanSegment } from "./names.js";

export function lanPlan(lan: string, spec: LanSpec | undefined, issues: Issue[], where: Position): NetworkPlan {
  let prefix = parsePrefix("192.168.1.0/24")!;
  if (spec?.network !== undefined) {
    const p = parsePrefix(spec.network, false);
    if (p === undefined || p.len > 29) issues.push({ code: "bad-address", message: `LAN ${lan}: network ${spec.network} is not a prefix of /29 or wider`, at: where });
    else prefix = { addr: networkOf(p.addr, p.len), len: p.len };
  }
  const router = at(prefix, 1);
  const size = 2 ** (32 - prefix.len);
  const firstOffset = spec?.dhcpFirst ?? Math.min(100, size - 2);
  if (!Number.isInteger(firstOffset) || firstOffset < 2 || firstOffset > size - 2) {
    issues.push({ code: "bad-address", message: `LAN ${lan}: dhcpFirst ${firstOffset} is outside 2–${size - 2}`, at: where });
  }
  return {
    mode: "bridged",
    segment: lanSegment(lan),
    prefix,
    dhcp: { first: at(prefix, firstOffset), last: ((broadcastOf(prefix.addr, prefix.len) - 1) >>> 0) as typeof router, router, dns: [router] },
    reserved: [router],
    gateway: { name: lanRouterNs(lan), addresses: [router] },
  };
}
