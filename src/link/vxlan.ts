/**
 * VXLAN (drivers/net/vxlan/vxlan_core.c). Transmit: the FDB maps the inner destination MAC (or
 * the all-zero default entry) to remote VTEPs; the outer packet is routed in this namespace from
 * `local` (bound to `dev` when given). When that route says the remote VTEP is one of our own
 * addresses, encap_bypass_if_local() skips UDP entirely and hands the frame straight to the
 * local vxlan device with the same VNI and port (vxlan_encap_bypass) — the inner packet re-enters
 * this host's IP stack as the same skb: nothing scrubs it (no skb_scrub_packet, and vxlan keeps
 * skb_dst: netif_keep_dst), so it keeps its conntrack entry and ctinfo, its mark and its route.
 * PREROUTING's conntrack then ignores it (already attached), NAT replays the entry's binding, and
 * ip_rcv_finish uses the route it was sent with instead of routing again (no rp_filter check);
 * a forwarded packet therefore laps until its TTL runs out, all laps on the first lap's entry.
 * Otherwise the frame is wrapped in UDP (port `dstport`, source port hashed from the inner flow,
 * 50 bytes of overhead) and sent like any local packet.
 * Receive: UDP to the vxlan port → the device with the packet's VNI → loop check on the inner
 * source MAC → learning (if on) → the inner frame arrives on the vxlan device.
 */
import type { Ipv4 } from "../core/ip.js";
import { ZERO_MAC, formatIpv4 } from "../core/ip.js";
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import type { Skb } from "../ipv4/skb.js";
import type { Looped } from "../ipv4/rcv.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { EthFrame, Ipv4Packet, VxlanPayload } from "../wire/packet.js";
import { PROTO_UDP } from "../wire/packet.js";
import { packetSummary } from "../wire/format.js";
import { routeOutput } from "../ipv4/route-output.js";
import { ipSendRouted } from "../ipv4/local-out.js";
import { defaultTtl } from "../ipv4/icmp.js";
import { netifReceive } from "./receive.js";

export function vxlanXmit(dev: Device, frame: EthFrame, trace: TraceHandle, skb?: Skb): void {
  const ns = dev.ns;
  const vx = dev.vxlan!;
  const at = { node: ns.name, stage: "vxlan_xmit" };
  const exact = vx.fdb.get(frame.dst);
  const dsts = exact ?? vx.fdb.get(ZERO_MAC);
  trace.step(ns.name, {
    kind: "vxlan-fdb",
    dev: dev.name,
    mac: frame.dst,
    ...(dsts?.[0] !== undefined ? { dst: dsts.map(formatIpv4).join(",") } : {}),
    entry: dsts ? `${exact ? frame.dst : ZERO_MAC} dev ${dev.name} dst ${dsts.map(formatIpv4).join(",")} self permanent` : "(no entry, no default entry)",
  });
  if (!dsts || dsts.length === 0) {
    trace.end({ kind: "dropped", at, reason: `no FDB entry on ${dev.name} for ${frame.dst} and no default (00:00:00:00:00:00) entry` });
    return;
  }
  const handles = dsts.map((_, i) => (i === 0 ? trace : trace.fork()));
  dsts.forEach((remote, i) => xmitOne(ns, dev, frame, remote, handles[i]!, skb));
}

