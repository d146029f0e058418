/**
 * ip_error() (net/ipv4/route.c): what happens to a received packet whose input route failed.
 * With forwarding off on the input device nothing is sent; otherwise the errno picks the ICMP
 * code (no route → net unreachable, `unreachable` → host unreachable, `prohibit` → packet
 * filtered; `blackhole` stays silent), rate-limited per source with the inet_peer token bucket
 * (1 s per message, bursts of 5) that icmp_send()'s own limit then shares.
 */
import type { Netns } from "../netns/netns.js";
import type { Skb } from "./skb.js";
import { ICMP, UNREACH } from "../wire/packet.js";
import { icmpSend, inetPeer } from "./icmp.js";

const CODES: Readonly<Record<string, number>> = {
  EHOSTUNREACH: UNREACH.HOST,
  ENETUNREACH: UNREACH.NET,
  EACCES: UNREACH.ADMIN_PROHIBITED,
};
const ERROR_COST_MS = 1000;
const ERROR_BURST_MS = 5000;

export function ipError(ns: Netns, skb: Skb, errno: string): void {
  const at = { node: ns.name, stage: "ip_error" };
  const dev = skb.dev!;
  if (!ns.sysctl.forwarding(dev.name)) {
    skb.trace.end({ kind: "forwarding-disabled", at });
    return;
  }
  const code = CODES[errno];
  if (errno === "EINVAL") skb.trace.end({ kind: "route-rejected", at, routeType: "blackhole", errno });
  else if (errno === "EACCES") skb.trace.end({ kind: "route-rejected", at, routeType: "prohibit", errno });
  else if (errno === "EHOSTUNREACH") skb.trace.end({ kind: "route-rejected", at, routeType: "unreachable", errno });
  else skb.trace.end({ kind: "no-route", at, reason: "no route matches in any table", errno });
  if (code === undefined) return;
  const peer = inetPeer(ns, skb.pkt.src);
  const now = ns.world.now;
  peer.tokens = Math.min(ERROR_BURST_MS, peer.tokens + (now - peer.last));
  peer.last = now;
  if (peer.tokens < ERROR_COST_MS) {
    skb.trace.step(ns.name, { kind: "icmp-suppressed", why: "ip_error rate limit (1 per second per source, burst 5)" });
    return;
  }
  peer.tokens -= ERROR_COST_MS;
  icmpSend(ns, skb, ICMP.DEST_UNREACH, code, {});
}
