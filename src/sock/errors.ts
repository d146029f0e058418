/**
 * ICMP errors and echo replies reaching sockets: the quoted packet names the socket (tcp_v4_err,
 * __udp4_lib_err, ping_err), and the type/code becomes an errno as icmp_err_convert[] says.
 * A TCP connection still in SYN-SENT dies at once on any of them (tcp_v4_err → tcp_done).
 */
import type { Netns } from "../netns/netns.js";
import type { Skb } from "../ipv4/skb.js";
import type { IcmpMessage } from "../wire/packet.js";
import { ICMP } from "../wire/packet.js";
import { connKey } from "./table.js";
import type { SockError } from "./table.js";

const UNREACH_ERRNO: readonly string[] = [
  "ENETUNREACH", // 0 net
  "EHOSTUNREACH", // 1 host
  "ENOPROTOOPT", // 2 protocol
  "ECONNREFUSED", // 3 port
  "EMSGSIZE", // 4 frag needed
  "EOPNOTSUPP", // 5 source route failed
  "ENETUNREACH", // 6 net unknown
  "EHOSTDOWN", // 7 host unknown
  "ENONET", // 8 host isolated
  "ENETUNREACH", // 9 net prohibited
  "EHOSTUNREACH", // 10 host prohibited
  "ENETUNREACH", // 11 net unreachable for TOS
  "EHOSTUNREACH", // 12 host unreachable for TOS
  "EHOSTUNREACH", // 13 packet filtered
  "EHOSTUNREACH", // 14 precedence violation
  "EHOSTUNREACH", // 15 precedence cut-off
];

export function errnoOf(type: number, code: number): string | undefined {
  if (type === ICMP.DEST_UNREACH) return UNREACH_ERRNO[code];
  if (type === ICMP.TIME_EXCEEDED) return "EHOSTUNREACH";
  if (type === ICMP.PARAMETER_PROBLEM) return "EPROTO";
  return undefined;
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
    const conn = ns.sockets.conns.get(connKey(q.src, t.sport, q.dst, t.dport));
    if (conn?.events && conn.state === "syn-sent") {
      conn.state = "closed";
      ns.sockets.conns.delete(connKey(q.src, t.sport, q.dst, t.dport));
      skb.trace.end({ kind: "delivered", at, to: `tcp socket ${t.sport} in SYN-SENT: connect() fails with ${errno}` });
      conn.events.onError(err);
      return;
    }
    skb.trace.end({ kind: "consumed", at, by: conn ? "tcp socket (soft error, connection goes on)" : "no tcp socket for the quoted packet" });
    return;
  }
  if (t.kind === "udp") {
    const sock = ns.sockets.udp.get(t.sport);
    skb.trace.end(sock ? { kind: "delivered", at, to: `udp socket ${t.sport}: ${errno}` } : { kind: "consumed", at, by: "no udp socket for the quoted packet" });
    sock?.onError(err);
    return;
  }
  if (t.kind === "icmp" && t.type === ICMP.ECHO) {
    const sock = ns.sockets.ping.get(t.id);
    skb.trace.end(sock ? { kind: "delivered", at, to: `ping socket id ${t.id}: ${errno}` } : { kind: "consumed", at, by: "no ping socket for the quoted echo" });
    sock?.onError(err);
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
  sock.onData("", skb.pkt.src, skb.pkt);
}
