/**
 * Header records for the frames and packets that cross the simulated world. Values, not bytes:
 * sizes are computed (for MTU checks and `ping`'s byte counts), contents are typed fields.
 * Mirrors the on-wire layouts of RFC 791 (IPv4), 792 (ICMP), 793 (TCP), 768 (UDP), 826 (ARP)
 * and 7348 (VXLAN) closely enough that a tcpdump-style line can be printed from them.
 */
import type { Ipv4, Mac } from "../core/ip.js";

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;

export interface EthFrame {
  readonly src: Mac;
  readonly dst: Mac;
  readonly payload: ArpPacket | Ipv4Packet;
}

export interface ArpPacket {
  readonly kind: "arp";
  readonly op: "request" | "reply";
  readonly sha: Mac;
  readonly spa: Ipv4;
  readonly tha: Mac;
  readonly tpa: Ipv4;
}

export interface Ipv4Packet {
  readonly kind: "ipv4";
  readonly src: Ipv4;
  readonly dst: Ipv4;
  readonly ttl: number;
  readonly id: number;
  readonly tos: number;
  /** Don't-fragment bit; set by TCP and by PMTU-discovering senders. */
  readonly df: boolean;
  readonly payload: Transport;
}

export type Transport = TcpSegment | UdpDatagram | IcmpMessage;

/** Flags in tcpdump's order: S (SYN), F (FIN), R (RST), P (PSH), . (ACK). */
export interface TcpFlags {
  readonly syn?: boolean;
  readonly ack?: boolean;
  readonly rst?: boolean;
  readonly fin?: boolean;
  readonly psh?: boolean;
}

export interface TcpSegment {
  readonly kind: "tcp";
  readonly sport: number;
  readonly dport: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: TcpFlags;
  readonly data: string;
}

export interface UdpDatagram {
  readonly kind: "udp";
  readonly sport: number;
  readonly dport: number;
  readonly data: string | VxlanPayload;
}

export interface VxlanPayload {
  readonly kind: "vxlan";
  readonly vni: number;
  readonly frame: EthFrame;
}

export interface IcmpMessage {
  readonly kind: "icmp";
  readonly type: number;
  readonly code: number;
  /** Echo: identifier and sequence. */
  readonly id: number;
  readonly seq: number;
  /** Echo payload length in bytes (ping's -s; 56 by default). */
  readonly dataLen: number;
  /** Errors: the offending packet (its header and first 8 payload bytes, RFC 792). */
  readonly quoted?: Ipv4Packet;
  /** Redirect: new gateway; frag-needed: next-hop MTU. */
  readonly gateway?: Ipv4;
  readonly mtu?: number;
}

export const ICMP = {
  ECHO_REPLY: 0,
  DEST_UNREACH: 3,
  REDIRECT: 5,
  ECHO: 8,
  TIME_EXCEEDED: 11,
  PARAMETER_PROBLEM: 12,
} as const;

export const UNREACH = {
  NET: 0,
  HOST: 1,
  PROTOCOL: 2,
  PORT: 3,
  FRAG_NEEDED: 4,
  NET_PROHIBITED: 9,
  HOST_PROHIBITED: 10,
  ADMIN_PROHIBITED: 13,
} as const;

export function isIcmpError(t: Transport): boolean {
  return t.kind === "icmp" && (t.type === 3 || t.type === 4 || t.type === 5 || t.type === 11 || t.type === 12);
}

/** IPv4 total length in bytes (TCP options: 20 bytes on a SYN as Linux sends MSS/SACK/TS/WS). */
export function ipLength(p: Ipv4Packet): number {
  return 20 + transportLength(p.payload);
}

export function transportLength(t: Transport): number {
  switch (t.kind) {
    case "tcp":
      return (t.flags.syn ? 40 : 32) + t.data.length;
    case "udp":
      return 8 + (typeof t.data === "string" ? t.data.length : 8 + frameLength(t.data.frame));
    case "icmp":
      return 8 + (t.quoted ? Math.min(ipLength(t.quoted), 28) : t.dataLen);
  }
}

export function frameLength(f: EthFrame): number {
  return 14 + (f.payload.kind === "arp" ? 28 : ipLength(f.payload));
}
