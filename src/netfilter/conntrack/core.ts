/**
 * nf_conntrack_in() and __nf_conntrack_confirm() (net/netfilter/nf_conntrack_core.c): find or
 * create the packet's connection at the first hook (PREROUTING, OUTPUT), give the packet its
 * ctinfo (NEW / ESTABLISHED / RELATED / …_REPLY, or no connection at all = INVALID), run the
 * protocol tracker, and make a new connection visible only when its first packet passes the
 * last hook. ICMP errors belong to the connection of the packet they quote (RELATED), as
 * nf_conntrack_inet_error() finds it.
 */
import type { Netns } from "../../netns/netns.js";
import type { Skb } from "../../ipv4/skb.js";
import { isIcmpError } from "../../wire/packet.js";
import type { Conn, CtInfo, SkbCt } from "./conn.js";
import { CT_TIMEOUTS } from "./conn.js";
import type { ConntrackTable } from "./table.js";
import type { Tuple } from "./tuple.js";
import { ICMP_NEW_TYPES, IP_CT_DIR_REPLY, invert, tupleOf } from "./tuple.js";
import { TCP_TIMEOUTS, tcpNext } from "./tcp.js";
import type { TcpCtState } from "./tcp.js";

export interface CtInResult {
  readonly ct: SkbCt;
  /** What happened, for the trace. */
  readonly action: "new" | "established" | "reply" | "related" | "invalid" | "untracked" | "attached";
  readonly why?: string;
}

/** Runs at the first hook of a packet's path through this namespace. */
export function conntrackIn(ns: Netns, table: ConntrackTable, skb: Skb): CtInResult {
  const now = ns.world.now;
  if (skb.ct) return { ct: skb.ct, action: skb.ct.kind === "untracked" ? "untracked" : "attached" };
  const pkt = skb.pkt;
  const l4 = pkt.payload;
  if (l4.kind === "icmp" && isIcmpError(l4)) {
    const inner = l4.quoted ? tupleOf(l4.quoted) : undefined;
    const f = inner ? table.find(invert(inner), now) : undefined;
    if (!f) return { ct: { kind: "invalid" }, action: "invalid", why: "ICMP error quoting no tracked connection" };
    const info: CtInfo = f.dir === IP_CT_DIR_REPLY ? "RELATED_REPLY" : "RELATED";
    return { ct: { kind: "conn", conn: f.conn, info }, action: "related" };
  }
  const t = tupleOf(pkt);
  if (!t) return { ct: { kind: "invalid" }, action: "invalid", why: "ICMP message conntrack cannot track" };
  let f = table.find(t, now);
  if (f && f.conn.tcpState && l4.kind === "tcp" && f.dir === 0 && l4.flags.syn && !l4.flags.ack && (f.conn.tcpState === "TIME_WAIT" || f.conn.tcpState === "CLOSE")) {
    // A new SYN on a closed connection's tuple reopens it: the old entry goes (tcp_packet's "Reopened connection").
    table.remove(f.conn);
    f = undefined;
  }
  let conn: Conn;
  let reply = false;
  let created = false;
  if (!f) {
    const why = cannotStart(t, pkt.payload);
    if (why) return { ct: { kind: "invalid" }, action: "invalid", why };
    conn = newConn(table, t, now);
    created = true;
  } else {
    conn = f.conn;
    reply = f.dir === IP_CT_DIR_REPLY;
  }
  // Per-protocol tracking (tcp_packet / udp_packet / icmp_packet): state and timeout.
  if (l4.kind === "tcp") {
    const from: TcpCtState = conn.tcpState ?? "NONE";
    const next = tcpNext(from, reply, l4.flags);
    if (next === "IV") return { ct: { kind: "invalid" }, action: "invalid", why: `TCP ${flagsText(l4.flags)} is invalid in state ${from}` };
    if (next !== "IG") {
      if ((from === "SYN_RECV" || from === "ESTABLISHED") && next === "ESTABLISHED") conn.status.assured = true;
      conn.tcpState = next;
    }
    conn.expires = now + 1000 * TCP_TIMEOUTS[conn.tcpState ?? "SYN_SENT"];
  } else if (l4.kind === "udp") {
    const replied = conn.status.seenReply || reply;
    const stream = replied && now > conn.udpStreamMs;
    if (stream) conn.status.assured = true;
    conn.expires = now + 1000 * (stream ? CT_TIMEOUTS.udpStream : CT_TIMEOUTS.udpUnreplied);
  } else {
    conn.expires = now + 1000 * CT_TIMEOUTS.icmp;
  }
  if (reply) conn.status.seenReply = true;
  const info: CtInfo = reply ? "ESTABLISHED_REPLY" : conn.status.seenReply ? "ESTABLISHED" : "NEW";
  return { ct: { kind: "conn", conn, info }, action: created ? "new" : reply ? "reply" : "established" };
}

/** Why a packet without a connection cannot start one (tcp_new / icmp_new), or undefined. */
function cannotStart(t: Tuple, l4: Skb["pkt"]["payload"]): string | undefined {
  if (l4.kind === "tcp") {
    const n = tcpNext("NONE", false, l4.flags);
    return n === "IV" || n === "IG" ? `TCP ${flagsText(l4.flags)} cannot start a connection` : undefined;
  }
  if (l4.kind === "icmp" && !ICMP_NEW_TYPES.has(t.dport)) return `ICMP type ${t.dport} cannot start a connection`;
  return undefined;
}

function newConn(table: ConntrackTable, t: Tuple, now: number): Conn {
  return {
    id: table.newId(),
    orig: t,
    reply: invert(t),
    status: { seenReply: false, assured: false, confirmed: false, srcNat: false, dstNat: false, srcNatDone: false, dstNatDone: false },
    mark: 0,
    expires: now,
    udpStreamMs: now + 2000,
  };
}

function flagsText(f: { syn?: boolean; ack?: boolean; rst?: boolean; fin?: boolean }): string {
  const s = [f.syn ? "SYN" : "", f.ack ? "ACK" : "", f.fin ? "FIN" : "", f.rst ? "RST" : ""].filter(Boolean).join(",");
  return s || "without flags";
}

/** The last hook: a new connection's first packet made it, so the connection becomes visible. */
export function conntrackConfirm(ns: Netns, table: ConntrackTable, skb: Skb): "confirmed" | "clash" | undefined {
  const ct = skb.ct;
  if (!ct || ct.kind !== "conn" || ct.conn.status.confirmed) return undefined;
  if (ct.info === "ESTABLISHED_REPLY" || ct.info === "RELATED_REPLY") return undefined;
  if (!table.insert(ct.conn, ns.world.now)) return "clash";
  ct.conn.status.confirmed = true;
  return "confirmed";
}
