/**
 * UDP (net/ipv4/udp.c): a datagram goes to the VXLAN encapsulation socket when a vxlan device
 * listens on its port, else to a client socket or a listener on its port; with nobody there
 * the sender gets ICMP port unreachable (not for broadcasts).
 */
import type { Ipv4 } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";
import type { Skb } from "../ipv4/skb.js";
import type { Ipv4Packet, UdpDatagram } from "../wire/packet.js";
import { ICMP, UNREACH } from "../wire/packet.js";
import { packetSummary } from "../wire/format.js";
import { routeOutput } from "../ipv4/route-output.js";
import { ipSendRouted } from "../ipv4/local-out.js";
import { defaultTtl, icmpSend } from "../ipv4/icmp.js";
import { vxlanRcv } from "../link/vxlan.js";
import type { DatagramEvents } from "./table.js";
import { ephemeralPort } from "./ports.js";
import { expandBody } from "./listener-body.js";

export function udpRcv(ns: Netns, skb: Skb): void {
  const pkt = skb.pkt;
  const dgram = pkt.payload as UdpDatagram;
  const at = { node: ns.name, stage: "udp_rcv" };
  if (vxlanRcv(ns, skb)) return;
  const client = ns.sockets.udp.get(dgram.dport);
  if (client) {
    skb.trace.end({ kind: "delivered", at, to: `udp socket ${dgram.dport}` });
    client.onData(typeof dgram.data === "string" ? dgram.data : "", pkt.src, pkt);
    return;
  }
  const l = ns.sockets.listener("udp", pkt.dst, dgram.dport);
  if (l) {
    skb.trace.end({ kind: "delivered", at, to: `udp listener *:${l.port}` });
    const r = routeOutput(ns, pkt.src, { src: pkt.dst });
    if (!r.ok) return;
    const reply: Ipv4Packet = { kind: "ipv4", src: pkt.dst, dst: pkt.src, ttl: defaultTtl(ns), id: ns.ipId++, tos: 0, df: true, payload: { kind: "udp", sport: dgram.dport, dport: dgram.sport, data: expandBody(l.body, { peerIp: pkt.src, peerPort: dgram.sport, localIp: l.addr ?? 0, localPort: l.port }) } };
    ipSendRouted(ns, reply, r, ns.world.log.start("udp reply", packetSummary(reply), ns.world.now, skb.trace));
    return;
  }
  skb.trace.end({ kind: "no-listener", at, proto: "udp", port: dgram.dport });
  if (skb.rt?.kind !== "broadcast") icmpSend(ns, skb, ICMP.DEST_UNREACH, UNREACH.PORT, {});
}

export interface UdpSendOptions {
  readonly ttl?: number;
  readonly sport?: number;
  readonly origin: string;
}

/** sendto() on a fresh socket bound to an ephemeral port; the socket stays open for replies and errors. */
export function udpOpen(ns: Netns, events: DatagramEvents): { readonly port: number; close(): void } {
  const port = ephemeralPort(ns, (p) => ns.sockets.udp.has(p));
  ns.sockets.udp.set(port, events);
  return { port, close: () => ns.sockets.udp.delete(port) };
}

export function udpSend(ns: Netns, sport: number, dst: Ipv4, dport: number, data: string, opts: UdpSendOptions): string | undefined {
  const r = routeOutput(ns, dst);
  if (!r.ok) return r.errno;
  const pkt: Ipv4Packet = { kind: "ipv4", src: r.src, dst, ttl: opts.ttl ?? defaultTtl(ns), id: ns.ipId++, tos: 0, df: false, payload: { kind: "udp", sport, dport, data } };
  ipSendRouted(ns, pkt, r, ns.world.log.start(opts.origin, packetSummary(pkt), ns.world.now));
  return undefined;
}
