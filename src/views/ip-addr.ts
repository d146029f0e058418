/**
 * `ip addr [show|list|lst] [[dev] NAME] [up] [master BR] [type KIND]`, `ip -4 addr`,
 * `ip -br addr` and `ip -o addr`, as iproute2 6.1 prints them (ipaddr_list_flush_or_save()
 * and print_addrinfo() in ip/ipaddress.c):
 *
 *   2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
 *       link/ether 0a:58:0a:f4:01:02 brd ff:ff:ff:ff:ff:ff link-netns node1
 *       inet 10.244.1.2/24 brd 10.244.1.255 scope global eth0
 *          valid_lft forever preferred_lft forever
 *
 * Addresses come in the order of the device's ifa_list, which __inet_insert_ifa() in
 * net/ipv4/devinet.c keeps: a primary goes after the last primary of the same or a wider
 * scope number (so host-scope addresses lead, then link, then global), and an address inside
 * the subnet of one already there is a `secondary`, appended at the end. No IPv6 (the
 * simulated namespaces have it disabled), so `ip -6 addr` prints nothing.
 */
import { formatIpv4, inPrefix } from "../core/ip.js";
import type { Address, Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import { scopeRank } from "../route/route.js";
import type { IfAddr } from "../netns/ifa-list.js";
import { Args, ViewExit, matches, notSimulated, pad } from "./common.js";
import { linkRecord, parseLinkFilter, selectLinks } from "./ip-link.js";
import type { IpOptions } from "./ip-options.js";
import { linkName, operstate } from "./link-state.js";

function scopeName(a: Address): string {
  return a.scope === "universe" ? "global" : a.scope;
}

/** `    inet A/L [brd B] scope S [secondary] LABEL` + SL + the lifetime line. */
function inetLines(dev: Device, x: IfAddr, sl: string): string {
  const a = x.addr;
  const brd = a.broadcast !== undefined && a.broadcast !== 0 ? `brd ${formatIpv4(a.broadcast)} ` : "";
  const sec = x.secondary ? "secondary " : "";
  return `    inet ${formatIpv4(a.addr)}/${a.len} ${brd}scope ${scopeName(a)} ${sec}${dev.name}${sl}       valid_lft forever preferred_lft forever`;
}

export function ipAddrShow(ns: Netns, args: Args, opts: IpOptions): string {
  const filter = parseLinkFilter(ns, args, "ip address");
  const withAddrs = selectLinks(ns, filter).map((dev) => ({ dev, addrs: opts.family === 6 || opts.family === "link" ? [] : ns.ifaList(dev) }));
  // With a family chosen, a device without an address of that family is left out.
  const shown = opts.family === 4 || opts.family === 6 ? withAddrs.filter((d) => d.addrs.length > 0) : withAddrs;
  let out = "";
  for (const { dev, addrs } of shown) {
    if (opts.brief) {
      const name = linkName(dev);
      out += `${pad(name.text, 16)}${pad(operstate(dev), 14)}${addrs.map((x) => `${formatIpv4(x.addr.addr)}/${x.addr.len} `).join("")}\n`;
    } else if (opts.oneline) {
      for (const x of addrs) out += `${dev.ifindex}: ${dev.name}${inetLines(dev, x, "\\")}\n`;
    } else {
      out += `${linkRecord(dev, false, opts.family !== 4 && opts.family !== 6, "\n")}\n`;
      for (const x of addrs) out += `${inetLines(dev, x, "\n")}\n`;
    }
  }
  return out;
}

/** do_ipaddr(): the verbs in iproute2's order, so abbreviations resolve the same way. */
export function ipAddr(ns: Netns, argv: readonly string[], opts: IpOptions): string {
  const verb = argv[0];
  if (verb === undefined) return ipAddrShow(ns, new Args([]), opts);
  for (const w of ["add", "change", "chg", "replace", "delete"]) {
    if (matches(verb, w)) throw notSimulated("ip address", w);
  }
  if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst")) return ipAddrShow(ns, new Args(argv.slice(1)), opts);
  for (const w of ["flush", "save", "showdump", "restore", "help"]) {
    if (matches(verb, w)) throw notSimulated("ip address", w);
  }
  throw new ViewExit(255, `Command "${verb}" is unknown, try "ip address help".\n`);
}
