/**
 * How flanneld picks the external interface and its addresses (main.go + pkg/ipmatch/match.go
 * LookupExtIface, IPv4 stack, flannel v0.26.0), with the log lines it prints on the way:
 *
 *  1. the kube subnet manager reads the node's annotations; `node-public-ip` replaces `--public-ip`;
 *  2. with no `--iface`, `--iface-regex` or `--iface-can-reach`: the interface holding the public
 *     IP if one is set, else the device of the first default route in table main;
 *  3. otherwise each `--iface` (a name, or an address held by some interface) in order, then each
 *     `--iface-regex` (first against every interface's eligible addresses, then against the
 *     names, interfaces in ifindex order, unanchored), then `--iface-can-reach` (`ip route get`);
 *  4. nothing found: one E line and exit 1, which the DaemonSet shows as CrashLoopBackOff.
 *
 * The result keeps flannel's two addresses apart: `ifaceAddr` is the VXLAN device's `local`,
 * `extAddr` (the public IP) is what the lease advertises to other nodes. Up/down state is not
 * consulted: net.Interfaces lists down interfaces too, and flanneld takes them.
 * Not modelled: IPv6 and dual stack (`--public-ipv6` is ignored), Windows.
 */
import { Validator } from "ip-num";
import type { Ipv4 } from "../../core/ip.js";
import { formatIpv4, parseIpv4 } from "../../core/ip.js";
import type { AnnotationKeys } from "./annotations.js";
import type { FlannelOpts } from "./flags.js";
import { compileGoRegexp } from "./go-regexp.js";
import type { HostState } from "./host.js";
import { deviceMtu, eligibleIpv4Addrs, firstDefaultRoute, routeGet } from "./host.js";
import type { LogEntry } from "./klog.js";
import { goMapLiteral, goSlice } from "./klog.js";
import { SITES } from "./sites.js";

export interface ExternalInterface {
  readonly iface: string;
  /** The interface address: the VXLAN device's `local`. */
  readonly ifaceAddr: Ipv4;
  /** The public IP flanneld puts in its lease (before any public-ip-overwrite annotation). */
  readonly extAddr: Ipv4;
  readonly mtu: number;
}

export type IfaceSelection =
  | { readonly kind: "selected"; readonly ext: ExternalInterface; readonly log: readonly LogEntry[] }
  | { readonly kind: "exited"; readonly exitCode: 1; readonly reason: string; readonly log: readonly LogEntry[] };

export interface IfaceInput {
  readonly nodeName: string;
  readonly host: HostState;
  readonly opts: FlannelOpts;
  readonly annotations: Readonly<Record<string, string>>;
  readonly keys: AnnotationKeys;
}

type Lookup = { readonly ok: true; readonly ext: ExternalInterface } | { readonly ok: false; readonly error: string };

const info = (site: LogEntry["site"], message: string): LogEntry => ({ severity: "I", site, message });

/** net.ParseIP for the IPv4 stack: an IPv4 literal, an IPv6 literal (never held here), or not an IP. */
function parseIp(text: string): Ipv4 | "v6" | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return v4;
  return text.includes(":") && Validator.isValidIPv6String(text)[0] ? "v6" : undefined;
}

