/**
 * ip_rcv() and ip_rcv_finish() (net/ipv4/ip_input.c): drop frames that were not for this host,
 * run PREROUTING, take the input route decision, then hand the packet to local delivery or to
 * forwarding. A packet looped back through `lo`, or handed back by a vxlan device's local
 * bypass, keeps the route it was sent with, as in the kernel, so it is not routed (or
 * source-checked) again; a locally sent packet's output route has no input path (dst_discard).
 */
import type { Device } from "../netns/device.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { Ipv4Packet } from "../wire/packet.js";
import type { PktType, Rt, Skb } from "./skb.js";
import type { SkbCt } from "../netfilter/conntrack/conn.js";
import { routeInput } from "./route-input.js";
import { ipLocalDeliver } from "./local-deliver.js";
import { ipForward } from "./forward.js";
import { ipError } from "./ip-error.js";
import { nfVerdictEnds } from "./nf.js";

/**
 * What a packet keeps of its skb when it re-enters the IP layer: looped back through `lo` or by
 * vxlan_encap_bypass (route, conntrack entry, mark), or passed up by a bridge after br_netfilter
 * already ran PREROUTING for it (`prerouted`, ip_sabotage_in).
 */
export interface Looped {
  readonly rt?: Rt;
  readonly ct?: SkbCt;
  readonly mark: number;
  readonly prerouted?: boolean;
  /** br_netfilter's bridge port the frame came in by (nf_bridge->physindev), kept while routed. */
  readonly physIn?: Device;
}

export function ipRcv(dev: Device, pkt: Ipv4Packet, pktType: PktType, trace: TraceHandle, looped?: Looped): void {
  const ns = dev.ns;
  const at = { node: ns.name, stage: "ip_rcv" };
  if (pktType === "otherhost") {
    trace.end({ kind: "not-for-us", at, reason: `destination MAC is not ${dev.name}'s (PACKET_OTHERHOST)` });
    return;
  }
  const skb: Skb = { pkt, trace, dev, pktType, mark: looped?.mark ?? 0, ...(looped?.rt ? { rt: looped.rt } : {}), ...(looped?.ct ? { ct: looped.ct } : {}), ...(looped?.physIn ? { phys: { in: looped.physIn } } : {}) };
  if (!looped?.prerouted) {
    const v = ns.nf.hook(ns, "PREROUTING", skb, dev, undefined);
    if (nfVerdictEnds(ns, skb, v, "PREROUTING")) return;
  }
  if (!skb.rt) {
    const decision = routeInput(ns, skb, dev);
    if (decision.kind === "drop") return;
    if (decision.kind === "error") {
      ipError(ns, skb, decision.errno);
      return;
    }
    skb.rt = decision.rt;
  }
  const rt = skb.rt!;
  if (rt.kind === "output") {
    // An output route's dst.input is dst_discard: a locally sent packet that came back in with it.
    skb.trace.end({ kind: "dropped", at: { node: ns.name, stage: "ip_rcv_finish" }, reason: "the packet came back in with the route this host sent it by, which has no input path (dst_discard)" });
    return;
  }
  if (rt.kind === "local" || rt.kind === "broadcast") ipLocalDeliver(ns, skb);
  else ipForward(ns, skb);
}
