/**
 * ICMP errors and echo replies reaching sockets: the quoted packet names the socket (tcp_v4_err,
 * __udp4_lib_err, ping_err / raw_err), and the type/code becomes an errno as icmp_err_convert[]
 * says. What the socket then does with it:
 *   tcp   in SYN-SENT the connection dies at once (tcp_done); past it the error is only
 *         remembered in sk_err_soft (IP_RECVERR off), which SO_ERROR reads — so a connect()
 *         whose last ACK drew a port unreachable still fails, and a later one changes nothing.
 *         (The sequence-window check on the quoted segment is not modelled.)
 *   udp   with IP_RECVERR every error is reported; without it only a connect()ed socket hears,
 *         and only of hard errors (icmp_err_convert[].fatal, parameter problems, frag needed),
 *         which set sk_err
 *   ping  the raw socket has IP_RECVERR: the error is queued (ip_icmp_error)
 */
import type { Netns } from "../netns/netns.js";
import type { Skb } from "../ipv4/skb.js";
import type { IcmpMessage } from "../wire/packet.js";
import { ICMP, UNREACH } from "../wire/packet.js";
import { connKey } from "./table.js";
import type { SockError } from "./table.js";

/** icmp_err_convert[]: errno and whether the error is fatal ("hard"), by unreachable code. */
const UNREACH_ERRNO: readonly (readonly [string, boolean])[] = [
  ["ENETUNREACH", false], // 0 net
  ["EHOSTUNREACH", false], // 1 host
  ["ENOPROTOOPT", true], // 2 protocol
  ["ECONNREFUSED", true], // 3 port
  ["EMSGSIZE", false], // 4 frag needed
  ["EOPNOTSUPP", false], // 5 source route failed
  ["ENETUNREACH", true], // 6 net unknown
  ["EHOSTDOWN", true], // 7 host unknown
  ["ENONET", true], // 8 host isolated
  ["ENETUNREACH", true], // 9 net prohibited
  ["EHOSTUNREACH", true], // 10 host prohibited
  ["ENETUNREACH", false], // 11 net unreachable for TOS
  ["EHOSTUNREACH", false], // 12 host unreachable for TOS
  ["EHOSTUNREACH", true], // 13 packet filtered
  ["EHOSTUNREACH", true], // 14 precedence violation
  ["EHOSTUNREACH", true], // 15 precedence cut-off
];

export function errnoOf(type: number, code: number): string | undefined {
  if (type === ICMP.DEST_UNREACH) return UNREACH_ERRNO[code]?.[0];
  if (type === ICMP.TIME_EXCEEDED) return "EHOSTUNREACH";
  if (type === ICMP.PARAMETER_PROBLEM) return "EPROTO";
  return undefined;
}

/**
 * Whether __udp4_lib_err counts the error as hard: it then reaches a connect()ed socket without
 * IP_RECVERR. Frag needed is hard under the default PMTU discovery; time exceeded never is.
 */
export function udpHardError(type: number, code: number): boolean {
  if (type === ICMP.PARAMETER_PROBLEM) return true;
  if (type === ICMP.DEST_UNREACH) return code === UNREACH.FRAG_NEEDED || (UNREACH_ERRNO[code]?.[1] ?? false);
  return false;
}

export function deliverIcmpError(ns: Netns, skb: Skb): void {
  const msg = skb.pkt.payload as IcmpMessage;
  const q = msg.quoted;
  const at = { node: ns.name, stage: "icmp_rcv" };
  const errno = errnoOf(msg.type, msg.code);
  if (!q || errno === undefined) {
    skb.trace.end({ kind: "consumed", at, by: `ICMP type ${msg.type} code ${msg.code} (no socket error)` });
    return;
  }
  const err: SockError = { errno, icmp: { from: skb.pkt.src, type: msg.type, code: msg.code, quoted: q, ...(msg.mtu !== undefined ? { mtu: msg.mtu } : {}) } };
  const t = q.payload;
  if (t.kind === "tcp") {
    const key = connKey(q.src, t.sport, q.dst, t.dport);
    const conn = ns.sockets.conns.get(key);
    if (!conn) {
      skb.trace.end({ kind: "consumed", at, by: "no tcp socket for the quoted packet" });
      return;
    }
    if (conn.events && conn.state === "syn-sent") {
      conn.state = "closed";
      conn.phase = "gone";
      ns.sockets.conns.delete(key);
      skb.trace.end({ kind: "delivered", at, to: `tcp socket ${t.sport} in SYN-SENT: connect() fails with ${errno}` });
      conn.events.onError(err);
      return;
    }
    if (conn.listener && conn.state === "syn-recv") {
      // tcp_req_err(): a request socket is dropped on net/host unreachable, time exceeded or a
      // parameter problem (the listener never hears of it), and left alone otherwise.
      const abort = msg.type !== ICMP.DEST_UNREACH || msg.code === UNREACH.NET || msg.code === UNREACH.HOST;
      if (abort) ns.sockets.conns.delete(key);
      skb.trace.end({ kind: "consumed", at, by: `request socket for *:${t.sport} in SYN-RECV: ${abort ? "dropped" : "ignored"} (tcp_req_err)` });
      return;
    }
    conn.softErr = errno;
    skb.trace.end({ kind: "delivered", at, to: `tcp socket ${t.sport}: soft error ${errno} (sk_err_soft; the connection goes on)` });
    return;
  }
  if (t.kind === "udp") {
    const sock = ns.sockets.udp.get(t.sport);
    if (!sock) {
      skb.trace.end({ kind: "consumed", at, by: "no udp socket for the quoted packet" });
      return;
    }
    if (!sock.recverr && !(sock.connected && udpHardError(msg.type, msg.code))) {
      skb.trace.end({ kind: "delivered", at, to: `udp socket ${t.sport}: ${errno} ignored (${sock.connected ? "not a hard error" : "socket not connected"}, no IP_RECVERR)` });
      return;
    }
    if (!sock.recverr) sock.err = errno;
    skb.trace.end({ kind: "delivered", at, to: `udp socket ${t.sport}: ${errno}` });
    sock.events.onError(err);
    return;
  }
  if (t.kind === "icmp" && t.type === ICMP.ECHO) {
    const sock = ns.sockets.ping.get(t.id);
    if (!sock) {
      skb.trace.end({ kind: "consumed", at, by: "no ping socket for the quoted echo" });
      return;
    }
    sock.errQueue.push(err);
    skb.trace.end({ kind: "delivered", at, to: `ping socket id ${t.id}: ${errno}` });
    sock.onErrorQueued();
    return;
  }
  skb.trace.end({ kind: "consumed", at, by: "ICMP error about a packet no socket sent" });
}

export function deliverEchoReply(ns: Netns, skb: Skb): void {
  const msg = skb.pkt.payload as IcmpMessage;
  const sock = ns.sockets.ping.get(msg.id);
  const at = { node: ns.name, stage: "ping_rcv" };
  if (!sock) {
    skb.trace.end({ kind: "consumed", at, by: `no ping socket with id ${msg.id}` });
    return;
  }
  skb.trace.end({ kind: "delivered", at, to: `ping socket id ${msg.id}` });
  sock.onReply(skb.pkt.src, skb.pkt);
}
