/**
 * The world being built, and how one change is applied to it.
 *
 * Owns the draft types, lookups by name, a fresh namespace (with `lo` as the kernel creates it)
 * and `transact`: each change — one structured item or one command line — runs as an immer
 * recipe on a draft of the current world. If the change is refused the draft is dropped, so a
 * refused command leaves no trace, as a refused netlink request leaves the kernel untouched.
 */
import { createDraft, finishDraft, type Draft } from "immer";
import { ipv4, ZERO_MAC } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import type { DeviceSpec, NetnsSpec, WorldSpec } from "../../netns/spec.js";
import { refuse, type Refusal } from "../issues.js";
import { LO_MTU } from "../values.js";

export type WorldDraft = Draft<WorldSpec>;
export type NsDraft = Draft<NetnsSpec>;
export type DevDraft = Draft<DeviceSpec>;

/** A namespace as `ip netns add` leaves it, plus lo up (the spec's convention) with 127.0.0.1/8. */
export function newNamespace(name: string, at: Position): NetnsSpec {
  return {
    name,
    devices: [{ kind: "loopback", name: "lo", up: true, mtu: LO_MTU, mac: ZERO_MAC, at }],
    addresses: [{ dev: "lo", addr: ipv4(0x7f000001), len: 8, scope: "host", at }],
    routes: [],
    neighbours: [],
    fdb: [],
    sysctls: {},
    listeners: [],
    at,
  };
}

export function findNs(w: WorldDraft, name: string): NsDraft | undefined {
  return w.namespaces.find((n) => n.name === name);
}

export function findDev(ns: NsDraft, name: string): DevDraft | undefined {
  return ns.devices.find((d) => d.name === name);
}

/** The namespace an operation runs in; callers only name namespaces that exist. */
export function nsOf(w: WorldDraft, name: string): NsDraft {
  const ns = findNs(w, name);
  if (ns === undefined) throw new Error(`podpath bug: namespace ${name} vanished`);
  return ns;
}

/** `Cannot find device "X"`, as ip prints it when a name does not resolve. */
export function needDev(ns: NsDraft, name: string, field: string): DevDraft | Refusal {
  return findDev(ns, name) ?? refuse("unknown-device", `Cannot find device "${name}" in namespace ${ns.name}`, field, name);
}

export function isRefusal(x: unknown): x is Refusal {
  return typeof x === "object" && x !== null && "code" in x && "message" in x && !("kind" in x);
}

export interface Outcome {
  readonly world: WorldSpec;
  readonly refusal?: Refusal;
}

export function transact(world: WorldSpec, change: (w: WorldDraft) => Refusal | undefined): Outcome {
  const draft = createDraft(world);
  const refusal = change(draft);
  if (refusal !== undefined) return { world, refusal };
  return { world: finishDraft(draft) as WorldSpec };
}
