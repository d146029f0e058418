/**
 * ARP (net/ipv4/arp.c): arp_solicit() sends a broadcast request whose sender address is the
 * queued packet's source when that is ours (arp_announce 0), else the device's address for the
 * target; arp_process() answers requests for any local address (arp_ignore 0) and learns the
 * sender of requests aimed at us and of replies.
 */
import type { Ipv4 } from "../core/ip.js";
import { BROADCAST_MAC, ZERO_MAC, formatIpv4 } from "../core/ip.js";
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import type { PktType, Skb } from "../ipv4/skb.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { ArpPacket, EthFrame } from "../wire/packet.js";
import { frameSummary } from "../wire/format.js";
import { devXmit } from "../link/xmit.js";
import { neighUpdate } from "./neigh.js";

export function arpSolicit(ns: Netns, dev: Device, target: Ipv4, cause: Skb): void {
  const src = ns.isLocalAddress(cause.pkt.src) ? cause.pkt.src : (ns.selectAddr(dev, target, "link") ?? (0 as Ipv4));
  const frame: EthFrame = {
    src: dev.mac,
    dst: BROADCAST_MAC,
    payload: { kind: "arp", op: "request", sha: dev.mac, spa: src, tha: ZERO_MAC, tpa: target },
  };
  const trace = ns.world.log.start("arp", frameSummary(frame), ns.world.now, cause.trace);
  devXmit(dev, frame, trace);
}

export function arpRcv(dev: Device, arp: ArpPacket, pktType: PktType, trace: TraceHandle): void {
  const ns = dev.ns;
  const at = { node: ns.name, stage: "arp_process" };
  if (pktType === "otherhost") {
    trace.end({ kind: "not-for-us", at, reason: "ARP frame for another MAC" });
    return;
  }
  const forUs = ns.isLocalAddress(arp.tpa);
  if (arp.op === "request") {
    if (!forUs) {
      trace.end({ kind: "consumed", at, by: `ARP request for ${formatIpv4(arp.tpa)}: not a local address` });
      return;
    }
    neighUpdate(ns, dev, arp.spa, arp.sha, true);
    trace.end({ kind: "delivered", at, to: `ARP: ${formatIpv4(arp.tpa)} is ours, reply from ${dev.name}` });
    const reply: EthFrame = {
      src: dev.mac,
      dst: arp.sha,
      payload: { kind: "arp", op: "reply", sha: dev.mac, spa: arp.tpa, tha: arp.sha, tpa: arp.spa },
    };
    devXmit(dev, reply, ns.world.log.start("arp", frameSummary(reply), ns.world.now, trace));
    return;
  }
  neighUpdate(ns, dev, arp.spa, arp.sha, forUs);
  trace.end({ kind: "delivered", at, to: `ARP reply: ${formatIpv4(arp.spa)} is-at ${arp.sha}` });
}
