/**
 * Builds a `WorldSpec` out of real network namespaces, so the kernel can answer the same
 * question the simulator is asked.
 *
 * Owns: the translation of each spec item into the `ip` / `bridge` / `sysctl` command a person
 * would type, the order that makes those commands succeed, the listeners, and the teardown.
 *
 *   1. namespaces: one per spec namespace (`<prefix>-ns-<name>`), one hidden per segment
 *      (`<prefix>-seg-<name>`, holding the segment's switch `br0`); IPv6 off in all of them (no
 *      router/neighbour solicitations, no MLD), `lo` up; sysctls that name no device
 *   2. devices: bridges (STP off), veth pairs (once per pair, across namespaces), NICs (a veth
 *      whose inner end carries the NIC's name and whose outer end is a port of the segment's
 *      switch), then vxlan (its underlay device exists by now); MAC, MTU, master, hairpin, up
 *   3. sysctls that name a device (`net.ipv4.conf.eth0.rp_filter`)
 *   4. addresses, then routes (device routes and special types before routes via a gateway),
 *      neighbours, FDB entries; then each namespace's iptables ruleset, fed to the real
 *      `iptables-restore` (its stderr is the error when the kernel refuses it)
 *   5. listeners, waited for until bound
 *
 * Every command runs with an argument vector (no host shell) and names devices with `name` /
 * `dev`, so a device called `a` or `br` is never read as an abbreviated keyword. If any step
 * fails, whatever was built is torn down before the error is rethrown.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { formatIpv4 } from "../../src/core/ip.js";
import type { DeviceSpec, NetnsSpec, RouteSpec, Scope, VethSpec, WorldSpec } from "../../src/netns/spec.js";
import { TABLE_LOCAL, TABLE_MAIN } from "../../src/netns/spec.js";
import { claimPrefix, deletePrefixNamespaces, nsName, releasePrefix, segmentNsName } from "./names.js";
import { cleanEnv, mustRun, run, type RunResult } from "./run.js";

export const LISTENER_SCRIPT = fileURLToPath(new URL("./listener.mjs", import.meta.url));

/** The name of the switch inside each segment's hidden namespace. */
const SEGMENT_SWITCH = "br0";

export interface RealWorld {
  readonly spec: WorldSpec;
  readonly prefix: string;
  /** Spec namespace name → real namespace name. */
  readonly namespaces: ReadonlyMap<string, string>;
  /** Every setup command, in order (shown when a test fails). */
  readonly setupLog: readonly string[];
  /** Runs `ip netns exec <real ns> sh -c <commandLine>` — the command string the simulator gets. */
  exec(netns: string, commandLine: string, timeoutMs: number): Promise<RunResult>;
  /** Ends the listeners and deletes every namespace of this world. Safe to call twice. */
  teardown(): Promise<void>;
}

function scopeWord(s: Scope): string {
  return s === "universe" ? "global" : s;
}

function tableWord(t: number): string | undefined {
  if (t === TABLE_MAIN) return undefined;
  if (t === TABLE_LOCAL) return "local";
  return String(t);
}

/** Keys like `net.ipv4.conf.eth0.rp_filter` need the device to exist; `all`/`default` do not. */
function namesDevice(key: string): boolean {
  const m = /^net\.ipv[46]\.(conf|neigh)\.([^.]+)\./.exec(key);
  return m !== null && m[2] !== "all" && m[2] !== "default";
}

export function routeArgs(r: RouteSpec): string[] {
  const a: string[] = [];
  if (r.type !== "unicast") a.push(r.type);
  a.push(r.len === 0 ? "default" : `${formatIpv4(r.dst)}/${r.len}`);
  if (r.via !== undefined) a.push("via", formatIpv4(r.via));
  if (r.dev !== undefined) a.push("dev", r.dev);
  if (r.src !== undefined) a.push("src", formatIpv4(r.src));
  a.push("metric", String(r.metric));
  const table = tableWord(r.table);
  if (table !== undefined) a.push("table", table);
  a.push("scope", scopeWord(r.scope));
  a.push("proto", r.proto);
  if (r.onlink) a.push("onlink");
  return a;
}

