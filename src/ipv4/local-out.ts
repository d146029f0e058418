/**
 * Sending a locally generated packet: ip_local_out() after the output route is known. Records
 * the route decision, runs OUTPUT, re-routes when OUTPUT changed the destination (DNAT in the
 * nat table, as ip_route_me_harder does), then goes on to ip_output(). Returns what
 * ip_local_out() returns to the sending socket: nf_hook_slow() turns a drop in OUTPUT or
 * POSTROUTING (REJECT included) into -EPERM, a failed re-route into the route's errno.
 */
import { formatIpv4 } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { Ipv4Packet } from "../wire/packet.js";
import type { OutputRoute } from "./route-output.js";
import { describeOutput, routeOutput } from "./route-output.js";
import type { Skb } from "./skb.js";
import type { SkbCt } from "../netfilter/conntrack/conn.js";
import { nfVerdictEnds } from "./nf.js";
import { ipOutput } from "./output.js";

/**
 * `attach`: a conntrack entry the packet already belongs to (nf_ct_attach, as REJECT's reset
 * gets). Returns the errno for the sender, undefined when the packet went on.
 */
export function ipSendRouted(ns: Netns, pkt: Ipv4Packet, r: OutputRoute, trace: TraceHandle, attach?: SkbCt): string | undefined {
  const d = describeOutput(pkt.dst, r);
  trace.step(ns.name, { kind: "route", direction: "output", table: d.table, matched: d.matched, type: r.route?.type ?? "unicast", result: r.local ? "local" : r.dev.name, text: d.text });
  const skb: Skb = { pkt, trace, pktType: "host", mark: 0, rt: rtOf(r), ...(attach ? { ct: attach } : {}) };
  const v = ns.nf.hook(ns, "OUTPUT", skb, undefined, r.dev);
  if (nfVerdictEnds(ns, skb, v, "OUTPUT")) return "EPERM";
  if (skb.pkt.dst !== pkt.dst) {
    const again = routeOutput(ns, skb.pkt.dst, { src: skb.pkt.src });
    if (!again.ok) {
      trace.end({ kind: "no-route", at: { node: ns.name, stage: "ip_route_me_harder" }, reason: `no route to ${formatIpv4(skb.pkt.dst)} after OUTPUT rewrote the destination`, errno: again.errno });
      return again.errno;
    }
    const d2 = describeOutput(skb.pkt.dst, again);
    trace.step(ns.name, { kind: "route", direction: "output", table: d2.table, matched: d2.matched, type: again.route?.type ?? "unicast", result: again.local ? "local" : again.dev.name, text: `${d2.text} (re-routed after OUTPUT)` });
    skb.rt = rtOf(again);
  }
  return ipOutput(ns, skb);
}

function rtOf(r: OutputRoute): NonNullable<Skb["rt"]> {
  return { kind: r.local ? "local" : r.broadcast ? "broadcast" : "output", dev: r.dev, nexthop: r.nexthop, ...(r.route ? { route: r.route } : {}) };
}
