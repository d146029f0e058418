/**
 * ip_output() → POSTROUTING → ip_finish_output() → ip_finish_output2(): hand the packet to the
 * neighbour layer on the output device. A packet for a local address goes out through `lo` and
 * comes straight back in with its route still attached (loopback_xmit keeps skb_dst). Returns
 * EPERM when POSTROUTING dropped the packet (what a local sender's sendmsg() gets), else
 * undefined: what happens past the device (ARP, the peer's hooks) no longer reaches the sender.
 */
import type { Netns } from "../netns/netns.js";
import { packetSummary } from "../wire/format.js";
import type { Skb } from "./skb.js";
import { nfVerdictEnds } from "./nf.js";
import { neighOutput } from "../neigh/neigh.js";
import { ipRcv } from "./rcv.js";

export function ipOutput(ns: Netns, skb: Skb): string | undefined {
  const rt = skb.rt!;
  const v = ns.nf.hook(ns, "POSTROUTING", skb, undefined, rt.dev);
  if (nfVerdictEnds(ns, skb, v, "POSTROUTING")) return "EPERM";
  if (rt.kind === "local") {
    const lo = ns.loopback;
    if (!lo.up) {
      skb.trace.end({ kind: "link-down", at: { node: ns.name, stage: "dev_queue_xmit" }, dev: lo.name });
      return undefined;
    }
    const text = packetSummary(skb.pkt);
    skb.trace.step(ns.name, { kind: "exit-dev", dev: lo.name, packet: text });
    const pkt = skb.pkt;
    // loopback_xmit keeps the route, the conntrack entry and the mark.
    const looped = { rt, mark: skb.mark, ...(skb.ct ? { ct: skb.ct } : {}) };
    ns.world.after(0, () => {
      skb.trace.step(ns.name, { kind: "enter-dev", dev: lo.name, ms: ns.world.now, packet: text });
      ipRcv(lo, pkt, "host", skb.trace, looped);
    });
    return undefined;
  }
  neighOutput(ns, rt.dev, rt.nexthop, skb, rt.kind === "broadcast");
  return undefined;
}
