/**
 * The Linux bridge (net/bridge/br_input.c, br_forward.c, br_device.c): learn the source MAC on
 * the ingress port, then deliver by destination — up the stack for a local entry (the bridge's
 * or a port's own MAC), out of the learned port for a known unicast (never back out of the
 * ingress port unless that port has hairpin on), to every other port for broadcast, multicast
 * and unknown unicast (broadcast and multicast also go up the stack). No ageing, no STP, no VLANs.
 */
import { BROADCAST_MAC, isMulticastMac } from "../core/ip.js";
import type { Device } from "../netns/device.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { EthFrame } from "../wire/packet.js";
import { deliverUp } from "./receive.js";
import { devXmit } from "./xmit.js";
import { ipv4 } from "../core/ip.js";
import type { Skb } from "../ipv4/skb.js";
import type { Looped } from "../ipv4/rcv.js";
import { brNfActive, brNfForward, brNfPreRouting } from "./br-netfilter.js";
import { neighKey, neighOutput } from "../neigh/neigh.js";

export function brHandleFrame(port: Device, arrived: EthFrame, trace: TraceHandle): void {
  const br = port.master!;
  const node = br.ns.name;
  if (!br.up) {
    trace.end({ kind: "link-down", at: { node, stage: "br_handle_frame" }, dev: br.name });
    return;
  }
  let frame = arrived;
  // br_netfilter: the IPv4 PREROUTING hook runs before the bridge decides (NF_BR_PRE_ROUTING).
  let skb: Skb | undefined;
  if (brNfActive(br, frame)) {
    const pre = brNfPreRouting(br, port, frame, trace);
    if (pre.kind === "ended") return;
    learn(br, port, frame, trace);
    if (pre.kind === "up") {
      deliverUp(br, { ...frame, dst: br.mac, payload: pre.skb.pkt }, trace, "host", carried(pre.skb));
      return;
    }
    skb = pre.skb;
    if (pre.kind === "bridged-dnat") {
      // The new destination's MAC (br_nf_pre_routing_finish_bridge); then bridged like any frame,
      // hairpin rule included. Not yet resolved: FORWARD/POSTROUTING, then ARP from the bridge.
      const mac = br.ns.neigh.get(neighKey(br, ipv4(pre.nexthop)))?.mac;
      if (!mac) {
        if (brNfForward(br.ns, br, skb, undefined)) neighOutput(br.ns, br, ipv4(pre.nexthop), skb);
        return;
      }
      frame = { ...frame, dst: mac, payload: skb.pkt };
    } else frame = pre.frame;
  } else learn(br, port, frame, trace);
  const group = frame.dst === BROADCAST_MAC || isMulticastMac(frame.dst);
  if (group) {
    flood(br, port, frame, trace, true);
    return;
  }
  const entry = br.fdb.get(frame.dst);
  if (entry?.local) {
    trace.step(node, { kind: "bridge", bridge: br.name, action: "local", mac: frame.dst });
    deliverUp(br, frame, trace, "host", skb ? carried(skb) : undefined);
    return;
  }
  if (entry) {
    if (entry.port === port && !port.hairpin) {
      trace.step(node, { kind: "bridge", bridge: br.name, action: "hairpin-drop", mac: frame.dst, port: port.name });
      trace.end({ kind: "dropped", at: { node, stage: "br_forward" }, reason: `destination ${frame.dst} is behind the ingress port ${port.name} and hairpin is off` });
      return;
    }
    trace.step(node, { kind: "bridge", bridge: br.name, action: "fdb-hit", mac: frame.dst, port: entry.port.name });
    if (skb && !brNfForward(br.ns, br, skb, entry.port)) return;
    devXmit(entry.port, skb ? { ...frame, payload: skb.pkt } : frame, trace);
    return;
  }
  if (skb && !brNfForward(br.ns, br, skb, undefined)) return;
  flood(br, port, skb ? { ...frame, payload: skb.pkt } : frame, trace, false);
}

/** What the IP layer keeps of a packet br_netfilter already ran PREROUTING for. */
function carried(skb: Skb): Looped {
  return { mark: skb.mark, prerouted: true, ...(skb.ct ? { ct: skb.ct } : {}), ...(skb.phys?.in ? { physIn: skb.phys.in } : {}) };
}

/** br_dev_xmit: a frame the host sends out of the bridge device itself. */
export function brDevXmit(br: Device, frame: EthFrame, trace: TraceHandle): void {
  const group = frame.dst === BROADCAST_MAC || isMulticastMac(frame.dst);
  const entry = group ? undefined : br.fdb.get(frame.dst);
  if (entry && !entry.local) {
    trace.step(br.ns.name, { kind: "bridge", bridge: br.name, action: "fdb-hit", mac: frame.dst, port: entry.port.name });
    devXmit(entry.port, frame, trace);
    return;
  }
  flood(br, undefined, frame, trace, false);
}

function learn(br: Device, port: Device, frame: EthFrame, trace: TraceHandle): void {
  if (isMulticastMac(frame.src)) return;
  const known = br.fdb.get(frame.src);
  if (known && (known.local || known.permanent)) return;
  if (known?.port === port) return;
  br.fdb.set(frame.src, { port, local: false, permanent: false });
  trace.step(br.ns.name, { kind: "bridge", bridge: br.name, action: "learn", mac: frame.src, port: port.name });
}

function flood(br: Device, ingress: Device | undefined, frame: EthFrame, trace: TraceHandle, upToo: boolean): void {
  const ports = br.ports.filter((p) => p.up && (p !== ingress || p.hairpin));
  trace.step(br.ns.name, { kind: "bridge", bridge: br.name, action: "flood", mac: frame.dst, ports: ports.map((p) => p.name) });
  // br_flood() to the ports, then br_pass_frame_up() for broadcast/multicast that came in on a port.
  const targets: Array<(h: TraceHandle) => void> = ports.map((p) => (h: TraceHandle) => devXmit(p, frame, h));
  if (upToo && ingress) targets.push((h) => deliverUp(br, frame, h));
  if (targets.length === 0) {
    trace.end({ kind: "dropped", at: { node: br.ns.name, stage: "br_flood" }, reason: `no other port on ${br.name}` });
    return;
  }
  const handles = targets.map((_, i) => (i === 0 ? trace : trace.fork()));
  targets.forEach((deliver, i) => deliver(handles[i]!));
}
