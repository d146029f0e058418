/**
 * Turns a WorldSpec into a running World: namespaces with devices, addresses, the kernel's own
 * routes plus the user's, neighbours, FDB entries and listening sockets. What the kernel refuses
 * at set-up time is checked once, by the scenario loader; here only the spec's own contract is
 * checked, and what the kernel picks by itself is filled in (MACs from the seed, default MTUs).
 */
import type { Ipv4, Mac } from "../core/ip.js";
import { ZERO_MAC, formatIpv4, formatRouteDst } from "../core/ip.js";
import type { Issue, Position, Result } from "../core/issue.js";
import { fail, ok } from "../core/issue.js";
import { makeRng, randomMac } from "../core/rng.js";
import type { Address } from "../netns/device.js";
import { Device } from "../netns/device.js";
import { kernelRoutes } from "../netns/kernel-routes.js";
import { Netns } from "../netns/netns.js";
import type { DeviceSpec, NetnsSpec, WorldSpec } from "../netns/spec.js";
import { Sysctls } from "../netns/sysctl.js";
import { Fib } from "../route/fib.js";
import type { Route } from "../route/route.js";
import { World } from "./world.js";
import { IptablesEngine } from "../netfilter/engine.js";

export function buildWorld(spec: WorldSpec, seed: string = spec.seed): Result<World> {
  const issues: Issue[] = [];
  const where = (at: Position | undefined): Position => at ?? { file: spec.file, line: 1, column: 1 };
  const rng = makeRng(seed);
  const world = new World(spec.name, rng);
  world.cluster = spec.cluster;

  for (const n of spec.namespaces) {
    const ns = new Netns(n.name, new Sysctls(n.sysctls));
    ns.world = world;
    world.namespaces.set(n.name, ns);
  }
  for (const s of spec.segments) world.segments.set(s.name, []);

  // Devices, in two passes: create, then wire (peers, masters, lower devices, segments).
  for (const n of spec.namespaces) {
    const ns = world.namespaces.get(n.name)!;
    let ifindex = 1;
    for (const d of n.devices) {
      const mac: Mac = d.mac ?? (d.kind === "loopback" ? ZERO_MAC : randomMac(rng.fork(`mac/${n.name}/${d.name}`)));
      const dev = new Device(ns, ifindex++, d.name, d.kind, mac, d.mtu ?? defaultMtu(d, n), d.up);
      ns.devices.set(d.name, dev);
      ns.byIndex.set(dev.ifindex, dev);
    }
  }
  for (const n of spec.namespaces) {
    const ns = world.namespaces.get(n.name)!;
    for (const d of n.devices) {
      const dev = ns.device(d.name)!;
      const bad = (code: string, message: string) => issues.push({ code, message, at: where(d.at) });
      if (d.kind === "veth") {
        const peer = world.namespaces.get(d.peer.netns)?.device(d.peer.name);
        if (!peer || peer.kind !== "veth") bad("unknown-peer", `veth ${d.name}: peer ${d.peer.netns}/${d.peer.name} does not exist`);
        else dev.peer = peer;
      }
      if (d.kind === "vxlan") {
        const lower = d.dev !== undefined ? ns.device(d.dev) : undefined;
        if (d.dev !== undefined && !lower) bad("unknown-device", `vxlan ${d.name}: dev ${d.dev} does not exist in ${n.name}`);
        dev.vxlan = { vni: d.vni, dstport: d.dstport, learning: d.learning, fdb: new Map(), ...(d.local !== undefined ? { local: d.local } : {}), ...(lower ? { lower } : {}) };
      }
      if (d.kind === "nic") {
        const seg = world.segments.get(d.segment);
        if (!seg) bad("unknown-segment", `nic ${d.name}: segment ${d.segment} is not declared`);
        else seg.push(dev);
        dev.segment = d.segment;
      }
      if (d.kind === "bridge") dev.fdb.set(dev.mac, { port: dev, local: true, permanent: true });
    }
    for (const d of n.devices) {
      if (d.master === undefined) continue;
      const dev = ns.device(d.name)!;
      const br = ns.device(d.master);
      if (!br || br.kind !== "bridge") {
        issues.push({ code: "not-a-bridge", message: `${d.name}: master ${d.master} is not a bridge in ${n.name}`, at: where(d.at) });
        continue;
      }
      dev.master = br;
      br.ports.push(dev);
      if (!br.fdb.has(dev.mac)) br.fdb.set(dev.mac, { port: dev, local: true, permanent: true });
    }
    for (const d of n.devices) {
      if (d.kind !== "bridge") continue;
      const br = ns.device(d.name)!;
      for (const p of d.hairpin ?? []) {
        const port = ns.device(p);
        if (port && port.master === br) port.hairpin = true;
        else issues.push({ code: "not-a-port", message: `bridge ${d.name}: hairpin port ${p} is not one of its ports`, at: where(d.at) });
      }
    }
  }

  for (const n of spec.namespaces) {
    const ns = world.namespaces.get(n.name)!;
    ns.addresses = n.addresses.flatMap((a): Address[] => {
      const dev = ns.device(a.dev);
      if (!dev) {
        issues.push({ code: "unknown-device", message: `address ${formatIpv4(a.addr)}/${a.len}: no device ${a.dev} in ${n.name}`, at: where(a.at) });
        return [];
      }
      return [{ dev, addr: a.addr, len: a.len, scope: a.scope, ...(a.broadcast !== undefined ? { broadcast: a.broadcast } : {}) }];
    });
    const routes = kernelRoutes(ns.addresses);
    for (const r of n.routes) {
      const checked = checkRoute(ns, r);
      if (typeof checked === "string") issues.push({ code: "route-refused", message: checked, at: where(r.at) });
      else routes.push(checked);
    }
    ns.fib = new Fib(routes);
    installNeighbours(ns, n, issues, where);
    installFdb(ns, n, issues, where);
    for (const l of n.listeners) ns.sockets.listen(l);
    ns.files = new Map(Object.entries(n.files ?? {}));
    if (n.iptables) ns.nf = new IptablesEngine(ns, n.iptables.ruleset);
  }
  return issues.length > 0 ? fail(issues) : ok(world);
}

