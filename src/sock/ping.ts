/**
 * The ICMP echo sender behind `ping` (a raw socket in iputils): echo requests with an
 * identifier, and the replies and errors that come back for that identifier.
 */
import type { Ipv4 } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";
import type { Ipv4Packet } from "../wire/packet.js";
import { ICMP } from "../wire/packet.js";
import { packetSummary } from "../wire/format.js";
import { routeOutput } from "../ipv4/route-output.js";
import { ipSendRouted } from "../ipv4/local-out.js";
import { defaultTtl } from "../ipv4/icmp.js";

export interface EchoOptions {
  readonly id: number;
  readonly seq: number;
  readonly ttl?: number;
  readonly size: number;
  readonly src?: Ipv4;
}

/** Returns the errno when the route lookup fails (sendmsg's error), else undefined. */
export function sendEcho(ns: Netns, dst: Ipv4, o: EchoOptions): string | undefined {
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
    payload: { kind: "icmp", type: ICMP.ECHO, code: 0, id: o.id, seq: o.seq, dataLen: o.size },
  };
  ipSendRouted(ns, pkt, r, ns.world.log.start("ping", packetSummary(pkt), ns.world.now));
  return undefined;
}
