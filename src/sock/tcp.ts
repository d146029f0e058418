/**
 * TCP, as far as connection set-up and one request/response go (net/ipv4/tcp_ipv4.c,
 * tcp_input.c, tcp_timer.c). connect(): SYN, retransmitted after 1, 2, 4 … s
 * (tcp_syn_retries times, then ETIMEDOUT); RST means ECONNREFUSED; an ICMP error in SYN-SENT
 * aborts at once (sock/errors.ts). A SYN-ACK establishes the connection and the kernel ACKs it
 * at once; the application learns of it when it next runs (sock/task.ts), as tools do with a
 * non-blocking connect(): poll for writable, then getsockopt(SO_ERROR), which reports a soft
 * error the last ACK drew meanwhile as the connect's failure. Only then does it send its
 * request. A listener answers a SYN with SYN-ACK and, once the request arrives, its body (an
 * HTTP response for `http`, the DNS answer for `dns`: sock/dns-server.ts); a segment for no
 * socket gets a reset (tcp_v4_send_reset).
 */
import type { Ipv4 } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";
import type { Skb } from "../ipv4/skb.js";
import type { ListenerSpec } from "../netns/spec.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { Ipv4Packet, TcpFlags, TcpSegment } from "../wire/packet.js";
import { packetSummary } from "../wire/format.js";
import { routeOutput } from "../ipv4/route-output.js";
import { ipSendRouted } from "../ipv4/local-out.js";
import { defaultTtl } from "../ipv4/icmp.js";
import { connKey } from "./table.js";
import type { TcpConn, TcpEvents } from "./table.js";
import { ephemeralPort } from "./ports.js";
import { tcpSendReset } from "./tcp-reset.js";
import { expandBody } from "./listener-body.js";
import { dnsListenerReply } from "./dns-server.js";
import { resumeTask } from "./task.js";

export interface TcpConnectHandle {
  readonly lport: number;
  abort(): void;
}

/**
 * getsockopt(SO_ERROR): sk_err if set, else the soft error, which reading clears
 * (sock_getsockopt: `-sock_error(sk) ?: xchg(&sk->sk_err_soft, 0)`).
 */
export function takeSoError(conn: TcpConn): string | undefined {
  const e = conn.softErr;
  delete conn.softErr;
  return e;
}

/** connect(): resolves the route first (errors like ENETUNREACH come back at once), then SYN. */
export function tcpConnect(ns: Netns, dst: Ipv4, dport: number, request: string, events: TcpEvents, app: string, src?: Ipv4): TcpConnectHandle | { readonly errno: string } {
  // bind() to a local address first (curl --interface A) makes it the route lookup's source.
  const r = routeOutput(ns, dst, src !== undefined ? { src } : {});
  if (!r.ok) return { errno: r.errno };
  const lport = ephemeralPort(ns, (p) => [...ns.sockets.conns.values()].some((c) => c.lport === p));
  const conn: TcpConn = { laddr: r.src, lport, raddr: dst, rport: dport, state: "syn-sent", events, request, seq: 1000, ack: 0, phase: "connecting" };
  const key = connKey(r.src, lport, dst, dport);
  ns.sockets.conns.set(key, conn);
  const retries = ns.sysctl.num("net.ipv4.tcp_syn_retries", 6);
  let sent = 0;
  const sendSyn = () => {
    if (conn.state !== "syn-sent") return;
    if (sent > retries) {
      conn.state = "closed";
      conn.phase = "gone";
      ns.sockets.conns.delete(key);
      events.onError({ errno: "ETIMEDOUT" });
      return;
    }
    const rto = 1000 * 2 ** sent;
    sent++;
    send(ns, conn, { syn: true }, "", sent === 1 ? app : `${app} (SYN retransmission ${sent - 1})`);
    ns.world.after(rto, sendSyn);
  };
  sendSyn();
  return {
    lport,
    abort: () => {
      conn.state = "closed";
      conn.phase = "gone";
      ns.sockets.conns.delete(key);
    },
  };
}

function send(ns: Netns, conn: TcpConn, flags: TcpFlags, data: string, origin: string, cause?: TraceHandle): void {
  const seg: TcpSegment = { kind: "tcp", sport: conn.lport, dport: conn.rport, seq: conn.seq, ack: conn.ack, flags, data };
  const pkt: Ipv4Packet = { kind: "ipv4", src: conn.laddr, dst: conn.raddr, ttl: defaultTtl(ns), id: ns.ipId++, tos: 0, df: true, payload: seg };
  const r = routeOutput(ns, conn.raddr, { src: conn.laddr });
  const trace = ns.world.log.start(origin, packetSummary(pkt), ns.world.now, cause);
  if (!r.ok) {
    trace.end({ kind: "no-route", at: { node: ns.name, stage: "ip_queue_xmit" }, reason: "no route for an established connection", errno: r.errno });
    return;
  }
  ipSendRouted(ns, pkt, r, trace);
}