interface Listener {
  readonly child: ChildProcess;
  readonly what: string;
}

function startListener(ns: string, kind: string, port: number, addr: string, body: string): Promise<Listener> {
  const what = `${kind} ${addr}:${port} in ${ns}`;
  const child = spawn("ip", ["netns", "exec", ns, "node", LISTENER_SCRIPT, kind, String(port), addr, body], {
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`listener ${what} did not start within 10 s\n${err}`));
    }, 10_000);
    child.stdout?.on("data", (b: Buffer) => {
      out += b.toString("utf8");
      if (out.includes("listening ")) {
        clearTimeout(timer);
        resolve({ child, what });
      }
    });
    child.stderr?.on("data", (b: Buffer) => {
      err += b.toString("utf8");
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`listener ${what} exited with ${code}: ${err.trim()}`));
    });
  });
}

async function stopListener(l: Listener): Promise<void> {
  if (l.child.exitCode !== null || l.child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      l.child.kill("SIGKILL");
    }, 2_000);
    l.child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    l.child.kill("SIGTERM");
  });
}

/** One veth pair, named from both ends; the end listed second may be absent from the spec. */
interface VethPair {
  readonly a: { readonly ns: string; readonly dev: VethSpec };
  readonly b: { readonly ns: string; readonly name: string; readonly dev?: VethSpec };
}

function vethPairs(world: WorldSpec): VethPair[] {
  const byKey = new Map<string, VethPair>();
  const find = (ns: string, name: string): VethSpec | undefined => {
    const n = world.namespaces.find((x) => x.name === ns);
    const d = n?.devices.find((x) => x.name === name);
    return d?.kind === "veth" ? d : undefined;
  };
  for (const n of world.namespaces) {
    for (const d of n.devices) {
      if (d.kind !== "veth") continue;
      const here = `${n.name}/${d.name}`;
      const there = `${d.peer.netns}/${d.peer.name}`;
      const key = here < there ? `${here} ${there}` : `${there} ${here}`;
      if (byKey.has(key)) continue;
      const peer = find(d.peer.netns, d.peer.name);
      byKey.set(key, { a: { ns: n.name, dev: d }, b: { ns: d.peer.netns, name: d.peer.name, ...(peer ? { dev: peer } : {}) } });
    }
  }
  return [...byKey.values()];
}

