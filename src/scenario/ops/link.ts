/**
 * Devices: create, bring up/down, enslave, set MTU/MAC, move between namespaces, hairpin.
 *
 * Owns the kernel-side rules of `ip link` (rtnl_newlink / do_setlink) and `bridge link set`, as
 * checked against a real kernel: names are unique per namespace ("File exists"), a veth creates
 * both ends at once, a bridge cannot be enslaved to a bridge nor lo to anything, a VNI is unique
 * per (dstport, underlay, local), taking a device down flushes the routes and neighbours that use
 * it, and moving a device to another namespace closes it and drops its addresses, routes,
 * neighbours, FDB entries and bridge membership (lo and bridges cannot move; moving a vxlan,
 * which the kernel allows, is not modelled).
 */
import type { Ipv4, Mac } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import { refuse, type Refusal } from "../issues.js";
import { mtuValue } from "../values.js";
import { findDev, findNs, isRefusal, needDev, nsOf, type DevDraft, type NsDraft, type WorldDraft } from "./world.js";

export interface VxlanParams {
  readonly vni: number;
  readonly local?: Ipv4;
  readonly dev?: string;
  readonly dstport: number;
  readonly learning: boolean;
}

/** What `ip link add` (or a structured device) asks for. */
export interface NewDevice {
  readonly name: string;
  readonly kind: "nic" | "veth" | "bridge" | "vxlan";
  readonly up: boolean;
  readonly at: Position;
  readonly mac?: Mac;
  readonly mtu?: number;
  readonly master?: string;
  readonly segment?: string;
  readonly vxlan?: VxlanParams;
  readonly peer?: { readonly netns: string; readonly name: string; readonly up: boolean; readonly mac?: Mac; readonly mtu?: number };
}

function exists(ns: NsDraft, name: string, field: string): Refusal | undefined {
  const d = findDev(ns, name);
  return d === undefined
    ? undefined
    : refuse("duplicate-device", `device "${name}" already exists in namespace ${ns.name} (a ${d.kind}): File exists`, field);
}

function checkVni(ns: NsDraft, v: VxlanParams): Refusal | undefined {
  const clash = ns.devices.find(
    (d) => d.kind === "vxlan" && d.vni === v.vni && d.dstport === v.dstport && d.dev === v.dev && d.local === v.local,
  );
  return clash === undefined
    ? undefined
    : refuse("vni-in-use", `A VXLAN device with the specified VNI already exists: ${clash.name} has VNI ${v.vni} on port ${v.dstport}`, "id");
}

export function addDevice(w: WorldDraft, nsName: string, d: NewDevice): Refusal | undefined {
  const ns = nsOf(w, nsName);
  const dup = exists(ns, d.name, "name");
  if (dup !== undefined) return dup;
  const base = { name: d.name, up: false, at: d.at, ...(d.mac !== undefined ? { mac: d.mac } : {}), ...(d.mtu !== undefined ? { mtu: d.mtu } : {}) };
  switch (d.kind) {
    case "nic": {
      const segment = d.segment ?? "";
      if (!w.segments.some((s) => s.name === segment)) {
        return refuse("unknown-segment", `unknown segment "${segment}"; expected one of the names under "segments": ${w.segments.map((s) => s.name).join(", ") || "(none declared)"}`, "segment", segment);
      }
      ns.devices.push({ ...base, kind: "nic", segment });
      break;
    }
    case "bridge":
      ns.devices.push({ ...base, kind: "bridge" });
      break;
    case "vxlan": {
      const v = d.vxlan ?? { vni: 0, dstport: 8472, learning: true };
      if (v.dev !== undefined) {
        const under = needDev(ns, v.dev, "dev");
        if (isRefusal(under)) return under;
      }
      const clash = checkVni(ns, v);
      if (clash !== undefined) return clash;
      ns.devices.push({
        ...base,
        kind: "vxlan",
        vni: v.vni,
        dstport: v.dstport,
        learning: v.learning,
        ...(v.local !== undefined ? { local: v.local } : {}),
        ...(v.dev !== undefined ? { dev: v.dev } : {}),
      });
      break;
    }
    case "veth": {
      const p = d.peer;
      if (p === undefined) return refuse("missing-argument", `a veth needs a peer`, "peer");
      const peerNs = findNs(w, p.netns);
      if (peerNs === undefined) return refuse("unknown-namespace", `unknown namespace "${p.netns}" for the veth peer; declare it under "namespaces" (it may be empty: ${p.netns}: {})`, "netns", p.netns);
      if (peerNs === ns && p.name === d.name) return refuse("duplicate-device", `a veth cannot be its own peer ("${d.name}")`, "peer");
      const peerDup = exists(peerNs, p.name, "peer");
      if (peerDup !== undefined) return peerDup;
      ns.devices.push({ ...base, kind: "veth", peer: { netns: p.netns, name: p.name } });
      peerNs.devices.push({
        kind: "veth",
        name: p.name,
        up: false,
        at: d.at,
        peer: { netns: nsName, name: d.name },
        ...(p.mac !== undefined ? { mac: p.mac } : {}),
        ...(p.mtu !== undefined ? { mtu: p.mtu } : {}),
      });
      if (p.up) {
        const r = setUp(w, p.netns, p.name, true);
        if (r !== undefined) return r;
      }
      break;
    }
  }
  if (d.master !== undefined) {
    const r = setMaster(w, nsName, d.name, d.master);
    if (r !== undefined) return r;
  }
  return d.up ? setUp(w, nsName, d.name, true) : undefined;
}

