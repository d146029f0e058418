/**
 * VirtualBox networks → WorldSpec pieces. Walks the VMs in order and their adapters by number,
 * planning each network the first time an adapter names it (per-VM NAT: one per adapter),
 * places static addresses first, then hands out DHCP leases in that same order, and builds the
 * namespaces VirtualBox's own parts stand for: NAT engines, NAT services and LAN routers (each
 * with an address on the outside segment, in planning order), the host with its host-only
 * adapters, and the outside world. Only state is written; the simulator carries the packets.
 */
import type { Ipv4, Mac } from "../core/ip.js";
import { broadcastOf, formatIpv4 } from "../core/ip.js";
import type { Issue, Position, Result } from "../core/issue.js";
import { fail, ok } from "../core/issue.js";
import type { NetnsSpec, SegmentSpec, WorldSpec } from "../netns/spec.js";
import { LeasePool } from "./dhcp.js";
import type { GuestNic } from "./guest.js";
import { guestNamespace } from "./guest.js";
import { gatewayNamespace } from "./gateway.js";
import { hostOnlyPlan } from "./host-only.js";
import { internalPlan } from "./internal.js";
import type { Forward } from "./masquerade.js";
import { machine } from "./namespace.js";
import type { VboxModel } from "./model.js";
import { HOST_NS, OUTSIDE_SEGMENT, hostOnlySegment, lanSegment, natNetworkSegment } from "./names.js";
import { natEnginePlan } from "./nat-engine.js";
import { natNetworkPlan } from "./nat-network.js";
import type { NetworkPlan } from "./network.js";
import { lanPlan } from "./bridged.js";
import { UplinkPool, outsideNamespace } from "./outside.js";
import type { ParsedAdapter } from "./validate.js";
import { validateModel } from "./validate.js";

/** One guest address, as `ip addr` on the VM would show it and how it got there. */
export interface GuestAddress {
  readonly vm: string;
  readonly adapter: number;
  readonly ifname: string;
  readonly segment: string;
  readonly mac: Mac;
  readonly addr: Ipv4;
  readonly len: number;
  readonly source: "dhcp" | "static";
}

export interface VboxNetworks {
  readonly segments: readonly SegmentSpec[];
  /** The VMs in model order, then VirtualBox's namespaces, then the host and the outside world. */
  readonly namespaces: readonly NetnsSpec[];
  readonly addresses: readonly GuestAddress[];
}

