/**
 * The sockets of one namespace: listening servers from the scenario, and the client sockets the
 * simulated tools open (TCP connections, UDP sockets, ping sockets). Lookups follow the kernel:
 * a connection by its 4-tuple first, then a listener bound to the address or to 0.0.0.0.
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
}

export interface DatagramEvents {
  onData(data: string, from: Ipv4, pkt: Ipv4Packet): void;
  onError(e: SockError): void;
}

export function connKey(laddr: number, lport: number, raddr: number, rport: number): string {
  return `${laddr}:${lport}>${raddr}:${rport}`;
}

export class SocketTable {
  readonly listeners: ListenerSpec[] = [];
  readonly conns = new Map<string, TcpConn>();
  /** UDP client sockets by local port. */
  readonly udp = new Map<number, DatagramEvents>();
  /** Ping sockets by ICMP identifier. */
  readonly ping = new Map<number, DatagramEvents>();

  listen(l: ListenerSpec): void {
    this.listeners.push(l);
  }

  listener(proto: "tcp" | "udp", addr: number, port: number): ListenerSpec | undefined {
    const fits = (l: ListenerSpec) => (proto === "udp" ? l.kind === "udp" : l.kind !== "udp") && l.port === port;
    return this.listeners.find((l) => fits(l) && l.addr === addr) ?? this.listeners.find((l) => fits(l) && (l.addr === undefined || l.addr === 0));
  }
}
