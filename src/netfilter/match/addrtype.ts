/**
 * xt_addrtype.c: the route type of the source or destination address as inet_dev_addr_type()
 * sees it — 0.0.0.0/8 and 255.255.255.255 are BROADCAST, 224/4 MULTICAST, otherwise the type of
 * the longest match in the `local` table (LOCAL for this host's addresses and 127/8, BROADCAST
 * for subnet broadcasts), UNICAST when nothing there matches. With --limit-iface-in/out the
 * local-table entry must belong to the packet's in/out device.
 */
import type { AddrType, Match } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";
import type { Device } from "../../netns/device.js";
import type { Netns } from "../../netns/netns.js";
import { TABLE_LOCAL } from "../../netns/spec.js";

const ROUTE_TYPE: Readonly<Record<string, AddrType>> = {
  unicast: "UNICAST",
  local: "LOCAL",
  broadcast: "BROADCAST",
  unreachable: "UNREACHABLE",
  blackhole: "BLACKHOLE",
  prohibit: "PROHIBIT",
  throw: "THROW",
};

export function addrType(ns: Netns, a: number, dev: Device | undefined): AddrType {
  if (a >>> 24 === 0 || a >>> 0 === 0xffffffff) return "BROADCAST";
  if (a >>> 28 === 0xe) return "MULTICAST";
  const local = ns.fib.tables.get(TABLE_LOCAL);
  const r = local?.lookup(a);
  if (!r) return "UNICAST";
  if (dev && r.dev !== dev.name) return "UNICAST";
  return ROUTE_TYPE[r.type] ?? "UNICAST";
}

export function addrtypeMatches(m: Extract<Match, { module: "addrtype" }>, pc: PacketCtx): boolean {
  const dev = m.limitIfaceIn ? pc.inDev : m.limitIfaceOut ? pc.outDev : undefined;
  const p = pc.skb.pkt;
  if (m.srcType && m.srcType.values.includes(addrType(pc.ns, p.src, dev)) === m.srcType.neg) return false;
  if (m.dstType && m.dstType.values.includes(addrType(pc.ns, p.dst, dev)) === m.dstType.neg) return false;
  return true;
}