/**
 * The MTU the kernel gives a device whose MTU the spec leaves out (checked on Linux 6.18):
 * - bridge: the smallest MTU among its ports, 1500 with none (br_mtu_auto_adjust; a bridge whose
 *   MTU was set by hand keeps it, which is the spec's explicit `mtu`);
 * - vxlan with `dev X`: X's MTU − 50, at least 68 (vxlan_config_apply); without `dev`: 1500;
 * - lo: 65536; everything else 1500.
 */
function defaultMtu(d: DeviceSpec, n: NetnsSpec, seen: ReadonlySet<string> = new Set()): number {
  const mtuOf = (name: string): number | undefined => {
    const x = n.devices.find((y) => y.name === name);
    if (x === undefined || seen.has(name)) return undefined;
    return x.mtu ?? defaultMtu(x, n, new Set([...seen, d.name]));
  };
  if (d.kind === "loopback") return 65536;
  if (d.kind === "vxlan") {
    const lower = d.dev !== undefined ? mtuOf(d.dev) : undefined;
    return lower === undefined ? 1500 : Math.max(lower - 50, 68);
  }
  if (d.kind === "bridge") {
    const ports = n.devices.filter((p) => p.master === d.name).map((p) => mtuOf(p.name) ?? 1500);
    return ports.length > 0 ? Math.min(...ports) : 1500;
  }
  return 1500;
}

/**
 * The spec's contract, not the kernel's checks: what `ip route add` refuses is refused by the
 * scenario loader (scenario/ops/route.ts), which also stores the nexthop device it resolved for a
 * gateway. Here a route must only name devices that exist, and a unicast route must have one.
 */
function checkRoute(ns: Netns, r: Route): Route | string {
  const what = `route ${r.type === "unicast" ? "" : r.type + " "}${formatRouteDst({ addr: r.dst, len: r.len })}`;
  if (r.dev !== undefined && !ns.device(r.dev)) return `${what}: no device ${r.dev} (Cannot find device "${r.dev}")`;
  if (r.type === "unicast" && r.dev === undefined) return `${what}: a unicast route needs its nexthop device (the loader resolves it from the gateway)`;
  return r;
}

function installNeighbours(ns: Netns, n: NetnsSpec, issues: Issue[], where: (at: Position | undefined) => Position): void {
  for (const e of n.neighbours) {
    const dev = ns.device(e.dev);
    if (!dev) {
      issues.push({ code: "unknown-device", message: `neighbour ${formatIpv4(e.ip)}: no device ${e.dev} in ${n.name}`, at: where(e.at) });
      continue;
    }
    ns.neigh.set(`${dev.ifindex}/${e.ip}`, { dev, ip: e.ip, mac: e.mac, state: e.state, probes: 0, queue: [] });
  }
}

function installFdb(ns: Netns, n: NetnsSpec, issues: Issue[], where: (at: Position | undefined) => Position): void {
  for (const f of n.fdb) {
    const dev = ns.device(f.dev);
    if (!dev) {
      issues.push({ code: "unknown-device", message: `fdb ${f.mac}: no device ${f.dev} in ${n.name}`, at: where(f.at) });
      continue;
    }
    if (dev.vxlan && f.self) {
      if (f.dst === undefined) continue;
      const list = dev.vxlan.fdb.get(f.mac) ?? [];
      if (!list.includes(f.dst)) list.push(f.dst as Ipv4);
      dev.vxlan.fdb.set(f.mac, list);
      continue;
    }
    const br = dev.kind === "bridge" ? dev : dev.master;
    if (!br) {
      issues.push({ code: "not-a-port", message: `fdb ${f.mac} dev ${f.dev}: ${f.dev} is neither a vxlan device nor a bridge port`, at: where(f.at) });
      continue;
    }
    br.fdb.set(f.mac, { port: dev, local: dev === br, permanent: f.permanent });
  }
}
