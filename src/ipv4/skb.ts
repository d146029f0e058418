/**
 * The packet in flight (a slimmed `struct sk_buff`): the IPv4 packet, where it came in, how the
 * link layer classified it, its routing decision once taken, its mark, and the trace it writes.
 */
import type { Ipv4 } from "../core/ip.js";
import type { Device } from "../netns/device.js";
import type { Route } from "../route/route.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { Ipv4Packet } from "../wire/packet.js";
import type { SkbCt } from "../netfilter/conntrack/conn.js";

/** skb->pkt_type after eth_type_trans(). */
export type PktType = "host" | "broadcast" | "multicast" | "otherhost";

/** The routing decision attached to a packet (skb_dst). */
export interface Rt {
  /** local: deliver here; broadcast: local broadcast; forward: ip_forward; output: locally sent. */
  readonly kind: "local" | "broadcast" | "forward" | "output";
  readonly route?: Route;
  /** Output device (for local delivery: the loopback device). */
  readonly dev: Device;
  /** Next hop the neighbour layer resolves: the gateway, or the destination itself. */
  readonly nexthop: Ipv4;
  /** ip_route_input set IPSKB_DOREDIRECT (same in and out device, source on-link). */
  readonly redirect?: boolean;
}

export interface Skb {
  pkt: Ipv4Packet;
  readonly trace: TraceHandle;
  /** Input device; undefined for a locally generated packet. */
  dev?: Device;
  pktType: PktType;
  mark: number;
  rt?: Rt;
  /** skb->_nfct: the packet's conntrack entry and how it relates to it (netfilter/conntrack/). */
  ct?: SkbCt;
  /** br_netfilter: the bridge ports a bridged packet came in by / goes out by. */
  phys?: { readonly in?: Device; readonly out?: Device };
}
