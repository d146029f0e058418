/**
 * `bridge link [show] [dev D]`, as iproute2 6.1 prints it (brlink_show() and print_linkinfo()
 * in bridge/link.c) from the kernel's AF_BRIDGE link dump (br_fill_ifinfo() in
 * net/bridge/br_netlink.c): one line per bridge port, in ifindex order —
 *
 *   2: p1@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2
 *
 * (with a trailing space). The name suffix follows br_fill_ifinfo()'s IFLA_LINK, which carries
 * no namespace id, so a veth's peer index is named from this namespace's devices (see
 * link-state.ts). Without STP a port is `forwarding` or `disabled`; the priority is the
 * default 32 and the cost comes from the link speed. Hairpin and the other port flags are only
 * printed with `-d`, which is not simulated.
 */
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import { Args, ViewExit, matches, notSimulated } from "./common.js";
import { bridgeLinkName, linkFlags, portCost, portForwarding } from "./link-state.js";

function portLine(dev: Device, br: Device): string {
  const name = bridgeLinkName(dev);
  const state = portForwarding(dev) ? "forwarding" : "disabled";
  return `${dev.ifindex}: ${name.text}: ${linkFlags(dev, name.mdown)} mtu ${dev.mtu} master ${br.name} state ${state} priority 32 cost ${portCost(dev)} \n`;
}

function linkShow(ns: Netns, args: Args): string {
  let devName: string | undefined;
  while (!args.done) {
    const a = args.take();
    if (matches(a, "dev")) devName = args.take();
  }
  const dev = devName !== undefined ? ns.device(devName) : undefined;
  if (devName !== undefined && !dev) throw new ViewExit(255, `Cannot find device "${devName}"\n`);
  let out = "";
  for (const d of ns.devices.values()) {
    if (dev && d !== dev) continue;
    if (d.master) out += portLine(d, d.master);
  }
  return out;
}

/** do_link(): the verbs in iproute2's order, so abbreviations resolve the same way. */
export function bridgeLink(ns: Netns, argv: readonly string[]): string {
  const verb = argv[0];
  if (verb === undefined) return linkShow(ns, new Args([]));
  if (matches(verb, "set") || matches(verb, "change")) throw notSimulated("bridge link", verb);
  if (matches(verb, "show") || matches(verb, "lst") || matches(verb, "list")) return linkShow(ns, new Args(argv.slice(1)));
  if (matches(verb, "help")) throw notSimulated("bridge link", "help");
  throw new ViewExit(255, `Command "${verb}" is unknown, try "bridge link help".\n`);
}
