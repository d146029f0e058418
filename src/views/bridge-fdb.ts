/**
 * `bridge fdb [show] [dev|brport D] [br B] [dynamic]` and `bridge fdb get MAC {br B | dev D
 * [master|self]}`, as iproute2 6.1 prints them (fdb_show(), fdb_get() and print_fdb() in
 * bridge/fdb.c) from the kernel's dump (rtnl_fdb_dump() in net/core/rtnetlink.c):
 *
 *   02:00:00:00:01:fe dev p1 master br0 permanent
 *   33:33:00:00:00:01 dev p1 self permanent
 *   01:00:5e:00:00:01 dev p1 self permanent
 *   02:fa:00:00:02:01 dev flannel.1 dst 10.0.2.15 self permanent
 *
 * The dump walks devices by ifindex; for a bridge port it first asks the bridge for the
 * port's entries (br_fdb_dump(), newest first — the FDB list is added to at its head), then the
 * device itself: a vxlan lists its own FDB (each remote of an entry on its own line), a bridge
 * lists its address lists plus its own-MAC entry (`dev br0 master br0 permanent`), and any
 * other Ethernet device its address lists (ndo_dflt_fdb_dump()). Loopback is not Ethernet and
 * shows nothing.
 *
 * The address lists are the multicast groups the kernel joins by itself, reproduced from our
 * state as a namespace with IPv6 disabled by sysctl (as test/kernel builds them) shows them:
 * 33:33:00:00:00:01 on every Ethernet device with MTU >= 1280 (ipv6_add_dev() still joins
 * ff02::1), 01:00:5e:00:00:6a and 33:33:00:00:00:6a on an up bridge (the multicast snoopers'
 * groups, joined on open), 01:00:5e:00:00:01 on every up device (ip_mc_up()). Left out: the
 * solicited-node groups (33:33:ff:…) a host with IPv6 enabled would add, per-vlan entries
 * (the test kernel has no vlan filtering), and the distinction between learned entries and
 * ones added without `permanent` (the simulator stores both as not permanent; iproute2 6.1 adds
 * the latter as permanent).
 */
import { formatIpv4 } from "../core/ip.js";
import type { Mac } from "../core/ip.js";
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import { Args, ViewExit, duparg2, matches, notSimulated } from "./common.js";

interface FdbLine {
  readonly mac: string;
  /** ndm_ifindex: the device the entry is reported on. */
  readonly dev: Device;
  readonly dst?: string;
  readonly self: boolean;
  /** NDA_MASTER: the bridge, for bridge FDB entries. */
  readonly master?: Device;
  readonly permanent: boolean;
}

/** The device's multicast address list, in the order the groups were joined. */
export function mcList(dev: Device): string[] {
  const out: string[] = [];
  if (dev.mtu >= 1280) out.push("33:33:00:00:00:01");
  if (dev.kind === "bridge" && dev.up) {
    out.push("01:00:5e:00:00:6a");
    if (dev.mtu >= 1280) out.push("33:33:00:00:00:6a");
  }
  if (dev.up) out.push("01:00:5e:00:00:01");
  return out;
}

/** br_fdb_dump() entries of `br` reported on `port` (the bridge itself: entries of no port), newest first. */
function bridgeEntries(br: Device, port: Device): FdbLine[] {
  const out: FdbLine[] = [];
  for (const [mac, e] of br.fdb) {
    if (e.port !== port) continue;
    out.unshift({ mac, dev: port, self: false, master: br, permanent: e.local || e.permanent });
  }
  return out;
}

/** The device's own ndo_fdb_dump (or the default one). */
function ownEntries(dev: Device): FdbLine[] {
  if (dev.kind === "loopback") return [];
  if (dev.kind === "vxlan") {
    const out: FdbLine[] = [];
    for (const [mac, dsts] of dev.vxlan?.fdb ?? []) {
      out.unshift(...dsts.map((d) => ({ mac, dev, dst: formatIpv4(d), self: true, permanent: true })));
    }
    return out;
  }
  const lists = mcList(dev).map((mac): FdbLine => ({ mac, dev, self: true, permanent: true }));
  return dev.kind === "bridge" ? [...lists, ...bridgeEntries(dev, dev)] : lists;
}

export function fdbLines(ns: Netns, filterDev: Device | undefined, br: Device | undefined): FdbLine[] {
  const out: FdbLine[] = [];
  for (const dev of ns.devices.values()) {
    if (filterDev && dev !== filterDev) continue;
    if (br && dev !== br && dev.master !== br) continue;
    if (dev.master) out.push(...bridgeEntries(dev.master, dev));
    out.push(...ownEntries(dev));
  }
  return out;
}

