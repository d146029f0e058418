/**
 * xt_conntrack.c (`-m conntrack`) and xt_state.c (`-m state`): the packet's ctinfo as a state
 * bit (ESTABLISHED and ESTABLISHED_REPLY are both ESTABLISHED; RELATED likewise), INVALID when
 * conntrack found nothing, UNTRACKED after NOTRACK, plus the pseudo-states SNAT/DNAT when the
 * connection's tuples were changed; then the connection's original/reply addresses and ports,
 * protocol, status bits and direction. Without a connection only the state test can match.
 */
import type { AddrMatch, CtState, FlagSet, Match, PortRange } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";
import type { Conn } from "../conntrack/conn.js";
import { isReply } from "../conntrack/conn.js";
import { addrMatches } from "./ip-header.js";
import { portMatches } from "./tcpudp.js";

/** One bit per state, as xt_conntrack's statebit (a mask, so no allocation per packet). */
const BIT: Readonly<Record<CtState, number>> = { INVALID: 1, NEW: 2, ESTABLISHED: 4, RELATED: 8, UNTRACKED: 16, SNAT: 32, DNAT: 64 };

function stateBits(pc: PacketCtx, withNat: boolean): number {
  const ct = pc.skb.ct;
  if (!ct || ct.kind === "invalid") return BIT.INVALID;
  if (ct.kind === "untracked") return BIT.UNTRACKED;
  let s = ct.info === "NEW" ? BIT.NEW : ct.info === "RELATED" || ct.info === "RELATED_REPLY" ? BIT.RELATED : BIT.ESTABLISHED;
  if (withNat && ct.conn.status.srcNat) s |= BIT.SNAT;
  if (withNat && ct.conn.status.dstNat) s |= BIT.DNAT;
  return s;
}

function flagHit(f: FlagSet<CtState>, bits: number): boolean {
  let mask = 0;
  for (const v of f.values) mask |= BIT[v];
  return (mask & bits) !== 0 !== f.neg;
}

export function stateMatches(m: Extract<Match, { module: "state" }>, pc: PacketCtx): boolean {
  return flagHit(m.states, stateBits(pc, false));
}

function addr(m: AddrMatch | undefined, a: number): boolean {
  return !m || addrMatches(m, a);
}

function port(m: PortRange | undefined, p: number): boolean {
  return !m || portMatches(m, p);
}

export function conntrackMatches(m: Extract<Match, { module: "conntrack" }>, pc: PacketCtx): boolean {
  if (m.ctstate && !flagHit(m.ctstate, stateBits(pc, true))) return false;
  const ct = pc.skb.ct;
  if (!ct || ct.kind !== "conn") return m.ctstate !== undefined;
  const c: Conn = ct.conn;
  if (m.ctdir && (m.ctdir === "REPLY") !== isReply(ct.info)) return false;
  if (m.ctproto && m.ctproto.proto !== 0 && (c.orig.proto === m.ctproto.proto) === m.ctproto.neg) return false;
  if (!addr(m.ctorigsrc, c.orig.src) || !addr(m.ctorigdst, c.orig.dst)) return false;
  if (!addr(m.ctreplsrc, c.reply.src) || !addr(m.ctrepldst, c.reply.dst)) return false;
  if (!port(m.ctorigsrcport, c.orig.sport) || !port(m.ctorigdstport, c.orig.dport)) return false;
  if (!port(m.ctreplsrcport, c.reply.sport) || !port(m.ctrepldstport, c.reply.dport)) return false;
  if (m.ctstatus) {
    const st = c.status;
    const has = m.ctstatus.values.some((v) =>
      v === "NONE" ? !st.seenReply && !st.assured && !st.confirmed : v === "SEEN_REPLY" ? st.seenReply : v === "ASSURED" ? st.assured : v === "CONFIRMED" ? st.confirmed : false,
    );
    if (has === m.ctstatus.neg) return false;
  }
  return true;
}
