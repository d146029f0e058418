/** xt_multiport.c: up to 15 ports or ranges on the source, destination or either port. */
import type { Match } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";

export function multiportMatches(m: Extract<Match, { module: "multiport" }>, pc: PacketCtx): boolean {
  const t = pc.skb.pkt.payload;
  if (t.kind !== "tcp" && t.kind !== "udp") return false;
  const inList = (p: number) => m.ports.some((r) => p >= r.min && p <= r.max);
  const hit = m.dir === "sports" ? inList(t.sport) : m.dir === "dports" ? inList(t.dport) : inList(t.sport) || inList(t.dport);
  return hit !== m.neg;
}
