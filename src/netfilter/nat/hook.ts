/**
 * nf_nat_inet_fn() and nf_nat_packet() (net/netfilter/nf_nat_core.c): at each NAT hook —
 * DST manip in PREROUTING and OUTPUT, SRC manip in INPUT and POSTROUTING — a connection's first
 * packet walks the nat chain until a NAT target binds it (no binding = the null binding); every
 * packet, in either direction, is then rewritten to its connection's tuples. ICMP errors
 * RELATED to a NATed connection get both the quoted packet and the outer header translated
 * (nf_nat_icmp_reply_translation), so the sender recognises its own packet.
 */
import { formatIpv4 } from "../../core/ip.js";
import type { Ipv4Packet } from "../../wire/packet.js";
import { isIcmpError } from "../../wire/packet.js";
import type { Conn, CtInfo } from "../conntrack/conn.js";
import { isReply } from "../conntrack/conn.js";
import { invert } from "../conntrack/tuple.js";
import type { Tuple } from "../conntrack/tuple.js";
import type { PacketCtx } from "../eval/context.js";
import type { FieldDiff, ManipType } from "./manip.js";
import type { WalkOptions } from "../eval/interp.js";
import type { TableVerdict } from "../eval/verdict.js";
import { manipPkt } from "./manip.js";
import { natInitialized, natNullBinding } from "./setup.js";

/** A chain walk over `table` (either evaluator). */
export type WalkNat<T> = (table: T, pc: PacketCtx, opts: WalkOptions) => TableVerdict;

export function manipTypeOf(hook: string): ManipType {
  return hook === "PREROUTING" || hook === "OUTPUT" ? "DST" : "SRC";
}

/** Runs the nat table at this hook for the packet in `pc`; returns the chain walk's verdict. */
export function natHook<T>(pc: PacketCtx, walk: WalkNat<T>, table: T, opts: WalkOptions): TableVerdict {
  const ct = pc.skb.ct;
  if (!ct || ct.kind !== "conn") return { kind: "accept" };
  const m = manipTypeOf(pc.hook);
  const conn = ct.conn;
  const l4 = pc.skb.pkt.payload;
  if ((ct.info === "RELATED" || ct.info === "RELATED_REPLY") && l4.kind === "icmp" && isIcmpError(l4)) {
    icmpReplyTranslation(pc, conn, ct.info, m);
    return { kind: "accept" };
  }
  if (ct.info === "NEW" || ct.info === "RELATED" || ct.info === "RELATED_REPLY") {
    if (!natInitialized(conn, m)) {
      const v = walk(table, pc, opts);
      if (v.kind !== "accept") return v;
      if (!natInitialized(conn, m)) natNullBinding(pc.state.conntrack, conn, m, pc.state.natRng, pc.ns.world.now);
    }
  }
  natPacket(pc, conn, ct.info, m);
  return { kind: "accept" };
}

function statusSet(conn: Conn, m: ManipType, reply: boolean): boolean {
  // The manip this hook does, seen from the packet's direction (IPS_NAT_MASK flip for replies).
  const src = (m === "SRC") !== reply;
  return src ? conn.status.srcNat : conn.status.dstNat;
}

function tupleOfDir(conn: Conn, reply: boolean): Tuple {
  return reply ? conn.reply : conn.orig;
}

function natPacket(pc: PacketCtx, conn: Conn, info: CtInfo, m: ManipType): void {
  const reply = isReply(info);
  if (!statusSet(conn, m, reply)) return;
  const target = invert(tupleOfDir(conn, !reply));
  const before = pc.skb.pkt;
  pc.skb.pkt = manipPkt(before, target, m);
  record(pc, what(m, reply), before, pc.skb.pkt);
}

function icmpReplyTranslation(pc: PacketCtx, conn: Conn, info: CtInfo, m: ManipType): void {
  const reply = isReply(info);
  if (!statusSet(conn, m, reply)) return;
  const before = pc.skb.pkt;
  const l4 = before.payload;
  if (l4.kind !== "icmp" || !l4.quoted) return;
  const inner = manipPkt(l4.quoted, tupleOfDir(conn, !reply), m === "SRC" ? "DST" : "SRC");
  const outer = manipPkt({ ...before, payload: { ...l4, quoted: inner } }, invert(tupleOfDir(conn, !reply)), m);
  pc.skb.pkt = outer;
  record(pc, `${what(m, reply)} (ICMP error and the packet it quotes)`, before, outer);
}

function what(m: ManipType, reply: boolean): string {
  if (m === "DST") return reply ? "un-SNAT" : "DNAT";
  return reply ? "un-DNAT" : "SNAT";
}

function endpoint(p: Ipv4Packet, side: "src" | "dst"): string {
  const t = p.payload;
  const ip = formatIpv4(side === "src" ? p.src : p.dst);
  if (t.kind === "tcp" || t.kind === "udp") return `${ip}:${side === "src" ? t.sport : t.dport}`;
  return ip;
}

export function diffs(a: Ipv4Packet, b: Ipv4Packet, prefix = ""): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const side of ["src", "dst"] as const) {
    const x = endpoint(a, side);
    const y = endpoint(b, side);
    if (x !== y) out.push({ field: `${prefix}${side}`, from: x, to: y });
  }
  const ta = a.payload;
  const tb = b.payload;
  if (ta.kind === "icmp" && tb.kind === "icmp") {
    if (ta.id !== tb.id && !ta.quoted) out.push({ field: `${prefix}icmp id`, from: String(ta.id), to: String(tb.id) });
    if (ta.quoted && tb.quoted) out.push(...diffs(ta.quoted, tb.quoted, "inner "));
  }
  return out;
}

function record(pc: PacketCtx, w: string, a: Ipv4Packet, b: Ipv4Packet): void {
  if (!pc.skb.trace.recording) return;
  const d = diffs(a, b);
  if (d.length === 0) return;
  pc.skb.trace.step(pc.ns.name, { kind: "nat", hook: pc.hook, what: w, diffs: d });
}
