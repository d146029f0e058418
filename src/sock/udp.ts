/**
 * UDP (net/ipv4/udp.c): a datagram goes to the VXLAN encapsulation socket when a vxlan device
 * listens on its port, else to a client socket or a listener on its port; with nobody there
 * the sender gets ICMP port unreachable (not for broadcasts). sendmsg() fails with the route
 * lookup's errno, then with a pending sk_err (a hard ICMP error an earlier datagram drew,
 * reported once), then with what ip_local_out() returned (EPERM when OUTPUT or POSTROUTING
 * dropped the datagram).
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
import type { DatagramEvents, UdpSock } from "./table.js";
import { ephemeralPort } from "./ports.js";
import { expandBody } from "./listener-body.js";
import { dnsListenerReply } from "./dns-server.js";

export function udpRcv(ns: Netns, skb: Skb): void {
  const pkt = skb.pkt;
  const dgram = pkt.payload as UdpDatagram;
  const at = { node: ns.name, stage: "udp_rcv" };
  if (vxlanRcv(ns, skb)) return;
  const client = ns.sockets.udp.get(dgram.dport);
  if (client) {
    skb.trace.end({ kind: "delivered", at, to: `udp socket ${dgram.dport}` });
    client.events.onData(typeof dgram.data === "string" ? dgram.data : "", pkt.src, pkt);
    return;
  }
  const l = ns.sockets.listener("udp", pkt.dst, dgram.dport);
  if (l) {
    skb.trace.end({ kind: "delivered", at, to: `udp listener ${l.kind === "dns" ? "dns " : ""}*:${l.port}` });
    const data = l.kind === "dns" ? dnsListenerReply(l, typeof dgram.data === "string" ? dgram.data : "", "udp") : expandBody(l.body, { peerIp: pkt.src, peerPort: dgram.sport, localIp: l.addr ?? 0, localPort: l.port });
    if (data === undefined) return; // not a DNS query: the server ignores it
    const r = routeOutput(ns, pkt.src, { src: pkt.dst });
    if (!r.ok) return;
    const reply: Ipv4Packet = { kind: "ipv4", src: pkt.dst, dst: pkt.src, ttl: defaultTtl(ns), id: ns.ipId++, tos: 0, df: true, payload: { kind: "udp", sport: dgram.dport, dport: dgram.sport, data } };
    ipSendRouted(ns, reply, r, ns.world.log.start(l.kind === "dns" ? "dns reply" : "udp reply", packetSummary(reply), ns.world.now, skb.trace));
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

export interface UdpOpenOptions {
  /** connect() to the one peer it sends to (nc): hard ICMP errors then become sk_err. */
  readonly connected?: boolean;
  /** IP_RECVERR (traceroute): every ICMP error reaches the application. The default. */
  readonly recverr?: boolean;
}

/** A fresh socket bound to an ephemeral port; it stays open for replies and errors. */
export function udpOpen(ns: Netns, events: DatagramEvents, opts: UdpOpenOptions = {}): { readonly port: number; close(): void } {
  const port = ephemeralPort(ns, (p) => ns.sockets.udp.has(p));
  const sock: UdpSock = { events, connected: opts.connected ?? false, recverr: opts.recverr ?? true };
  ns.sockets.udp.set(port, sock);
  return { port, close: () => ns.sockets.udp.delete(port) };
}

/** sendmsg(): undefined when the datagram left, else the errno the call fails with. */
export function udpSend(ns: Netns, sport: number, dst: Ipv4, dport: number, data: string, opts: UdpSendOptions): string | undefined {
  const r = routeOutput(ns, dst);
  if (!r.ok) return r.errno;
  const sock = ns.sockets.udp.get(sport);
  const pending = sock?.err;
  if (sock && pending !== undefined) {
    delete sock.err;
    return pending;
  }
  const pkt: Ipv4Packet = { kind: "ipv4", src: r.src, dst, ttl: opts.ttl ?? defaultTtl(ns), id: ns.ipId++, tos: 0, df: false, payload: { kind: "udp", sport, dport, data } };
  return ipSendRouted(ns, pkt, r, ns.world.log.start(opts.origin, packetSummary(pkt), ns.world.now));
}
