/**
 * The conntrack tuple (struct nf_conntrack_tuple): protocol, source and destination address and
 * the per-protocol part — ports for TCP/UDP; for ICMP echo the identifier (as "source port") and
 * the message type (as "destination port"), whose reply tuple carries the reply type, as
 * nf_conntrack_proto_icmp.c's icmp_pkt_to_tuple / icmp_invert_tuple do.
 */
import { formatIpv4 } from "../../core/ip.js";
import type { Ipv4Packet, Transport } from "../../wire/packet.js";
import { ICMP, PROTO_ICMP, PROTO_TCP, PROTO_UDP } from "../../wire/packet.js";

export interface Tuple {
  readonly proto: number;
  readonly src: number;
  readonly dst: number;
  /** TCP/UDP source port; ICMP: the echo identifier. */
  readonly sport: number;
  /** TCP/UDP destination port; ICMP: the message type. */
  readonly dport: number;
}

export const IP_CT_DIR_ORIGINAL = 0;
export const IP_CT_DIR_REPLY = 1;
export type CtDir = typeof IP_CT_DIR_ORIGINAL | typeof IP_CT_DIR_REPLY;

/** Echo-like request types conntrack can start a connection with, and their reply types. */
const ICMP_INVERSE: Readonly<Record<number, number>> = { [ICMP.ECHO]: ICMP.ECHO_REPLY, [ICMP.ECHO_REPLY]: ICMP.ECHO, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };
export const ICMP_NEW_TYPES: ReadonlySet<number> = new Set([ICMP.ECHO, 13, 15, 17]);

export function protoOf(t: Transport): number {
  return t.kind === "tcp" ? PROTO_TCP : t.kind === "udp" ? PROTO_UDP : PROTO_ICMP;
}

/** nf_ct_get_tuple(); undefined for an ICMP message with no inverse (errors are handled apart). */
export function tupleOf(p: Ipv4Packet): Tuple | undefined {
  const t = p.payload;
  switch (t.kind) {
    case "tcp":
    case "udp":
      return { proto: protoOf(t), src: p.src, dst: p.dst, sport: t.sport, dport: t.dport };
    case "icmp":
      if (ICMP_INVERSE[t.type] === undefined) return undefined;
      return { proto: PROTO_ICMP, src: p.src, dst: p.dst, sport: t.id, dport: t.type };
  }
}

/** nf_ct_invert_tuple(). */
export function invert(t: Tuple): Tuple {
  if (t.proto === PROTO_ICMP) return { proto: t.proto, src: t.dst, dst: t.src, sport: t.sport, dport: ICMP_INVERSE[t.dport] ?? t.dport };
  return { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

export function tupleEqual(a: Tuple, b: Tuple): boolean {
  return a.proto === b.proto && a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport;
}

const PROTO_NAMES: Readonly<Record<number, string>> = { [PROTO_TCP]: "tcp", [PROTO_UDP]: "udp", [PROTO_ICMP]: "icmp" };

export function protoName(p: number): string {
  return PROTO_NAMES[p] ?? String(p);
}

/** The tuple as `conntrack -L` shows one direction: `src=… dst=… sport=… dport=…`. */
export function formatTuple(t: Tuple): string {
  const addrs = `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)}`;
  if (t.proto === PROTO_ICMP) return `${addrs} type=${t.dport} code=0 id=${t.sport}`;
  return `${addrs} sport=${t.sport} dport=${t.dport}`;
}
