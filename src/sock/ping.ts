/**
 * The ICMP echo socket behind `ping`: a raw socket with IP_RECVERR, as iputils opens it when
 * ping_group_range does not admit ICMP datagram sockets (the default). Echo requests carry the
 * socket's identifier; replies come back by it, and ICMP errors about its requests wait in the
 * socket's error queue until ping reads them (recvmsg with MSG_ERRQUEUE).
 */
import type { Ipv4 } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";
import type { Ipv4Packet } from "../wire/packet.js";
import { ICMP } from "../wire/packet.js";
import { packetSummary } from "../wire/format.js";
import { routeOutput } from "../ipv4/route-output.js";
import { ipSendRouted } from "../ipv4/local-out.js";
import { defaultTtl } from "../ipv4/icmp.js";
import type { PingSock, SockError } from "./table.js";

export interface EchoOptions {
  readonly seq: number;
  readonly ttl?: number;
  readonly size: number;
  readonly src?: Ipv4;
}

export interface PingEvents {
  onReply(from: Ipv4, pkt: Ipv4Packet): void;
  /** An ICMP error was queued: the socket polls with POLLERR. */
  onErrorQueued(): void;
}

export interface PingSocket {
  readonly id: number;
  /** sendmsg(): undefined when the request left, else the errno (the route lookup's, or ip_local_out()'s). */
  send(dst: Ipv4, o: EchoOptions): string | undefined;
  /** recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT): the oldest queued error, or undefined (EAGAIN). */
  takeError(): SockError | undefined;
  close(): void;
}

export function pingOpen(ns: Netns, id: number, events: PingEvents): PingSocket {
  const sock: PingSock = { onReply: (from, pkt) => events.onReply(from, pkt), errQueue: [], onErrorQueued: () => events.onErrorQueued() };
  ns.sockets.ping.set(id, sock);
  return {
    id,
    send: (dst, o) => sendEcho(ns, id, dst, o),
    takeError: () => sock.errQueue.shift(),
    close: () => {
      if (ns.sockets.ping.get(id) === sock) ns.sockets.ping.delete(id);
    },
  };
}

function sendEcho(ns: Netns, id: number, dst: Ipv4, o: EchoOptions): string | undefined {
  const r = routeOutput(ns, dst, o.src !== undefined ? { src: o.src } : {});
  if (!r.ok) return r.errno;
  const pkt: Ipv4Packet = {
    kind: "ipv4",
    src: r.src,
    dst,
    ttl: o.ttl ?? defaultTtl(ns),
    id: ns.ipId++,
    tos: 0,
    df: true,
    payload: { kind: "icmp", type: ICMP.ECHO, code: 0, id, seq: o.seq, dataLen: o.size },
  };
  return ipSendRouted(ns, pkt, r, ns.world.log.start("ping", packetSummary(pkt), ns.world.now));
}
