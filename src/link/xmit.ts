/**
 * dev_queue_xmit(): a frame leaving through a device. Each kind's ndo_start_xmit decides where
 * it goes: a veth hands it to its peer (veth_xmit), a NIC puts it on its segment, loopback
 * turns it around, a bridge forwards it (br_dev_xmit), a vxlan device encapsulates it.
 * `skb` is the routed packet the frame carries (from the neighbour layer), when there is one:
 * only a vxlan device's local bypass needs what it keeps (route, conntrack entry, mark).
 */
import type { Device } from "../netns/device.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { EthFrame } from "../wire/packet.js";
import type { Skb } from "../ipv4/skb.js";
import { frameSummary } from "../wire/format.js";
import { LINK_DELAY_MS } from "../sim/world.js";
import { netifReceive } from "./receive.js";
import { brDevXmit } from "./bridge.js";
import { vxlanXmit } from "./vxlan.js";
import { segmentDeliver } from "./segment.js";

export function devXmit(dev: Device, frame: EthFrame, trace: TraceHandle, skb?: Skb): void {
  const ns = dev.ns;
  if (!dev.up) {
    trace.end({ kind: "link-down", at: { node: ns.name, stage: "dev_queue_xmit" }, dev: dev.name });
    return;
  }
  trace.step(ns.name, { kind: "exit-dev", dev: dev.name, packet: frameSummary(frame) });
  switch (dev.kind) {
    case "veth": {
      const peer = dev.peer!;
      // veth_xmit drops when the peer is down; the frame then never arrives.
      ns.world.after(LINK_DELAY_MS, () => netifReceive(peer, frame, trace));
      return;
    }
    case "nic":
      ns.world.after(LINK_DELAY_MS, () => segmentDeliver(dev, frame, trace));
      return;
    case "loopback":
      ns.world.after(0, () => netifReceive(dev, frame, trace, "host"));
      return;
    case "bridge":
      brDevXmit(dev, frame, trace);
      return;
    case "vxlan":
      vxlanXmit(dev, frame, trace, skb);
      return;
  }
}
