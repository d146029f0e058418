/**
 * `ip link [show|list|lst] [[dev] NAME] [up] [master BR] [type KIND]` and `ip -br link`, as
 * iproute2 6.1 prints them (print_linkinfo() in ip/ipaddress.c):
 *
 *   3: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
 *       link/ether 02:00:00:00:00:fe brd ff:ff:ff:ff:ff:ff
 *   5: eth0@if2: <…> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
 *       link/ether 0a:58:0a:f4:01:02 brd ff:ff:ff:ff:ff:ff link-netns node1
 *
 * `ip addr` prints the same header without `mode DEFAULT`. The peer namespace is printed by
 * name (`link-netns NAME`), as `ip` does when the namespace is named — every simulated one is.
 * The derivation of flags, state and qdisc lives in link-state.ts. Not shown: `altname`,
 * `-d`/`-s` details, `promiscuity` and statistics.
 */
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import type { IpOptions } from "./ip-options.js";
import { Args, ViewExit, duparg2, invarg, matches, notSimulated, pad } from "./common.js";
import { linkFlags, linkLine, linkName, operstate, qdisc } from "./link-state.js";

/** The first line of a link record, without a newline. */
export function linkHeader(dev: Device, withMode: boolean): string {
  const name = linkName(dev);
  const master = dev.master ? `master ${dev.master.name} ` : "";
  const mode = withMode ? "mode DEFAULT " : "";
  return `${dev.ifindex}: ${name.text}: ${linkFlags(dev, name.mdown)} mtu ${dev.mtu} qdisc ${qdisc(dev)} ${master}state ${operstate(dev)} ${mode}group default qlen 1000`;
}

/** One full record: header, `link/…` line (unless hidden by `-4`), `link-netns`. */
export function linkRecord(dev: Device, withMode: boolean, showLinkLine: boolean, sl: string): string {
  const netns = linkName(dev).netns;
  let text = linkHeader(dev, withMode);
  if (showLinkLine) text += `${sl}    ${linkLine(dev)}`;
  if (netns !== undefined) text += ` link-netns ${netns}`;
  return text;
}

/** `ip -br link`: name@link, operstate, MAC, flags. */
export function briefLink(dev: Device): string {
  const name = linkName(dev);
  return `${pad(name.text, 16)}${pad(operstate(dev), 14)}${dev.mac} ${linkFlags(dev, name.mdown)} `;
}

/** The device selection `ip link show` and `ip addr show` share (ipaddr_list_flush_or_save). */
export interface LinkFilter {
  readonly dev?: Device;
  readonly up: boolean;
  readonly master?: Device;
  readonly kind?: string;
}

/** IFLA_INFO_KIND as the kernel reports it; a NIC and lo have none. */
function infoKind(dev: Device): string | undefined {
  return dev.kind === "veth" || dev.kind === "bridge" || dev.kind === "vxlan" ? dev.kind : undefined;
}

export function selectLinks(ns: Netns, f: LinkFilter): Device[] {
  return [...ns.devices.values()].filter(
    (d) =>
      (f.dev === undefined || d === f.dev) &&
      (!f.up || d.up) &&
      (f.master === undefined || d.master === f.master) &&
      (f.kind === undefined || infoKind(d) === f.kind),
  );
}

/** Arguments of `ip link show` / `ip addr show` that select devices. */
export function parseLinkFilter(ns: Netns, args: Args, tool: string): LinkFilter {
  let devName: string | undefined;
  let up = false;
  let master: Device | undefined;
  let kind: string | undefined;
  while (!args.done) {
    const a = args.take();
    if (a === "up") up = true;
    else if (a === "master") {
      const m = args.take();
      master = ns.device(m);
      if (!master) throw invarg("Device does not exist\n", m);
    } else if (a === "type") kind = args.take();
    else if (a === "to" || a === "scope" || a === "label" || a === "vrf" || a === "nomaster" || a === "group") {
      throw notSimulated(tool, `show ${a}`);
    } else {
      const name = a === "dev" ? args.take() : a;
      if (devName !== undefined) throw duparg2("dev", name);
      devName = name;
    }
  }
  let dev: Device | undefined;
  if (devName !== undefined) {
    dev = ns.device(devName);
    if (!dev) throw new ViewExit(1, `Device "${devName}" does not exist.\n`);
  }
  return { up, ...(dev ? { dev } : {}), ...(master ? { master } : {}), ...(kind !== undefined ? { kind } : {}) };
}

export function ipLinkShow(ns: Netns, args: Args, opts: IpOptions): string {
  const filter = parseLinkFilter(ns, args, "ip link");
  const devs = selectLinks(ns, filter);
  if (opts.brief) return devs.map((d) => `${briefLink(d)}\n`).join("");
  const sl = opts.oneline ? "\\" : "\n";
  return devs.map((d) => `${linkRecord(d, true, true, sl)}\n`).join("");
}

/** do_iplink(): the verbs in iproute2's order, so abbreviations resolve the same way. */
export function ipLink(ns: Netns, argv: readonly string[], opts: IpOptions): string {
  const verb = argv[0];
  if (verb === undefined) return ipLinkShow(ns, new Args([]), opts);
  for (const w of ["add", "change", "set", "replace", "delete"]) {
    if (matches(verb, w)) throw notSimulated("ip link", w);
  }
  if (matches(verb, "show") || matches(verb, "lst") || matches(verb, "list")) return ipLinkShow(ns, new Args(argv.slice(1)), opts);
  if (matches(verb, "help")) throw notSimulated("ip link", "help");
  throw new ViewExit(255, `Command "${verb}" is unknown, try "ip link help".\n`);
}
