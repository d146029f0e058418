/**
 * tcp_v4_send_reset(): answer a segment nobody wants with RST (seq = its ack) or RST+ACK
 * (ack = its seq + length, a SYN counting one), sent from the address it was sent to.
 */
import type { Netns } from "../netns/netns.js";
import type { Skb } from "../ipv4/skb.js";
import type { SkbCt } from "../netfilter/conntrack/conn.js";
import type { Ipv4Packet, TcpSegment } from "../wire/packet.js";
import { packetSummary } from "../wire/format.js";
import { routeOutput } from "../ipv4/route-output.js";
import { ipSendRouted } from "../ipv4/local-out.js";
import { defaultTtl } from "../ipv4/icmp.js";

/** `attach`: REJECT --reject-with tcp-reset ties the reset to the rejected packet's connection (nf_send_reset). */
export function tcpSendReset(ns: Netns, skb: Skb, attach?: SkbCt): void {
  const inPkt = skb.pkt;
  const seg = inPkt.payload;
  if (seg.kind !== "tcp" || seg.flags.rst) return;
  const ackIn = !!seg.flags.ack;
  const rst: TcpSegment = {
    kind: "tcp",
    sport: seg.dport,
    dport: seg.sport,
    seq: ackIn ? seg.ack : 0,
    ack: ackIn ? 0 : seg.seq + seg.data.length + (seg.flags.syn ? 1 : 0) + (seg.flags.fin ? 1 : 0),
    flags: ackIn ? { rst: true } : { rst: true, ack: true },
    data: "",
  };
  const r = routeOutput(ns, inPkt.src, { src: inPkt.dst });
  if (!r.ok) return;
  const pkt: Ipv4Packet = { kind: "ipv4", src: inPkt.dst, dst: inPkt.src, ttl: defaultTtl(ns), id: 0, tos: 0, df: true, payload: rst };
  ipSendRouted(ns, pkt, r, ns.world.log.start("tcp reset", packetSummary(pkt), ns.world.now, skb.trace), attach);
}