export async function materialize(world: WorldSpec): Promise<RealWorld> {
  const prefix = claimPrefix();
  const namespaces = new Map<string, string>();
  for (const n of world.namespaces) namespaces.set(n.name, nsName(prefix, n.name));
  const segments = new Map<string, string>();
  for (const s of world.segments) segments.set(s.name, segmentNsName(prefix, s.name));
  const setupLog: string[] = [];
  const listeners: Listener[] = [];
  let tornDown = false;

  const real = (ns: string): string => {
    const r = namespaces.get(ns);
    if (r === undefined) throw new Error(`scenario ${world.name}: unknown namespace ${ns}`);
    return r;
  };
  const cmd = async (...argv: string[]): Promise<string> => {
    setupLog.push(argv.join(" "));
    return mustRun(argv);
  };
  const ipn = (ns: string, ...args: string[]): Promise<string> => cmd("ip", "-n", real(ns), ...args);
  const bridgeN = (ns: string, ...args: string[]): Promise<string> => cmd("bridge", "-n", real(ns), ...args);
  const sysctl = (realNs: string, key: string, value: string): Promise<string> =>
    cmd("ip", "netns", "exec", realNs, "sysctl", "-q", "-w", `${key}=${value}`);

  const teardown = async (): Promise<void> => {
    if (tornDown) return;
    tornDown = true;
    await Promise.all(listeners.map(stopListener));
    await deletePrefixNamespaces(prefix);
    releasePrefix(prefix);
  };

  try {
    // 1. namespaces
    for (const realNs of [...namespaces.values(), ...segments.values()]) {
      await cmd("ip", "netns", "add", realNs);
      await cmd("ip", "netns", "exec", realNs, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
      await cmd("ip", "-n", realNs, "link", "set", "lo", "up");
    }
    for (const segNs of segments.values()) {
      await cmd("ip", "-n", segNs, "link", "add", "name", SEGMENT_SWITCH, "type", "bridge", "stp_state", "0");
      await cmd("ip", "-n", segNs, "link", "set", SEGMENT_SWITCH, "up");
    }
    for (const n of world.namespaces) {
      for (const [k, v] of Object.entries(n.sysctls)) if (!namesDevice(k)) await sysctl(real(n.name), k, v);
    }

    // 2. devices: bridges, veth pairs, NICs, then vxlan (whose underlay must exist)
    for (const n of world.namespaces) {
      for (const d of n.devices) if (d.kind === "bridge") await ipn(n.name, "link", "add", "name", d.name, "type", "bridge", "stp_state", "0");
    }
    for (const p of vethPairs(world)) {
      const peerArgs = p.b.ns === p.a.ns ? [] : ["netns", real(p.b.ns)];
      await ipn(p.a.ns, "link", "add", "name", p.a.dev.name, "type", "veth", "peer", "name", p.b.name, ...peerArgs);
      if (!p.b.dev) {
        // The other end is not described: plug it in and bring it up, like the end that is.
        await ipn(p.b.ns, "link", "set", "dev", p.b.name, "up");
      }
    }
    const portCount = new Map<string, number>();
    for (const n of world.namespaces) {
      for (const d of n.devices) {
        if (d.kind !== "nic") continue;
        const segNs = segments.get(d.segment);
        if (segNs === undefined) throw new Error(`scenario ${world.name}: ${n.name}/${d.name} on unknown segment ${d.segment}`);
        const k = (portCount.get(d.segment) ?? 0) + 1;
        portCount.set(d.segment, k);
        const outer = `p${k}`;
        await ipn(n.name, "link", "add", "name", d.name, "type", "veth", "peer", "name", outer, "netns", segNs);
        // The switch port takes any frame size: an oversize frame is the receiving NIC's problem.
        await cmd("ip", "-n", segNs, "link", "set", "dev", outer, "mtu", "65535");
        await cmd("ip", "-n", segNs, "link", "set", "dev", outer, "master", SEGMENT_SWITCH);
        await cmd("ip", "-n", segNs, "link", "set", "dev", outer, "up");
      }
    }
    for (const n of world.namespaces) {
      for (const d of n.devices) {
        if (d.kind !== "vxlan") continue;
        const a = ["link", "add", "name", d.name, "type", "vxlan", "id", String(d.vni)];
        if (d.local !== undefined) a.push("local", formatIpv4(d.local));
        if (d.dev !== undefined) a.push("dev", d.dev);
        a.push("dstport", String(d.dstport));
        if (!d.learning) a.push("nolearning");
        await ipn(n.name, ...a);
      }
    }
    const attrs = async (ns: string, d: DeviceSpec): Promise<void> => {
      if (d.mac !== undefined) await ipn(ns, "link", "set", "dev", d.name, "address", d.mac);
      if (d.mtu !== undefined) await ipn(ns, "link", "set", "dev", d.name, "mtu", String(d.mtu));
    };
    for (const n of world.namespaces) for (const d of n.devices) await attrs(n.name, d);
    for (const n of world.namespaces) {
      for (const d of n.devices) if (d.master !== undefined) await ipn(n.name, "link", "set", "dev", d.name, "master", d.master);
    }
    for (const n of world.namespaces) {
      for (const d of n.devices) {
        if (d.kind !== "bridge") continue;
        for (const port of d.hairpin ?? []) await bridgeN(n.name, "link", "set", "dev", port, "hairpin", "on");
      }
    }
    for (const n of world.namespaces) {
      for (const d of n.devices) await ipn(n.name, "link", "set", "dev", d.name, d.up ? "up" : "down");
    }

    // 3. sysctls that name a device
    for (const n of world.namespaces) {
      for (const [k, v] of Object.entries(n.sysctls)) if (namesDevice(k)) await sysctl(real(n.name), k, v);
    }

    // 4. addresses, routes, neighbours, FDB
    for (const n of world.namespaces) await configureL3(n, ipn, bridgeN);

    // 4b. iptables rulesets, loaded as the real tool loads them
    for (const n of world.namespaces) {
      if (n.iptables === undefined) continue;
      const argv = ["ip", "netns", "exec", real(n.name), "iptables-restore"];
      setupLog.push(`${argv.join(" ")} < ${n.iptables.file}`);
      const r = await run(argv, 30_000, n.iptables.text);
      if (r.exitCode !== 0 || r.timedOut) throw new Error(`iptables-restore of ${n.iptables.file} in ${n.name} failed (exit ${r.exitCode}${r.timedOut ? ", timed out" : ""}):\n${r.stderr.trim()}`);
    }

    // 5. listeners
    for (const n of world.namespaces) {
      for (const l of n.listeners) {
        const addr = l.addr === undefined ? "0.0.0.0" : formatIpv4(l.addr);
        setupLog.push(`ip netns exec ${real(n.name)} node listener.mjs ${l.kind} ${l.port} ${addr} ${JSON.stringify(l.body)}`);
        listeners.push(await startListener(real(n.name), l.kind, l.port, addr, l.body));
      }
    }
  } catch (e) {
    await teardown();
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`materializing scenario "${world.name}" failed: ${msg}\nsetup so far:\n  ${setupLog.join("\n  ")}`);
  }

  return {
    spec: world,
    prefix,
    namespaces,
    setupLog,
    exec: (netns, commandLine, timeoutMs) => run(["ip", "netns", "exec", real(netns), "sh", "-c", commandLine], timeoutMs),
    teardown,
  };
}

