/**
 * A frame arriving on a device: __netif_receive_skb() in net/core/dev.c. A bridge port hands it
 * to the bridge (rx_handler); otherwise eth_type_trans() classifies it against the device's MAC
 * and the protocol handler (ARP or IPv4) takes it.
 */
import { BROADCAST_MAC, isMulticastMac } from "../core/ip.js";
import type { Mac } from "../core/ip.js";
import type { Device } from "../netns/device.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { EthFrame } from "../wire/packet.js";
import { frameSummary } from "../wire/format.js";
import type { PktType } from "../ipv4/skb.js";
import { brHandleFrame } from "./bridge.js";
import { arpRcv } from "../neigh/arp.js";
import { ipRcv } from "../ipv4/rcv.js";
import type { Looped } from "../ipv4/rcv.js";

export function classify(dst: Mac, own: Mac): PktType {
  if (dst === own) return "host";
  if (dst === BROADCAST_MAC) return "broadcast";
  if (isMulticastMac(dst)) return "multicast";
  return "otherhost";
}

/**
 * `carried`: what a frame handed over inside the host keeps of its skb (vxlan_encap_bypass keeps
 * route, conntrack entry and mark); a bridge port ignores it.
 */
export function netifReceive(dev: Device, frame: EthFrame, trace: TraceHandle, forcedType?: PktType, carried?: Looped): void {
  const ns = dev.ns;
  if (!dev.up) {
    trace.end({ kind: "link-down", at: { node: ns.name, stage: "netif_receive_skb" }, dev: dev.name });
    return;
  }
  trace.step(ns.name, { kind: "enter-dev", dev: dev.name, ms: ns.world.now, packet: frameSummary(frame) });
  if (dev.master && dev.master.kind === "bridge") {
    brHandleFrame(dev, frame, trace);
    return;
  }
  deliverUp(dev, frame, trace, forcedType, carried);
}

/** Past any rx_handler: classify and hand to the protocol. */
export function deliverUp(dev: Device, frame: EthFrame, trace: TraceHandle, forcedType?: PktType, carried?: Looped): void {
  const pktType = forcedType ?? classify(frame.dst, dev.mac);
  if (frame.payload.kind === "arp") {
    arpRcv(dev, frame.payload, pktType, trace);
    return;
  }
  ipRcv(dev, frame.payload, pktType, trace, carried);
}
