/**
 * Rewriting a packet to match a NAT tuple (nf_nat_proto.c: nf_nat_ipv4_manip_pkt and the
 * per-protocol manip_pkt): SRC manip sets source address and port (ICMP echo: the identifier),
 * DST manip sets destination address and port. ICMP errors carry the offending packet inside;
 * nf_nat_icmp_reply_translation() rewrites the quoted packet and the outer header so the error
 * looks like a reply to what the sender sent.
 */
import type { Ipv4 } from "../../core/ip.js";
import type { Ipv4Packet } from "../../wire/packet.js";
import type { Tuple } from "../conntrack/tuple.js";

export type ManipType = "SRC" | "DST";

export function manipPkt(p: Ipv4Packet, target: Tuple, m: ManipType): Ipv4Packet {
  const t = p.payload;
  if (m === "SRC") {
    const src = target.src as Ipv4;
    if (t.kind === "tcp" || t.kind === "udp") return { ...p, src, payload: { ...t, sport: target.sport } };
    if (t.kind === "icmp" && !t.quoted) return { ...p, src, payload: { ...t, id: target.sport } };
    return { ...p, src };
  }
  const dst = target.dst as Ipv4;
  if (t.kind === "tcp" || t.kind === "udp") return { ...p, dst, payload: { ...t, dport: target.dport } };
  if (t.kind === "icmp" && !t.quoted) return { ...p, dst, payload: { ...t, id: target.sport } };
  return { ...p, dst };
}

export interface FieldDiff {
  readonly field: string;
  readonly from: string;
  readonly to: string;
}
