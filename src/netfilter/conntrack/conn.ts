/**
 * One tracked connection (struct nf_conn): its two tuples (the reply tuple is rewritten when a
 * NAT binding is set up), status bits, per-protocol state, mark and expiry in virtual time.
 * An entry is "unconfirmed" until the packet that created it passes the last hook
 * (POSTROUTING or INPUT); only then is it in the table where later packets find it.
 */
import type { Tuple } from "./tuple.js";
import type { TcpCtState } from "./tcp.js";

/** The status bits podpath uses (include/uapi/linux/netfilter/nf_conntrack_common.h). */
export interface CtStatusBits {
  seenReply: boolean;
  assured: boolean;
  confirmed: boolean;
  srcNat: boolean;
  dstNat: boolean;
  /** NAT for the SRC / DST manip type has been decided (IPS_SRC_NAT_DONE / IPS_DST_NAT_DONE). */
  srcNatDone: boolean;
  dstNatDone: boolean;
}

export interface Conn {
  readonly id: number;
  readonly orig: Tuple;
  reply: Tuple;
  readonly status: CtStatusBits;
  tcpState?: TcpCtState;
  mark: number;
  /** Virtual ms when the entry expires. */
  expires: number;
  /** Virtual ms after which a replied UDP flow counts as a stream (ct->proto.udp.stream_ts). */
  readonly udpStreamMs: number;
}

/** ctinfo: how the packet relates to its connection (enum ip_conntrack_info), plus the no-ct cases. */
export type CtInfo = "NEW" | "ESTABLISHED" | "RELATED" | "ESTABLISHED_REPLY" | "RELATED_REPLY";

/** What a packet carries as skb->_nfct. */
export type SkbCt =
  | { readonly kind: "conn"; readonly conn: Conn; readonly info: CtInfo }
  /** Conntrack looked and found nothing it could track (xt_conntrack's INVALID). */
  | { readonly kind: "invalid" }
  /** NOTRACK / CT --notrack in raw (IP_CT_UNTRACKED). */
  | { readonly kind: "untracked" };

export function isReply(info: CtInfo): boolean {
  return info === "ESTABLISHED_REPLY" || info === "RELATED_REPLY";
}

/** Timeouts in seconds, the kernel's defaults (net.netfilter.nf_conntrack_*_timeout*). */
export const CT_TIMEOUTS = {
  udpUnreplied: 30,
  udpStream: 120,
  icmp: 30,
} as const;

/**
 * nf_conntrack_attach(): a packet the kernel sends because of another one — an ICMP error
 * (icmp_glue_bits) or REJECT's reset — joins that packet's connection as RELATED, in the
 * opposite direction, even before the connection is confirmed.
 */
export function ctAttach(ct: SkbCt | undefined): SkbCt | undefined {
  if (ct?.kind !== "conn") return undefined;
  return { kind: "conn", conn: ct.conn, info: isReply(ct.info) ? "RELATED" : "RELATED_REPLY" };
}