/** Removes everything in `ns` that names `dev` as its device (routes, neighbours, FDB entries). */
function flushUsers(ns: NsDraft, dev: string, alsoAddresses: boolean): void {
  ns.routes = ns.routes.filter((r) => r.dev !== dev);
  ns.neighbours = ns.neighbours.filter((n) => n.dev !== dev);
  if (alsoAddresses) {
    ns.addresses = ns.addresses.filter((a) => a.dev !== dev);
    ns.fdb = ns.fdb.filter((f) => f.dev !== dev);
  }
}

/**
 * `ip link set X up|down`. Down flushes the routes through X (fib_disable_ip) and its neighbour
 * entries, permanent ones included (neigh_ifdown), as the kernel does.
 */
export function setUp(w: WorldDraft, nsName: string, name: string, up: boolean): Refusal | undefined {
  const ns = nsOf(w, nsName);
  const dev = needDev(ns, name, "dev");
  if (isRefusal(dev)) return dev;
  if (!up && dev.up) flushUsers(ns, name, false);
  dev.up = up;
  return undefined;
}

function bridgeOf(ns: NsDraft, name: string) {
  const b = findDev(ns, name);
  return b !== undefined && b.kind === "bridge" ? b : undefined;
}

/** Leaving a bridge drops the port's hairpin flag and its `master` FDB entries (br_del_if). */
function release(ns: NsDraft, dev: DevDraft): void {
  if (dev.master === undefined) return;
  const br = bridgeOf(ns, dev.master);
  if (br?.hairpin !== undefined) {
    br.hairpin = br.hairpin.filter((p) => p !== dev.name);
    if (br.hairpin.length === 0) delete br.hairpin;
  }
  ns.fdb = ns.fdb.filter((f) => !(f.dev === dev.name && f.master));
  delete dev.master;
}

/** `ip link set X master BR` / `nomaster` (master undefined). */
export function setMaster(w: WorldDraft, nsName: string, name: string, master: string | undefined): Refusal | undefined {
  const ns = nsOf(w, nsName);
  const dev = needDev(ns, name, "dev");
  if (isRefusal(dev)) return dev;
  if (master === undefined) {
    release(ns, dev);
    return undefined;
  }
  const br = findDev(ns, master);
  if (br === undefined) return refuse("unknown-bridge", `master "${master}" does not exist in namespace ${nsName}; expected a bridge`, "master", master);
  if (br.kind !== "bridge") return refuse("not-a-bridge", `master "${master}" is a ${br.kind}, not a bridge (Operation not supported)`, "master");
  if (dev.kind === "bridge") return refuse("not-supported", `Can not enslave a bridge to a bridge ("${name}" into "${master}")`, "master");
  if (dev.kind === "loopback") return refuse("not-supported", `lo cannot be enslaved to a bridge (Invalid argument)`, "master");
  if (dev.master === master) return undefined;
  release(ns, dev);
  dev.master = master;
  return undefined;
}

