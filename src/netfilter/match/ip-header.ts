/**
 * The IP header part of every rule (ip_packet_match() in net/ipv4/netfilter/ip_tables.c):
 * source and destination prefix, protocol, input/output interface name (a trailing `+` is a
 * prefix match), fragment flag — each with its own `!`.
 */
import type { AddrMatch, IfaceMatch, Rule } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";
import { protoOf } from "../conntrack/tuple.js";

export function addrMatches(m: AddrMatch, a: number): boolean {
  const mask = m.len === 0 ? 0 : (0xffffffff << (32 - m.len)) >>> 0;
  return (((a & mask) >>> 0) === m.addr) !== m.neg;
}

export function ifaceMatches(m: IfaceMatch, name: string | undefined): boolean {
  // No device at this hook (e.g. -o in PREROUTING) is the empty name, which only `+` matches.
  const n = name ?? "";
  const hit = m.wildcard ? n.startsWith(m.name) : n === m.name;
  return hit !== m.neg;
}

export function ipHeaderMatches(r: Rule, pc: PacketCtx): boolean {
  const p = pc.skb.pkt;
  if (r.src && !addrMatches(r.src, p.src)) return false;
  if (r.dst && !addrMatches(r.dst, p.dst)) return false;
  if (r.inIface && !ifaceMatches(r.inIface, pc.inDev?.name)) return false;
  if (r.outIface && !ifaceMatches(r.outIface, pc.outDev?.name)) return false;
  if (r.proto && r.proto.proto !== 0 && (protoOf(p.payload) === r.proto.proto) === r.proto.neg) return false;
  // podpath never fragments, so every packet is a first fragment: `-f` never matches, `! -f` always.
  if (r.fragment && !r.fragment.neg) return false;
  return true;
}
