/**
 * ip_forward() (net/ipv4/ip_forward.c): only packets addressed to this host's MAC; TTL ≤ 1 gets
 * ICMP time-exceeded (sent before the TTL is touched, so the quoted TTL is 1); too big with DF
 * gets frag-needed; then the TTL drops by one, a redirect goes out when the route said so,
 * FORWARD runs, and the packet leaves through ip_output().
 */
import type { Netns } from "../netns/netns.js";
import { ICMP, UNREACH, ipLength } from "../wire/packet.js";
import type { Skb } from "./skb.js";
import { icmpSend } from "./icmp.js";
import { nfVerdictEnds } from "./nf.js";
import { ipOutput } from "./output.js";

export function ipForward(ns: Netns, skb: Skb): void {
  const rt = skb.rt!;
  const at = { node: ns.name, stage: "ip_forward" };
  if (skb.pktType !== "host") {
    skb.trace.end({ kind: "not-for-us", at, reason: "only unicast frames to this host are forwarded" });
    return;
  }
  if (skb.pkt.ttl <= 1) {
    skb.trace.end({ kind: "ttl-exceeded", at });
    icmpSend(ns, skb, ICMP.TIME_EXCEEDED, 0, {});
    return;
  }
  const mtu = rt.dev.mtu;
  if (skb.pkt.df && ipLength(skb.pkt) > mtu) {
    skb.trace.end({ kind: "dropped", at, reason: `packet of ${ipLength(skb.pkt)} bytes with DF set exceeds ${rt.dev.name} MTU ${mtu}` });
    icmpSend(ns, skb, ICMP.DEST_UNREACH, UNREACH.FRAG_NEEDED, { mtu });
    return;
  }
  const before = skb.pkt.ttl;
  skb.pkt = { ...skb.pkt, ttl: before - 1 };
  skb.trace.step(ns.name, { kind: "ttl", from: before, to: before - 1 });
  if (rt.redirect) {
    icmpSend(ns, skb, ICMP.REDIRECT, 1, { gateway: rt.nexthop });
  }
  const v = ns.nf.hook(ns, "FORWARD", skb, skb.dev, rt.dev);
  if (nfVerdictEnds(ns, skb, v, "FORWARD")) return;
  ipOutput(ns, skb);
}
