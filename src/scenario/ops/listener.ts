/**
 * Listeners: structured `listeners:` (server sockets).
 *
 * Owns the bind() rules that apply: the address must be 0.0.0.0 or local (EADDRNOTAVAIL), and
 * one socket per protocol, port and overlapping address (EADDRINUSE). http and tcp both use TCP.
 */
import { formatIpv4, type Ipv4 } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import type { ListenerSpec } from "../../netns/spec.js";
import { TABLE_LOCAL } from "../../netns/spec.js";
import { refuse, type Refusal } from "../issues.js";
import { isLocalAddress } from "./fib.js";
import { nsOf, type WorldDraft } from "./world.js";

export interface NewListener {
  readonly kind: ListenerSpec["kind"];
  readonly port: number;
  readonly addr?: Ipv4;
  readonly body: string;
  readonly at: Position;
}

/** Two binds collide when either is the wildcard or both name the same address. */
const overlaps = (a?: Ipv4, b?: Ipv4): boolean => (a ?? 0) === 0 || (b ?? 0) === 0 || a === b;
const proto = (k: ListenerSpec["kind"]): string => (k === "udp" ? "udp" : "tcp");

export function addListener(w: WorldDraft, nsName: string, l: NewListener): Refusal | undefined {
  const ns = nsOf(w, nsName);
  if (l.addr !== undefined && l.addr !== 0 && !isLocalAddress(ns, TABLE_LOCAL, l.addr)) {
    return refuse("listener-address", `Cannot assign requested address: ${formatIpv4(l.addr)} is not an address of namespace ${nsName}`, "addr");
  }
  const clash = ns.listeners.find((x) => proto(x.kind) === proto(l.kind) && x.port === l.port && overlaps(x.addr, l.addr));
  if (clash !== undefined) return refuse("listener-conflict", `Address already in use: ${proto(l.kind)} port ${l.port} is already taken by a ${clash.kind} listener`, "port");
  ns.listeners.push({ kind: l.kind, port: l.port, body: l.body, at: l.at, ...(l.addr !== undefined ? { addr: l.addr } : {}) });
  return undefined;
}