export function buildVboxNetworks(model: VboxModel): Result<VboxNetworks> {
  const parsed = validateModel(model);
  if (!parsed.ok) return fail(parsed.issues);
  const vms = parsed.value;
  const issues: Issue[] = [];
  const file = model.file ?? "vbox";

  const plans = new Map<string, NetworkPlan>();
  const planOf = new Map<ParsedAdapter, NetworkPlan>();
  for (const a of vms.flatMap((v) => v.adapters)) {
    const plan = planFor(model, a, plans, issues);
    if (!plans.has(plan.segment)) plans.set(plan.segment, plan);
    planOf.set(a, plans.get(plan.segment)!);
  }

  // Static addresses first: they claim their address on the segment before any lease.
  const taken = new Map<string, Map<number, string>>();
  for (const p of plans.values()) taken.set(p.segment, new Map(p.reserved.map((r) => [r, "VirtualBox's own"])));
  const addrOf = new Map<ParsedAdapter, { addr: Ipv4; len: number; server?: NonNullable<NetworkPlan["dhcp"]> }>();
  for (const [a, plan] of planOf) {
    if (a.static === undefined) continue;
    const seg = taken.get(plan.segment)!;
    const holder = seg.get(a.static.addr);
    if (holder !== undefined) {
      issues.push({ code: "duplicate-address", message: `VM ${a.vm} adapter ${a.adapter}: ${formatIpv4(a.static.addr)} on ${plan.segment} is already ${holder}`, at: a.at });
      continue;
    }
    seg.set(a.static.addr, `VM ${a.vm} adapter ${a.adapter}'s`);
    addrOf.set(a, { addr: a.static.addr, len: a.static.len });
  }
  const pools = new Map<string, LeasePool>();
  for (const [a, plan] of planOf) {
    if (a.static !== undefined) continue;
    if (plan.dhcp === undefined || plan.prefix === undefined) {
      issues.push({ code: "no-dhcp-server", message: `VM ${a.vm} adapter ${a.adapter}: ${plan.segment} has no DHCP server; give the adapter a static address`, at: a.at });
      continue;
    }
    const pool = pools.get(plan.segment) ?? new LeasePool(plan.dhcp);
    pools.set(plan.segment, pool);
    const seg = taken.get(plan.segment)!;
    const lease = pool.lease(new Set(seg.keys()));
    if (lease === undefined) {
      issues.push({ code: "pool-exhausted", message: `VM ${a.vm} adapter ${a.adapter}: the DHCP pool of ${plan.segment} has no free address`, at: a.at });
      continue;
    }
    seg.set(lease, `VM ${a.vm} adapter ${a.adapter}'s lease`);
    addrOf.set(a, { addr: lease, len: plan.prefix.len, server: plan.dhcp });
  }

  const namespaces: NetnsSpec[] = [];
  const addresses: GuestAddress[] = [];
  for (const vm of vms) {
    const nics: GuestNic[] = [];
    for (const a of vm.adapters) {
      const got = addrOf.get(a);
      const plan = planOf.get(a)!;
      if (!got) continue;
      nics.push({ ifname: a.ifname, segment: plan.segment, mac: a.mac, addr: { addr: got.addr, len: got.len }, ...(got.server ? { dhcp: got.server } : {}), ...(a.gateway !== undefined ? { gateway: a.gateway } : {}) });
      addresses.push({ vm: vm.name, adapter: a.adapter, ifname: a.ifname, segment: plan.segment, mac: a.mac, addr: got.addr, len: got.len, source: got.server ? "dhcp" : "static" });
    }
    namespaces.push(guestNamespace(vm.name, nics));
  }

  const uplinks = new UplinkPool();
  for (const plan of plans.values()) {
    if (!plan.gateway || !plan.prefix) continue;
    const uplink = uplinks.take();
    if (uplink === undefined) {
      issues.push({ code: "pool-exhausted", message: `${plan.gateway.name}: no outside address left in 203.0.113.0/24`, at: { file, line: 1, column: 1 } });
      continue;
    }
    const forwards: Forward[] = [];
    for (const [a, p] of planOf) {
      if (p !== plan) continue;
      for (const f of a.portForwards) {
        const guestIp = (f.guestIp ?? addrOf.get(a)?.addr) as Ipv4 | undefined;
        if (guestIp === undefined) continue;
        forwards.push({ proto: f.proto, hostPort: f.hostPort, guestIp, guestPort: f.guestPort });
      }
    }
    const ns = gatewayNamespace({ name: plan.gateway.name, segment: plan.segment, inside: plan.prefix, addresses: plan.gateway.addresses, uplink, forwards, file: `${file}#${plan.gateway.name}`, ...(plan.gateway.mac ? { mac: plan.gateway.mac } : {}) });
    if (!ns.ok) issues.push(...ns.issues);
    else namespaces.push(ns.value);
  }
  const hostOnly = [...plans.values()].filter((p) => p.hostAdapter !== undefined);
  if (hostOnly.length > 0) namespaces.push(hostNamespace(hostOnly));
  if (uplinks.given.length > 0) namespaces.push(outsideNamespace(model.outside));

  const names = new Set(vms.map((v) => v.name));
  for (const ns of namespaces.slice(vms.length)) {
    if (names.has(ns.name)) issues.push({ code: "name-clash", message: `VM ${ns.name}: the name is taken by a namespace the builder creates for VirtualBox`, at: { file, line: 1, column: 1 } });
  }
  if (issues.length > 0) return fail(issues);
  const segments: SegmentSpec[] = [...plans.keys()].map((name) => ({ name }));
  if (uplinks.given.length > 0) segments.push({ name: OUTSIDE_SEGMENT });
  return ok({ segments, namespaces, addresses });
}

/** The model as a whole world of its own, ready for sim/build.ts. */
export function vboxWorld(model: VboxModel, name = "virtualbox"): Result<WorldSpec> {
  const r = buildVboxNetworks(model);
  if (!r.ok) return fail(r.issues);
  return ok({ name, file: model.file ?? "vbox", seed: model.seed, segments: r.value.segments, namespaces: r.value.namespaces, probes: [] });
}

function planFor(model: VboxModel, a: ParsedAdapter, plans: ReadonlyMap<string, NetworkPlan>, issues: Issue[]): NetworkPlan {
  const at: Position = a.at;
  const t = a.attachment;
  switch (t.mode) {
    case "nat":
      return natEnginePlan(a.vm, a.adapter);
    case "natnetwork":
      return plans.get(natNetworkSegment(t.network)) ?? natNetworkPlan(t.network, model.natNetworks?.find((n) => n.name === t.network), issues, at);
    case "hostonly": {
      const name = t.network ?? "vboxnet0";
      return plans.get(hostOnlySegment(name)) ?? hostOnlyPlan(name, model.hostOnly?.find((n) => n.name === name), issues, at);
    }
    case "bridged":
      return plans.get(lanSegment(t.lan)) ?? lanPlan(t.lan, model.lans?.find((n) => n.name === t.lan), issues, at);
    case "internal":
      return internalPlan(t.network);
  }
}

/** The host: one NIC per host-only network in use, on its segment; it does not forward. */
function hostNamespace(plans: readonly NetworkPlan[]): NetnsSpec {
  const adapters = plans.map((p) => ({ ...p.hostAdapter!, segment: p.segment }));
  return machine(HOST_NS, {
    devices: [...adapters.map((h) => ({ kind: "nic" as const, name: h.dev, segment: h.segment, mac: h.mac, up: true }))],
    addresses: adapters.map((h) => ({ dev: h.dev, addr: h.addr, len: h.len, broadcast: broadcastOf(h.addr, h.len), scope: "universe" as const })),
  });
}
