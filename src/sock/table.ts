/**
 * The sockets of one namespace: listening servers from the scenario, and the client sockets the
 * simulated tools open (TCP connections, UDP sockets, ping sockets), with the error state the
 * kernel keeps in them (sk_err, sk_err_soft, the IP_RECVERR error queue). Lookups follow the
 * kernel: a connection by its 4-tuple first, then a listener bound to the address or to 0.0.0.0.
 */
import type { Ipv4 } from "../core/ip.js";
import type { ListenerSpec } from "../netns/spec.js";
import type { Ipv4Packet } from "../wire/packet.js";

/** What an ICMP error (or RST) means to the socket it reaches. */
export interface SockError {
  readonly errno: string;
  /** The ICMP message that carried it, if one did. */
  readonly icmp?: { readonly from: Ipv4; readonly type: number; readonly code: number; readonly quoted: Ipv4Packet; readonly mtu?: number };
}

export interface TcpEvents {
  onEstablished(): void;
  onData(data: string): void;
  onClose(): void;
  onError(e: SockError): void;
}

export interface TcpConn {
  readonly laddr: Ipv4;
  readonly lport: number;
  readonly raddr: Ipv4;
  readonly rport: number;
  state: "syn-sent" | "syn-recv" | "established" | "closed";
  /** Client side. */
  readonly events?: TcpEvents;
  readonly request?: string;
  /** Server side. */
  readonly listener?: ListenerSpec;
  seq: number;
  ack: number;
  /**
   * sk_err_soft: the last ICMP error for a connection past SYN-SENT (tcp_v4_err without
   * IP_RECVERR). Only SO_ERROR reads it, and clears it.
   */
  softErr?: string;
  /**
   * Client side: whether the application has seen connect() complete. Until it has, data and the
   * peer's FIN wait in `rx`, as in the receive queue; once the connect failed (`gone`) nothing
   * more reaches it.
   */
  phase?: "connecting" | "connected" | "gone";
  rx?: { data: string; fin: boolean };
}

export interface DatagramEvents {
  onData(data: string, from: Ipv4, pkt: Ipv4Packet): void;
  onError(e: SockError): void;
}

/** A UDP socket (udp_sock): how ICMP errors reach it depends on connect() and IP_RECVERR (__udp4_lib_err). */
export interface UdpSock {
  readonly events: DatagramEvents;
  /** connect()ed: without IP_RECVERR only such a socket hears of ICMP errors, and only of hard ones. */
  readonly connected: boolean;
  /** IP_RECVERR: every ICMP error reaches the application (as traceroute reads them from the error queue). */
  readonly recverr: boolean;
  /** sk_err: a hard error, reported once, by the next send (sock_error()) or as POLLERR to a reader. */
  err?: string;
}

/** A ping socket (raw, IP_RECVERR set, as iputils opens it): replies, and an error queue. */
export interface PingSock {
  onReply(from: Ipv4, pkt: Ipv4Packet): void;
  /** ICMP errors about this socket's echo requests, oldest first (MSG_ERRQUEUE). */
  readonly errQueue: SockError[];
  /** An error was queued: the socket polls readable with POLLERR. */
  onErrorQueued(): void;
}

export function connKey(laddr: number, lport: number, raddr: number, rport: number): string {
  return `${laddr}:${lport}>${raddr}:${rport}`;
}

export class SocketTable {
  readonly listeners: ListenerSpec[] = [];
  readonly conns = new Map<string, TcpConn>();
  /** UDP client sockets by local port. */
  readonly udp = new Map<number, UdpSock>();
  /** Ping sockets by ICMP identifier. */
  readonly ping = new Map<number, PingSock>();

  listen(l: ListenerSpec): void {
    this.listeners.push(l);
  }

  listener(proto: "tcp" | "udp", addr: number, port: number): ListenerSpec | undefined {
    // A dns listener is bound on both protocols, as CoreDNS serves UDP and TCP :53.
    const fits = (l: ListenerSpec) => (l.kind === "dns" || (proto === "udp" ? l.kind === "udp" : l.kind !== "udp")) && l.port === port;
    return this.listeners.find((l) => fits(l) && l.addr === addr) ?? this.listeners.find((l) => fits(l) && (l.addr === undefined || l.addr === 0));
  }
}