export function tcpRcv(ns: Netns, skb: Skb): void {
  const pkt = skb.pkt;
  const seg = pkt.payload as TcpSegment;
  const at = { node: ns.name, stage: "tcp_v4_rcv" };
  const key = connKey(pkt.dst, seg.dport, pkt.src, seg.sport);
  const conn = ns.sockets.conns.get(key);
  if (conn) {
    clientOrServer(ns, skb, conn, seg, key);
    return;
  }
  if (seg.flags.syn && !seg.flags.ack) {
    const l = ns.sockets.listener("tcp", pkt.dst, seg.dport);
    if (l) {
      const c: TcpConn = { laddr: pkt.dst, lport: seg.dport, raddr: pkt.src, rport: seg.sport, state: "syn-recv", listener: l, seq: 5000, ack: seg.seq + 1 };
      ns.sockets.conns.set(key, c);
      skb.trace.end({ kind: "delivered", at, to: `listening socket ${l.kind} *:${l.port}` });
      send(ns, c, { syn: true, ack: true }, "", "tcp syn-ack", skb.trace);
      c.seq++;
      return;
    }
  }
  if (seg.flags.rst) {
    skb.trace.end({ kind: "consumed", at, by: "reset for no socket (ignored)" });
    return;
  }
  skb.trace.end({ kind: "no-listener", at, proto: "tcp", port: seg.dport });
  tcpSendReset(ns, skb);
}

function clientOrServer(ns: Netns, skb: Skb, conn: TcpConn, seg: TcpSegment, key: string): void {
  const at = { node: ns.name, stage: "tcp_rcv_state_process" };
  if (seg.flags.rst) {
    ns.sockets.conns.delete(key);
    const was = conn.state;
    conn.state = "closed";
    skb.trace.end({ kind: "delivered", at, to: `reset for socket in ${was}` });
    if (conn.phase === "gone") return;
    conn.phase = "gone";
    if (was === "syn-sent") conn.events?.onError({ errno: "ECONNREFUSED" });
    else conn.events?.onError({ errno: "ECONNRESET" });
    return;
  }
  if (conn.state === "syn-sent") {
    if (!(seg.flags.syn && seg.flags.ack)) {
      skb.trace.end({ kind: "dropped", at, reason: "unexpected segment in SYN-SENT" });
      return;
    }
    conn.state = "established";
    conn.ack = seg.seq + 1;
    conn.seq++;
    skb.trace.end({ kind: "delivered", at, to: `tcp socket ${conn.lport}: connection established` });
    send(ns, conn, { ack: true }, "", "tcp ack", skb.trace);
    resumeTask(ns, () => connectReturns(ns, conn, key, skb.trace));
    return;
  }
  if (conn.listener) {
    serverSegment(ns, skb, conn, seg, key);
    return;
  }
  // Client, established: the server's response, queued until the application has connected.
  skb.trace.end({ kind: "delivered", at, to: `tcp socket ${conn.lport}` });
  if (seg.flags.fin) {
    conn.state = "closed";
    ns.sockets.conns.delete(key);
  }
  if (conn.phase === "connecting") {
    conn.rx = { data: (conn.rx?.data ?? "") + seg.data, fin: (conn.rx?.fin ?? false) || !!seg.flags.fin };
    return;
  }
  if (conn.phase !== "connected") return;
  if (seg.data.length > 0) conn.events!.onData(seg.data);
  if (seg.flags.fin) conn.events!.onClose();
}

/**
 * The application's poll for writable returns and it reads SO_ERROR: a soft error fails the
 * connect (the tool closes the socket); otherwise it is connected, sends its request and reads
 * what has already arrived.
 */
function connectReturns(ns: Netns, conn: TcpConn, key: string, cause: TraceHandle): void {
  if (conn.phase !== "connecting") return;
  const events = conn.events!;
  const err = takeSoError(conn);
  if (err !== undefined) {
    conn.phase = "gone";
    conn.state = "closed";
    ns.sockets.conns.delete(key);
    events.onError({ errno: err });
    return;
  }
  conn.phase = "connected";
  events.onEstablished();
  if (conn.phase !== "connected") return; // the tool closed it (nc -z)
  if (conn.request && conn.state === "established") {
    send(ns, conn, { ack: true, psh: true }, conn.request, "tcp request", cause);
    conn.seq += conn.request.length;
  }
  const rx = conn.rx;
  delete conn.rx;
  if (rx?.data) events.onData(rx.data);
  if (rx?.fin && conn.phase === "connected") events.onClose();
}

function serverSegment(ns: Netns, skb: Skb, conn: TcpConn, seg: TcpSegment, key: string): void {
  const at = { node: ns.name, stage: "tcp_rcv_state_process" };
  const l = conn.listener!;
  const first = conn.state === "syn-recv";
  conn.state = "established";
  skb.trace.end({ kind: "delivered", at, to: `server socket ${l.kind} *:${l.port}` });
  let reply: string | undefined;
  const body = expandBody(l.body, { peerIp: conn.raddr, peerPort: conn.rport, localIp: conn.laddr, localPort: conn.lport });
  if (l.kind === "tcp" && first) reply = body;
  if (l.kind === "http" && seg.data.length > 0) reply = httpResponse(l, body);
  // One framed query per connection; the server closes after answering, which the client sees
  // as CoreDNS's answer followed by the end of the stream.
  if (l.kind === "dns" && seg.data.length > 0) reply = dnsListenerReply(l, seg.data, "tcp");
  if (reply === undefined) return;
  conn.ack = seg.seq + seg.data.length;
  // The response, then the FIN of close() in a segment of its own, as Linux sends them.
  send(ns, conn, { ack: true, psh: true }, reply, `${l.kind} response`, skb.trace);
  conn.seq += Buffer.byteLength(reply);
  send(ns, conn, { ack: true, fin: true }, "", `${l.kind} close`, skb.trace);
  ns.sockets.conns.delete(key);
}

export function httpResponse(l: ListenerSpec, body: string = l.body): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
