/**
 * ICMP (net/ipv4/icmp.c). icmp_send(): the error for a packet that could not go on — never about
 * another ICMP error or a broadcast; from the packet's own destination if it was ours, else from
 * the address the route back to the sender selects (or the inbound device's address with
 * icmp_errors_use_inbound_ifaddr); limited per destination by the inet_peer token bucket
 * (icmp_ratelimit ms per message, bursts of 6) and globally (icmp_msgs_per_sec / burst), except
 * towards loopback. icmp_rcv(): echo requests are answered, echo replies and errors go to the
 * socket the quoted packet belongs to.
 */
import type { Ipv4 } from "../core/ip.js";
import { formatIpv4 } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";
import type { Ipv4Packet, IcmpMessage } from "../wire/packet.js";
import { ICMP, UNREACH, isIcmpError } from "../wire/packet.js";
import { packetSummary } from "../wire/format.js";
import type { Skb } from "./skb.js";
import { ctAttach } from "../netfilter/conntrack/conn.js";
import { routeOutput } from "./route-output.js";
import { ipSendRouted } from "./local-out.js";
import { deliverIcmpError, deliverEchoReply } from "../sock/errors.js";

export const ICMP_MESSAGES: Readonly<Record<string, string>> = {
  "3/0": "Destination Net Unreachable",
  "3/1": "Destination Host Unreachable",
  "3/2": "Destination Protocol Unreachable",
  "3/3": "Destination Port Unreachable",
  "3/4": "Frag needed",
  "3/9": "Destination Net Prohibited",
  "3/10": "Destination Host Prohibited",
  "3/13": "Packet filtered",
  "11/0": "Time to live exceeded",
  "11/1": "Frag reassembly time exceeded",
};

export function icmpName(type: number, code: number): string {
  return ICMP_MESSAGES[`${type}/${code}`] ?? `ICMP type ${type} code ${code}`;
}

const XRLIM_BURST_FACTOR = 6;

/** The inet_peer of a destination, created with a full bucket (rate_last = now − 60 s). */
export function inetPeer(ns: Netns, dst: number): { tokens: number; last: number } {
  let p = ns.icmpPeers.get(dst);
  if (!p) {
    p = { tokens: 0, last: ns.world.now - 60_000 };
    ns.icmpPeers.set(dst, p);
  }
  return p;
}

function ratelimited(ns: Netns, type: number, code: number, dst: number): boolean {
  const mask = ns.sysctl.num("net.ipv4.icmp_ratemask", 6168);
  if (type > 18 || (type === ICMP.DEST_UNREACH && code === UNREACH.FRAG_NEEDED) || !((1 << type) & mask)) return false;
  const now = ns.world.now;
  // icmp_global_allow: a credit of msgs_per_sec per second, capped at msgs_burst.
  const g = ns.icmpGlobal;
  const perSec = ns.sysctl.num("net.ipv4.icmp_msgs_per_sec", 1000);
  const burst = ns.sysctl.num("net.ipv4.icmp_msgs_burst", 50);
  if (g.credit < 0) g.credit = burst;
  g.credit = Math.min(burst, g.credit + Math.floor(((now - g.stamp) * perSec) / 1000));
  g.stamp = now;
  if (g.credit <= 0) return true;
  // inet_peer_xrlim_allow
  const timeout = ns.sysctl.num("net.ipv4.icmp_ratelimit", 1000);
  const p = inetPeer(ns, dst);
  let token = Math.min(XRLIM_BURST_FACTOR * timeout, p.tokens + (now - p.last));
  p.last = now;
  if (token < timeout) {
    p.tokens = token;
    return true;
  }
  token -= timeout;
  p.tokens = token;
  g.credit--;
  return false;
}

export interface IcmpSendOptions {
  readonly gateway?: Ipv4;
  readonly mtu?: number;
  readonly netfilter?: boolean;
}

