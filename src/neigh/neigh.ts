/**
 * The neighbour table (net/core/neighbour.c, net/ipv4/arp.c) of one namespace: entries with NUD
 * states, the queue of packets waiting for resolution, and the probe timer. An unresolved entry
 * sends `mcast_solicit` broadcast ARP requests `retrans_time` apart; when the last one goes
 * unanswered the entry fails and every queued packet gets an ICMP host-unreachable back
 * (arp_error_report → dst_link_failure), which a local sender's socket sees as EHOSTUNREACH.
 */
import type { Ipv4, Mac } from "../core/ip.js";
import { BROADCAST_MAC, ZERO_MAC, formatIpv4 } from "../core/ip.js";
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import type { Skb } from "../ipv4/skb.js";
import { ICMP, UNREACH } from "../wire/packet.js";
import { devXmit } from "../link/xmit.js";
import { icmpSend } from "../ipv4/icmp.js";
import { arpSolicit } from "./arp.js";

export type NudState = "permanent" | "noarp" | "reachable" | "stale" | "incomplete" | "failed";

export interface NeighEntry {
  readonly dev: Device;
  readonly ip: Ipv4;
  mac?: Mac;
  state: NudState;
  probes: number;
  queue: Skb[];
}

export function neighKey(dev: Device, ip: number): string {
  return `${dev.ifindex}/${ip}`;
}

/** Devices that never resolve: loopback (and anything with IFF_NOARP). */
function noArp(dev: Device): boolean {
  return dev.kind === "loopback";
}

/** ip_finish_output2 → neigh_output: send now if the MAC is known, else queue and resolve. */
export function neighOutput(ns: Netns, dev: Device, nexthop: Ipv4, skb: Skb, broadcast = false): void {
  const ip = formatIpv4(nexthop);
  if (noArp(dev) || broadcast) {
    devXmit(dev, { src: dev.mac, dst: broadcast ? BROADCAST_MAC : ZERO_MAC, payload: skb.pkt }, skb.trace, skb);
    return;
  }
  const key = neighKey(dev, nexthop);
  let e = ns.neigh.get(key);
  if (e && e.mac && e.state !== "incomplete" && e.state !== "failed") {
    skb.trace.step(ns.name, { kind: "neigh", dev: dev.name, ip, result: "hit", mac: e.mac, state: e.state.toUpperCase() });
    devXmit(dev, { src: dev.mac, dst: e.mac, payload: skb.pkt }, skb.trace, skb);
    return;
  }
  if (!e || e.state === "failed") {
    e = { dev, ip: nexthop, state: "incomplete", probes: 0, queue: [] };
    ns.neigh.set(key, e);
    skb.trace.step(ns.name, { kind: "neigh", dev: dev.name, ip, result: "incomplete", state: "INCOMPLETE" });
    e.queue.push(skb);
    probe(ns, e, skb);
    return;
  }
  skb.trace.step(ns.name, { kind: "neigh", dev: dev.name, ip, result: "incomplete", state: "INCOMPLETE" });
  e.queue.push(skb);
}

function probe(ns: Netns, e: NeighEntry, cause: Skb): void {
  const max = ns.sysctl.num("net.ipv4.neigh.default.mcast_solicit", 3);
  const retrans = ns.sysctl.num("net.ipv4.neigh.default.retrans_time_ms", 1000);
  if (e.state !== "incomplete") return;
  if (e.probes >= max) {
    fail(ns, e);
    return;
  }
  e.probes++;
  arpSolicit(ns, e.dev, e.ip, e.queue[0] ?? cause);
  ns.world.after(retrans, () => probe(ns, e, cause));
}

function fail(ns: Netns, e: NeighEntry): void {
  e.state = "failed";
  const queued = e.queue;
  e.queue = [];
  for (const skb of queued) {
    skb.trace.step(ns.name, { kind: "neigh", dev: e.dev.name, ip: formatIpv4(e.ip), result: "failed", state: "FAILED" });
    skb.trace.end({ kind: "neigh-failed", at: { node: ns.name, stage: "neigh_invalidate" }, ip: formatIpv4(e.ip), dev: e.dev.name });
    icmpSend(ns, skb, ICMP.DEST_UNREACH, UNREACH.HOST, {});
  }
}

/** An ARP reply or request taught us `ip`'s MAC: mark reachable and flush the queue. */
export function neighUpdate(ns: Netns, dev: Device, ip: Ipv4, mac: Mac, create: boolean): void {
  const key = neighKey(dev, ip);
  const e = ns.neigh.get(key);
  if (!e) {
    if (create) ns.neigh.set(key, { dev, ip, mac, state: "stale", probes: 0, queue: [] });
    return;
  }
  if (e.state === "permanent" || e.state === "noarp") return;
  e.mac = mac;
  e.state = "reachable";
  const queued = e.queue;
  e.queue = [];
  for (const skb of queued) {
    skb.trace.step(ns.name, { kind: "neigh", dev: dev.name, ip: formatIpv4(ip), result: "resolved", mac, state: "REACHABLE" });
    devXmit(dev, { src: dev.mac, dst: mac, payload: skb.pkt }, skb.trace, skb);
  }
}