function formatLine(l: FdbLine, showDev: boolean): string {
  const p = [l.mac];
  if (showDev) p.push("dev", l.dev.name);
  if (l.dst !== undefined) p.push("dst", l.dst);
  if (l.self) p.push("self");
  if (l.master) p.push("master", l.master.name);
  // state_n2a(): NUD_PERMANENT → "permanent"; a learned (reachable) entry → "".
  return `${p.join(" ")} ${l.permanent ? "permanent" : ""}\n`;
}

function fdbShow(ns: Netns, args: Args): string {
  let devName: string | undefined;
  let brName: string | undefined;
  let dynamic = false;
  while (!args.done) {
    const a = args.take();
    if (a === "brport" || a === "dev") devName = args.take();
    else if (a === "br") brName = args.take();
    else if (a === "dynamic") dynamic = true;
    else if (a === "vlan" || a === "state") throw notSimulated("bridge fdb", `show ${a}`);
    else if (matches(a, "help")) throw notSimulated("bridge fdb", "help");
  }
  let br: Device | undefined;
  if (brName !== undefined) {
    br = ns.device(brName);
    if (!br) throw new ViewExit(255, `Cannot find bridge device "${brName}"\n`);
  }
  let dev: Device | undefined;
  if (devName !== undefined) {
    dev = ns.device(devName);
    if (!dev) throw new ViewExit(255, `Cannot find device "${devName}"\n`);
  }
  return fdbLines(ns, dev, br)
    .filter((l) => !dynamic || !l.permanent)
    .map((l) => formatLine(l, dev === undefined))
    .join("");
}

/** sscanf("%hhx:…") of six parts. */
function parseMacLoose(text: string): Mac | undefined {
  const parts = text.split(":");
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return parts.map((p) => p.toLowerCase().padStart(2, "0")).join(":") as Mac;
}

function fdbGet(ns: Netns, args: Args): string {
  let devName: string | undefined;
  let brName: string | undefined;
  let addr: string | undefined;
  let self = false;
  let master = false;
  while (!args.done) {
    const a = args.take();
    if (a === "brport" || a === "dev") devName = args.take();
    else if (a === "br") brName = args.take();
    else if (a === "vlan" || a === "vni") throw notSimulated("bridge fdb get", a);
    else if (a === "self") self = true;
    else if (matches(a, "master")) master = true;
    else {
      const w = a === "to" ? args.take() : a;
      if (matches(w, "help")) throw notSimulated("bridge fdb", "help");
      if (addr !== undefined) throw duparg2("to", w);
      addr = w;
    }
  }
  if ((devName === undefined && brName === undefined) || addr === undefined) {
    throw new ViewExit(255, "Device or master and address are required arguments.\n");
  }
  const mac = parseMacLoose(addr);
  if (!mac) throw new ViewExit(255, `Invalid mac address ${addr}\n`);
  const dev = devName !== undefined ? ns.device(devName) : undefined;
  if (devName !== undefined && !dev) throw new ViewExit(255, `Cannot find device "${devName}"\n`);
  const brDev = brName !== undefined ? ns.device(brName) : undefined;
  if (brName !== undefined && !brDev) throw new ViewExit(255, `Cannot find bridge device "${brName}"\n`);
  const nlError = (msg: string) => new ViewExit(254, `Error: ${msg}.\n`);

  // rtnl_fdb_get(): a device without `self` is asked through its bridge.
  let target: Device;
  if (dev && (!self || master)) {
    if (!dev.master) throw nlError("Device is not a bridge port");
    target = dev.master;
  } else if (dev) {
    target = dev;
  } else {
    target = brDev!;
  }
  if (target.kind === "vxlan") {
    const dsts = target.vxlan?.fdb.get(mac);
    if (!dsts || dsts.length === 0) throw nlError("Fdb entry not found");
    return formatLine({ mac, dev: target, dst: formatIpv4(dsts[0]!), self: true, permanent: true }, true);
  }
  if (target.kind !== "bridge") throw nlError("Fdb get operation not supported by device");
  const e = target.fdb.get(mac);
  if (!e) throw nlError("Fdb entry not found");
  return formatLine({ mac, dev: e.port, self: false, master: target, permanent: e.local || e.permanent }, true);
}

/** do_fdb(): the verbs in iproute2's order, so abbreviations resolve the same way. */
export function bridgeFdb(ns: Netns, argv: readonly string[]): string {
  const verb = argv[0];
  if (verb === undefined) return fdbShow(ns, new Args([]));
  for (const w of ["add", "append", "replace", "delete"]) {
    if (matches(verb, w)) throw notSimulated("bridge fdb", w);
  }
  if (matches(verb, "show") || matches(verb, "lst") || matches(verb, "list")) return fdbShow(ns, new Args(argv.slice(1)));
  if (matches(verb, "get")) return fdbGet(ns, new Args(argv.slice(1)));
  for (const w of ["flush", "help"]) {
    if (matches(verb, w)) throw notSimulated("bridge fdb", w);
  }
  throw new ViewExit(255, `Command "${verb}" is unknown, try "bridge fdb help".\n`);
}
