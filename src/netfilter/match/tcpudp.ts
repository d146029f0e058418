/**
 * xt_tcpudp.c: `-m tcp` / `-m udp` — source and destination port ranges (with `!`) and, for
 * TCP, `--tcp-flags mask comp` (`--syn` is `SYN,RST,ACK,FIN SYN`).
 */
import type { Match, PortRange } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";

export function portMatches(r: PortRange | undefined, port: number): boolean {
  if (!r) return true;
  return (port >= r.min && port <= r.max) !== r.neg;
}

export function tcpFlagBits(f: { fin?: boolean; syn?: boolean; rst?: boolean; psh?: boolean; ack?: boolean }): number {
  return (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0);
}

export function tcpudpMatches(m: Extract<Match, { module: "tcp" | "udp" }>, pc: PacketCtx): boolean {
  const t = pc.skb.pkt.payload;
  if (t.kind !== m.module) return false;
  if (!portMatches(m.sport, t.sport) || !portMatches(m.dport, t.dport)) return false;
  if (m.module === "tcp" && m.flags && t.kind === "tcp") {
    const hit = (tcpFlagBits(t.flags) & m.flags.mask) === m.flags.comp;
    if (hit === m.flags.neg) return false;
  }
  return true;
}