/** LookupExtIface(ifname, ifregex, ifcanreach, ipv4Stack, {PublicIP}). */
function lookupExtIface(host: HostState, ifname: string, ifregex: string, ifcanreach: string, publicIP: string, log: LogEntry[]): Lookup {
  const devices = host.devices;
  let iface: string | undefined;
  let ifaceAddr: Ipv4 | undefined;
  let regex: RegExp | undefined;
  if (ifregex !== "") {
    const c = compileGoRegexp(ifregex);
    if (!c.ok) return { ok: false, error: `could not compile the IP address regex '${ifregex}': ${c.error}` };
    regex = c.re;
  }
  if (ifname.length > 0) {
    const ip = parseIp(ifname);
    if (ip !== undefined) {
      log.push(info(SITES.searchingByIp, `Searching for interface using ${ip === "v6" ? ifname : formatIpv4(ip)}`));
      // GetInterfaceByIP walks the interfaces in ifindex order and compares every IPv4 address, loopback included.
      const holder = ip === "v6" ? undefined : devices.find((d) => host.addresses.some((a) => a.dev === d.name && a.addr === ip));
      if (!holder || ip === "v6") return { ok: false, error: `error looking up interface ${ifname}: No interface with given IP found` };
      iface = holder.name;
      ifaceAddr = ip;
    } else {
      if (!devices.some((d) => d.name === ifname)) return { ok: false, error: `error looking up interface ${ifname}: route ip+net: no such network interface` };
      iface = ifname;
    }
  } else if (regex) {
    for (const d of devices) {
      const hit = eligibleIpv4Addrs(host, d.name).find((a) => regex.test(formatIpv4(a)));
      if (hit !== undefined) {
        iface = d.name;
        ifaceAddr = hit;
        break;
      }
    }
    iface ??= devices.find((d) => regex.test(d.name))?.name;
    if (iface === undefined) {
      const avail = devices.map((d) => `${d.name}:${goSlice(eligibleIpv4Addrs(host, d.name).map(formatIpv4))}`).join(", ");
      return { ok: false, error: `Could not match pattern ${ifregex} to any of the available network interfaces (${avail})` };
    }
  } else if (ifcanreach.length > 0) {
    log.push(info(SITES.ifCanReach, `Determining interface to use based on given ifcanreach: ${ifcanreach}`));
    const target = parseIpv4(ifcanreach);
    // net.ParseIP gives nil; RouteGet(nil) sends an empty RTA_DST, which the kernel refuses (derived from netlink's code, not run).
    if (target === undefined) return { ok: false, error: `failed to get ifcanreach based interface: couldn't lookup route to <nil>: invalid argument` };
    const r = routeGet(host, target);
    if (!r.ok) return { ok: false, error: `failed to get ifcanreach based interface: couldn't lookup route to ${ifcanreach}: ${r.error}` };
    iface = r.dev;
    ifaceAddr = r.src;
  } else {
    log.push(info(SITES.defaultInterface, "Determining IP address of default interface"));
    const def = firstDefaultRoute(host);
    if (!def) return { ok: false, error: "failed to get default interface: Unable to find default route" };
    if (def.dev === undefined) return { ok: false, error: "failed to get default interface: Found default route but could not determine interface" };
    iface = def.dev;
  }

  if (ifaceAddr === undefined) {
    const addrs = eligibleIpv4Addrs(host, iface);
    if (addrs.length === 0) return { ok: false, error: `failed to find IPv4 address for interface ${iface}` };
    ifaceAddr = addrs[0]!;
  }
  log.push(info(SITES.usingInterface, `Using interface with name ${iface} and address ${formatIpv4(ifaceAddr)}`));
  const dev = devices.find((d) => d.name === iface);
  const mtu = dev ? deviceMtu(host, dev) : 0;
  if (mtu === 0) return { ok: false, error: `failed to determine MTU for ${formatIpv4(ifaceAddr)} interface` };

  let extAddr: Ipv4 | undefined;
  if (publicIP.length > 0) {
    extAddr = parseIpv4(publicIP);
    if (extAddr === undefined) return { ok: false, error: `invalid public IP address: ${publicIP}` };
    log.push(info(SITES.usingExternalAddress, `Using ${formatIpv4(extAddr)} as external address`));
  } else {
    log.push(info(SITES.defaultingExternalAddress, `Defaulting external address to interface address (${formatIpv4(ifaceAddr)})`));
    extAddr = ifaceAddr;
  }
  return { ok: true, ext: { iface, ifaceAddr, extAddr, mtu } };
}

/** main.go from GetStoredPublicIP to the chosen interface (or the exit). */
export function selectExternalInterface(input: IfaceInput): IfaceSelection {
  const { host, opts, annotations, keys } = input;
  const log: LogEntry[] = [];
  // A node with no annotations has a nil map: flanneld then prints nothing here.
  if (Object.keys(annotations).length > 0) {
    log.push(info(SITES.storedPublicIpAnnotations, `List of node(${input.nodeName}) annotations: ${goMapLiteral(annotations)}`));
  }
  const publicIP = annotations[keys.nodePublicIp] || opts.publicIP;
  const exited = (site: LogEntry["site"], message: string): IfaceSelection => ({
    kind: "exited",
    exitCode: 1,
    reason: message,
    log: [...log, { severity: "E", site, message }],
  });

  if (opts.iface.length === 0 && opts.ifaceRegex.length === 0 && opts.ifaceCanReach.length === 0) {
    const r = lookupExtIface(host, publicIP || opts.publicIPv6, "", "", publicIP, log);
    if (!r.ok) return exited(SITES.noValidInterface, `Failed to find any valid interface to use: ${r.error}`);
    return { kind: "selected", ext: r.ext, log };
  }
  for (const name of opts.iface) {
    const r = lookupExtIface(host, name, "", "", publicIP, log);
    if (r.ok) return { kind: "selected", ext: r.ext, log };
    log.push(info(SITES.ifaceNoMatch, `Could not find valid interface matching ${name}: ${r.error}`));
  }
  for (const re of opts.ifaceRegex) {
    const r = lookupExtIface(host, "", re, "", publicIP, log);
    if (r.ok) return { kind: "selected", ext: r.ext, log };
    log.push(info(SITES.ifaceRegexNoMatch, `Could not find valid interface matching ${re}: ${r.error}`));
  }
  if (opts.ifaceCanReach.length > 0) {
    const r = lookupExtIface(host, "", "", opts.ifaceCanReach, publicIP, log);
    if (r.ok) return { kind: "selected", ext: r.ext, log };
    log.push(info(SITES.ifaceCanReachNoMatch, `Could not find valid interface matching ifaceCanReach: ${opts.ifaceCanReach}: ${r.error}`));
  }
  return exited(SITES.noMatchingInterface, "Failed to find interface to use that matches the interfaces and/or regexes provided");
}