export function setMtu(w: WorldDraft, nsName: string, name: string, mtu: number): Refusal | undefined {
  const ns = nsOf(w, nsName);
  const dev = needDev(ns, name, "dev");
  if (isRefusal(dev)) return dev;
  const v = mtuValue(mtu, dev.kind === "loopback");
  if (!v.ok) return refuse(v.code, v.message, "mtu");
  dev.mtu = mtu;
  return undefined;
}

export function setMac(w: WorldDraft, nsName: string, name: string, mac: Mac): Refusal | undefined {
  const ns = nsOf(w, nsName);
  const dev = needDev(ns, name, "dev");
  if (isRefusal(dev)) return dev;
  dev.mac = mac;
  return undefined;
}

/**
 * `ip link set X netns NS` (__dev_change_net_namespace): X is closed, leaves its bridge, loses its
 * addresses and everything routed through it, and its veth peer now points into NS. lo's netns
 * and a bridge's netns are immutable (NETIF_F_NETNS_LOCAL); a vxlan stays tied to its underlay
 * in the old namespace, which is not modelled, so we refuse that too.
 */
export function moveToNetns(w: WorldDraft, nsName: string, name: string, target: string): Refusal | undefined {
  const ns = nsOf(w, nsName);
  const dev = needDev(ns, name, "dev");
  if (isRefusal(dev)) return dev;
  const to = findNs(w, target);
  if (to === undefined) return refuse("unknown-namespace", `unknown namespace "${target}"; declare it under "namespaces"`, "netns", target);
  if (to === ns) return undefined;
  if (dev.kind === "loopback" || dev.kind === "bridge") {
    return refuse("not-supported", `The interface netns is immutable: a ${dev.kind} cannot be moved to another namespace`, "netns");
  }
  if (dev.kind === "vxlan") return refuse("not-supported", `moving a vxlan device to another namespace is not modelled; create it there`, "netns");
  const user = ns.devices.find((d) => d.kind === "vxlan" && d.dev === name);
  if (user !== undefined) return refuse("not-supported", `"${name}" is the underlay of vxlan "${user.name}"; moving it is not modelled`, "netns");
  const dup = exists(to, name, "netns");
  if (dup !== undefined) return dup;
  release(ns, dev);
  flushUsers(ns, name, true);
  ns.devices = ns.devices.filter((d) => d.name !== name);
  dev.up = false;
  to.devices.push(dev);
  if (dev.kind === "veth") {
    const peerNs = findNs(w, dev.peer.netns);
    const peer = peerNs === undefined ? undefined : findDev(peerNs, dev.peer.name);
    if (peer !== undefined && peer.kind === "veth") peer.peer.netns = target;
  }
  return undefined;
}

/** `bridge link set dev PORT hairpin on|off`: only a bridge port has the flag (else EOPNOTSUPP). */
export function setHairpin(w: WorldDraft, nsName: string, port: string, on: boolean, bridge?: string): Refusal | undefined {
  const ns = nsOf(w, nsName);
  const dev = needDev(ns, port, "dev");
  if (isRefusal(dev)) return dev;
  if (dev.master === undefined || (bridge !== undefined && dev.master !== bridge)) {
    const where = bridge === undefined ? "a bridge" : `bridge "${bridge}"`;
    return refuse("not-a-bridge-port", `"${port}" is not a port of ${where}; hairpin is a bridge port flag (Operation not supported)`, "dev");
  }
  const br = bridgeOf(ns, dev.master);
  if (br === undefined) return refuse("unknown-bridge", `bridge "${dev.master}" not found`, "dev", dev.master);
  const list = (br.hairpin ?? []).filter((p) => p !== port);
  if (on) list.push(port);
  if (list.length > 0) br.hairpin = list;
  else delete br.hairpin;
  return undefined;
}