function xmitOne(ns: Netns, dev: Device, frame: EthFrame, remote: Ipv4, trace: TraceHandle, skb: Skb | undefined): void {
  const vx = dev.vxlan!;
  const at = { node: ns.name, stage: "vxlan_xmit_one" };
  const r = routeOutput(ns, remote, { ...(vx.local !== undefined ? { src: vx.local } : {}), ...(vx.lower ? { oif: vx.lower } : {}) });
  if (!r.ok) {
    trace.end({ kind: "dropped", at, reason: `no route to remote VTEP ${formatIpv4(remote)} (${r.errno}); counted as tx_carrier_errors` });
    return;
  }
  if (r.local) {
    const target = [...ns.devices.values()].find((d) => d.vxlan && d.vxlan.vni === vx.vni && d.vxlan.dstport === vx.dstport);
    if (!target) {
      trace.end({ kind: "dropped", at, reason: `remote VTEP ${formatIpv4(remote)} is local but no local vxlan device has VNI ${vx.vni}` });
      return;
    }
    trace.step(ns.name, {
      kind: "encap-bypass",
      dev: dev.name,
      to: target.name,
      why: `remote VTEP ${formatIpv4(remote)} is a local address of ${ns.name}: the frame is handed straight back to ${target.name} (encap_bypass_if_local), no UDP is sent; the packet keeps its route, conntrack entry and mark`,
    });
    // The skb itself goes round: its route, conntrack entry and mark come along (a clone per
    // extra remote shares them). INVALID is no entry at all (_nfct NULL): conntrack looks again.
    const ct = skb?.ct?.kind === "invalid" ? undefined : skb?.ct;
    const kept: Looped | undefined = skb ? { mark: skb.mark, ...(skb.rt ? { rt: skb.rt } : {}), ...(ct ? { ct } : {}) } : undefined;
    ns.world.after(0, () => netifReceive(target, frame, trace, "host", kept));
    return;
  }
  const inner = frame.payload;
  const sport = sourcePort(inner.kind === "ipv4" ? inner : undefined);
  const payload: VxlanPayload = { kind: "vxlan", vni: vx.vni, frame };
  const outer: Ipv4Packet = {
    kind: "ipv4",
    src: r.src,
    dst: remote,
    ttl: defaultTtl(ns),
    id: ns.ipId++,
    tos: 0,
    df: false,
    payload: { kind: "udp", sport, dport: vx.dstport, data: payload },
  };
  trace.step(ns.name, { kind: "encap", dev: dev.name, vni: vx.vni, outer: packetSummary(outer) });
  ipSendRouted(ns, outer, r, trace);
}

/** udp_flow_src_port(): a hash of the inner flow into the local port range 32768–60999. */
function sourcePort(inner: Ipv4Packet | undefined): number {
  if (!inner) return 32768;
  const t = inner.payload;
  const ports = t.kind === "icmp" ? t.id : t.sport * 65536 + t.dport;
  let h = (inner.src ^ Math.imul(inner.dst, 2654435761) ^ Math.imul(ports + PROTO_UDP, 40503)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 2246822507) >>> 0;
  return 32768 + (h % (60999 - 32768 + 1));
}

/** udp encap_rcv → vxlan_rcv. Returns false when no vxlan device listens on this port. */
export function vxlanRcv(ns: Netns, skb: Skb): boolean {
  const udp = skb.pkt.payload;
  if (udp.kind !== "udp") return false;
  const devs = [...ns.devices.values()].filter((d) => d.vxlan && d.vxlan.dstport === udp.dport);
  if (devs.length === 0) return false;
  const at = { node: ns.name, stage: "vxlan_rcv" };
  if (typeof udp.data === "string") {
    skb.trace.end({ kind: "dropped", at, reason: "not a VXLAN packet" });
    return true;
  }
  const { vni, frame } = udp.data;
  const dev = devs.find((d) => d.vxlan!.vni === vni);
  if (!dev || !dev.up) {
    skb.trace.end({ kind: "dropped", at, reason: `no ${dev ? "up " : ""}vxlan device for VNI ${vni} on port ${udp.dport}` });
    return true;
  }
  if (frame.src === dev.mac) {
    skb.trace.end({ kind: "dropped", at, reason: `inner source MAC ${frame.src} is ${dev.name}'s own: packet loop` });
    return true;
  }
  if (dev.vxlan!.learning) dev.vxlan!.fdb.set(frame.src, [skb.pkt.src]);
  skb.trace.step(ns.name, { kind: "decap", dev: dev.name, vni });
  ns.world.after(0, () => netifReceive(dev, frame, skb.trace));
  return true;
}
