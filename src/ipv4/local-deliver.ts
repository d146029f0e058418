/**
 * ip_local_deliver() (net/ipv4/ip_input.c): INPUT, then the transport protocol's handler —
 * icmp_rcv, tcp_v4_rcv, udp_rcv (which also feeds VXLAN's encapsulation socket).
 */
import type { Netns } from "../netns/netns.js";
import type { Skb } from "./skb.js";
import { nfVerdictEnds } from "./nf.js";
import { icmpRcv } from "./icmp.js";
import { tcpRcv } from "../sock/tcp.js";
import { udpRcv } from "../sock/udp.js";

export function ipLocalDeliver(ns: Netns, skb: Skb): void {
  const v = ns.nf.hook(ns, "INPUT", skb, skb.dev, undefined);
  if (nfVerdictEnds(ns, skb, v, "INPUT")) return;
  switch (skb.pkt.payload.kind) {
    case "icmp":
      icmpRcv(ns, skb);
      return;
    case "tcp":
      tcpRcv(ns, skb);
      return;
    case "udp":
      udpRcv(ns, skb);
      return;
  }
}
