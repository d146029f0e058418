/**
 * br_netfilter (net/bridge/br_netfilter_hooks.c): with net.bridge.bridge-nf-call-iptables=1,
 * IPv4 frames crossing a bridge go through the IPv4 hooks as if routed, with the bridge as the
 * in/out device and the ports as physdev in/out:
 *  - br_nf_pre_routing: PREROUTING (conntrack, DNAT). If the destination address changed, the
 *    packet is routed again (br_nf_pre_routing_finish): a new destination reached through the
 *    same bridge stays bridged to that host's MAC ("bridged DNAT", TTL kept — but only with
 *    forwarding on: otherwise the input route is unreachable and the packet dies in ip_error);
 *    any other goes up to the IP stack as if sent to the bridge's own MAC.
 *  - br_nf_forward_ip: FORWARD, then br_nf_post_routing: POSTROUTING (SNAT, un-DNAT of replies,
 *    conntrack confirmation) for a frame bridged out of a port.
 * A frame for the bridge's own MAC goes up with PREROUTING already done (ip_sabotage_in).
 * Not modelled: VLAN/PPPoE encapsulation, arptables, fragment handling.
 */
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { EthFrame, Ipv4Packet } from "../wire/packet.js";
import type { Skb } from "../ipv4/skb.js";
import { acceptAll } from "../netfilter/hooks.js";
import { nfVerdictEnds } from "../ipv4/nf.js";
import { routeOutput } from "../ipv4/route-output.js";
import { classify } from "./receive.js";

/** br_netfilter is on for this bridge's namespace and has rules to run. */
export function brNfActive(br: Device, frame: EthFrame): frame is EthFrame & { payload: Ipv4Packet } {
  return frame.payload.kind === "ipv4" && br.ns.nf !== acceptAll && br.ns.sysctl.num("net.bridge.bridge-nf-call-iptables", 1) === 1;
}

export type PreRouting =
  /** Dropped or rejected in PREROUTING (the trace has ended). */
  | { readonly kind: "ended" }
  /** Bridge on, with this (possibly rewritten) frame. */
  | { readonly kind: "bridge"; readonly frame: EthFrame; readonly skb: Skb }
  /** The new destination is reached through the same bridge: bridge it to that host. */
  | { readonly kind: "bridged-dnat"; readonly skb: Skb; readonly nexthop: number }
  /** The new destination is elsewhere or local: up to the IP stack. */
  | { readonly kind: "up"; readonly skb: Skb };

export function brNfPreRouting(br: Device, port: Device, frame: EthFrame & { payload: Ipv4Packet }, trace: TraceHandle): PreRouting {
  const ns = br.ns;
  const type = classify(frame.dst, br.mac);
  // br_nf_pre_routing treats PACKET_OTHERHOST as PACKET_HOST while the IPv4 hook runs.
  const skb: Skb = { pkt: frame.payload, trace, dev: br, pktType: type === "otherhost" ? "host" : type, mark: 0, phys: { in: port } };
  const before = skb.pkt.dst;
  const v = ns.nf.hook(ns, "PREROUTING", skb, br, undefined);
  if (nfVerdictEnds(ns, skb, v, "PREROUTING")) return { kind: "ended" };
  if (skb.pkt.dst !== before) {
    // ip_route_input() first: with forwarding off on the bridge it yields an unreachable route,
    // so the packet goes up and ip_error drops it silently (checked on Linux 6.18).
    const r = routeOutput(ns, skb.pkt.dst);
    if (r.ok && !r.local && r.dev === br && ns.sysctl.forwarding(br.name)) return { kind: "bridged-dnat", skb, nexthop: r.nexthop };
    return { kind: "up", skb };
  }
  return { kind: "bridge", frame: skb.pkt === frame.payload ? frame : { ...frame, payload: skb.pkt }, skb };
}

/** FORWARD and POSTROUTING for a frame the bridge sends out of `out` (undefined: flooded). False when a hook ended it. */
export function brNfForward(ns: Netns, br: Device, skb: Skb, out: Device | undefined): boolean {
  skb.phys = { ...(skb.phys?.in ? { in: skb.phys.in } : {}), ...(out ? { out } : {}) };
  const fwd = ns.nf.hook(ns, "FORWARD", skb, br, br);
  if (nfVerdictEnds(ns, skb, fwd, "FORWARD")) return false;
  const post = ns.nf.hook(ns, "POSTROUTING", skb, undefined, br);
  return !nfVerdictEnds(ns, skb, post, "POSTROUTING");
}
