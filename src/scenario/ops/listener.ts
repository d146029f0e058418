/**
 * Listeners: structured `listeners:` (server sockets).
 *
 * Owns the bind() rules that apply: the address must be 0.0.0.0 or local (EADDRNOTAVAIL), and
 * one socket per protocol, port and overlapping address (EADDRINUSE). http and tcp both use TCP;
 * dns binds both UDP and TCP, as CoreDNS does :53.
 */
import { formatIpv4, type Ipv4 } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import type { DnsZoneSpec, ListenerSpec } from "../../netns/spec.js";
import { TABLE_LOCAL } from "../../netns/spec.js";
import { refuse, type Refusal } from "../issues.js";
import { isLocalAddress } from "./fib.js";
import { nsOf, type WorldDraft } from "./world.js";

export interface NewListener {
  readonly kind: ListenerSpec["kind"];
  readonly port: number;
  readonly addr?: Ipv4;
  readonly body: string;
  readonly zone?: DnsZoneSpec;
  readonly at: Position;
}

/** Two binds collide when either is the wildcard or both name the same address. */
const overlaps = (a?: Ipv4, b?: Ipv4): boolean => (a ?? 0) === 0 || (b ?? 0) === 0 || a === b;
const protos = (k: ListenerSpec["kind"]): readonly string[] => (k === "dns" ? ["udp", "tcp"] : k === "udp" ? ["udp"] : ["tcp"]);

export function addListener(w: WorldDraft, nsName: string, l: NewListener): Refusal | undefined {
  const ns = nsOf(w, nsName);
  if (l.addr !== undefined && l.addr !== 0 && !isLocalAddress(ns, TABLE_LOCAL, l.addr)) {
    return refuse("listener-address", `Cannot assign requested address: ${formatIpv4(l.addr)} is not an address of namespace ${nsName}`, "addr");
  }
  const clash = ns.listeners.find((x) => protos(x.kind).some((p) => protos(l.kind).includes(p)) && x.port === l.port && overlaps(x.addr, l.addr));
  if (clash !== undefined) {
    const shared = protos(l.kind).find((p) => protos(clash.kind).includes(p))!;
    return refuse("listener-conflict", `Address already in use: ${shared} port ${l.port} is already taken by a ${clash.kind} listener`, "port");
  }
  ns.listeners.push({ kind: l.kind, port: l.port, body: l.body, at: l.at, ...(l.addr !== undefined ? { addr: l.addr } : {}), ...(l.zone !== undefined ? { zone: copyZone(l.zone) } : {}) });
  return undefined;
}

/** A fresh copy of the zone for the draft, which wants its arrays mutable. */
function copyZone(z: DnsZoneSpec): { domain: string; records: Record<string, Ipv4[]> } {
  return { domain: z.domain, records: Object.fromEntries(Object.entries(z.records).map(([name, addrs]) => [name, [...addrs]])) };
}
