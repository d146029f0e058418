/** The icmp match of ip_tables.c (icmp_match): type 255 is "any"; otherwise type and a code range. */
import type { Match } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";

export function icmpMatches(m: Extract<Match, { module: "icmp" }>, pc: PacketCtx): boolean {
  const t = pc.skb.pkt.payload;
  if (t.kind !== "icmp") return false;
  const hit = m.type === 0xff || (t.type === m.type && t.code >= m.codeMin && t.code <= m.codeMax);
  return hit !== m.neg;
}