async function configureL3(
  n: NetnsSpec,
  ipn: (ns: string, ...args: string[]) => Promise<string>,
  bridgeN: (ns: string, ...args: string[]) => Promise<string>,
): Promise<void> {
  for (const a of n.addresses) {
    // Every namespace has lo 127.0.0.1/8 already.
    if (a.dev === "lo" && formatIpv4(a.addr) === "127.0.0.1" && a.len === 8) continue;
    const args = ["addr", "add", `${formatIpv4(a.addr)}/${a.len}`];
    if (a.broadcast !== undefined) args.push("brd", formatIpv4(a.broadcast));
    args.push("scope", scopeWord(a.scope), "dev", a.dev);
    await ipn(n.name, ...args);
  }
  // A gateway must be reachable through a route without one when the route via it is added.
  const direct = n.routes.filter((r) => r.via === undefined);
  const viaGateway = n.routes.filter((r) => r.via !== undefined);
  for (const r of [...direct, ...viaGateway]) await ipn(n.name, "route", "add", ...routeArgs(r));
  for (const nb of n.neighbours) {
    await ipn(n.name, "neigh", "add", formatIpv4(nb.ip), "lladdr", nb.mac, "dev", nb.dev, "nud", nb.state);
  }
  for (const f of n.fdb) {
    const isVxlan = n.devices.some((d) => d.name === f.dev && d.kind === "vxlan");
    const args = ["fdb", isVxlan ? "append" : "add", f.mac, "dev", f.dev];
    if (f.dst !== undefined) args.push("dst", formatIpv4(f.dst));
    if (f.self) args.push("self");
    if (f.master) args.push("master");
    if (f.permanent) args.push("permanent");
    await bridgeN(n.name, ...args);
  }
}