export function icmpSend(ns: Netns, skbIn: Skb, type: number, code: number, opts: IcmpSendOptions): void {
  const inner = skbIn.pkt;
  const node = ns.name;
  if (inner.payload.kind === "icmp" && isIcmpError(inner.payload)) {
    skbIn.trace.step(node, { kind: "icmp-suppressed", why: "no ICMP error is sent about an ICMP error" });
    return;
  }
  if (skbIn.rt?.kind === "broadcast" || skbIn.pktType === "broadcast" || skbIn.pktType === "multicast") {
    skbIn.trace.step(node, { kind: "icmp-suppressed", why: "no ICMP error is sent about a broadcast or multicast" });
    return;
  }
  let saddr: number = inner.dst;
  if (skbIn.rt?.kind !== "local") {
    const inbound = skbIn.dev && ns.sysctl.num("net.ipv4.icmp_errors_use_inbound_ifaddr") === 1;
    saddr = inbound ? (ns.selectAddr(skbIn.dev, inner.src, "link") ?? 0) : 0;
  }
  const r = routeOutput(ns, inner.src, saddr ? { src: saddr as Ipv4 } : {});
  if (!r.ok) {
    skbIn.trace.step(node, { kind: "icmp-suppressed", why: `no route back to ${formatIpv4(inner.src)} (${r.errno})` });
    return;
  }
  if (!r.local && ratelimited(ns, type, code, inner.src)) {
    skbIn.trace.step(node, { kind: "icmp-suppressed", why: `rate limit towards ${formatIpv4(inner.src)} (icmp_ratelimit)` });
    return;
  }
  const msg: IcmpMessage = {
    kind: "icmp",
    type,
    code,
    id: 0,
    seq: 0,
    dataLen: 0,
    quoted: inner,
    ...(opts.gateway !== undefined ? { gateway: opts.gateway } : {}),
    ...(opts.mtu !== undefined ? { mtu: opts.mtu } : {}),
  };
  const pkt: Ipv4Packet = { kind: "ipv4", src: r.src, dst: inner.src, ttl: defaultTtl(ns), id: ns.ipId++, tos: 0xc0, df: false, payload: msg };
  const trace = ns.world.log.start("icmp error", packetSummary(pkt), ns.world.now, skbIn.trace);
  skbIn.trace.step(node, { kind: "icmp-sent", type, code, name: icmpName(type, code), from: formatIpv4(r.src), to: formatIpv4(inner.src), trace: trace.trace.id });
  ipSendRouted(ns, pkt, r, trace, ctAttach(skbIn.ct));
}

export function defaultTtl(ns: Netns): number {
  return ns.sysctl.num("net.ipv4.ip_default_ttl", 64);
}

export function icmpRcv(ns: Netns, skb: Skb): void {
  const msg = skb.pkt.payload as IcmpMessage;
  const at = { node: ns.name, stage: "icmp_rcv" };
  if (msg.type === ICMP.ECHO) {
    if (ns.sysctl.num("net.ipv4.icmp_echo_ignore_all") === 1) {
      skb.trace.end({ kind: "dropped", at, reason: "icmp_echo_ignore_all=1" });
      return;
    }
    skb.trace.end({ kind: "delivered", at, to: "icmp_echo (kernel answers)" });
    // icmp_reply: from the address the request was sent to, back to its sender.
    const src = skb.rt?.kind === "broadcast" ? undefined : skb.pkt.dst;
    const r = routeOutput(ns, skb.pkt.src, src !== undefined ? { src } : {});
    if (!r.ok) return;
    const reply: Ipv4Packet = {
      kind: "ipv4",
      src: r.src,
      dst: skb.pkt.src,
      ttl: defaultTtl(ns),
      id: ns.ipId++,
      tos: skb.pkt.tos,
      df: false,
      payload: { kind: "icmp", type: ICMP.ECHO_REPLY, code: 0, id: msg.id, seq: msg.seq, dataLen: msg.dataLen },
    };
    ipSendRouted(ns, reply, r, ns.world.log.start("echo reply", packetSummary(reply), ns.world.now, skb.trace));
    return;
  }
  if (msg.type === ICMP.ECHO_REPLY) {
    deliverEchoReply(ns, skb);
    return;
  }
  if (isIcmpError(msg)) {
    deliverIcmpError(ns, skb);
    return;
  }
  skb.trace.end({ kind: "consumed", at, by: `ICMP type ${msg.type}` });
}
