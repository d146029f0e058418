/**
 * `ip neigh [show|list] [dev D] [nud STATE|all] [[to] PREFIX]` and `ip -br neigh`, as
 * iproute2 6.1 prints them (do_show_or_flush() and print_neigh() in ip/ipneigh.c):
 *
 *   10.244.2.0 dev flannel.1 lladdr 02:fa:00:00:02:01 PERMANENT
 *   10.0.0.9 dev eth0 FAILED
 *
 * Every line ends in a space. Without `nud`, NOARP entries are hidden (the default filter is
 * every state but NUD_NOARP). Besides the simulator's table, each up bridge shows the entry
 * its IGMPv3 report for the snoopers' group 224.0.0.106 leaves behind (`224.0.0.22 dev br0
 * lladdr 01:00:5e:00:00:16 NOARP`, seen on the test kernel within a second of `up`). The kernel sends NDA_LLADDR only for NUD_VALID states, so
 * INCOMPLETE and FAILED entries have no `lladdr`. The kernel dumps its hash buckets, an order
 * no one can predict; entries here come in the order they were created.
 */
import { formatIpv4 } from "../core/ip.js";
import type { Ipv4, Mac } from "../core/ip.js";
import type { NeighEntry, NudState } from "../neigh/neigh.js";
import type { Netns } from "../netns/netns.js";
import type { ParsedPrefix } from "./common.js";
import { Args, ViewExit, getPrefix, invarg, matches, notSimulated, pad, prefixMatch } from "./common.js";
import type { IpOptions } from "./ip-options.js";

/** nud_state_a2n() names; `delay`, `probe` and `none` exist in the kernel but never here. */
const NUD_NAMES = ["permanent", "reachable", "noarp", "none", "stale", "incomplete", "delay", "probe", "failed"];

function hasLladdr(e: NeighEntry): boolean {
  return e.mac !== undefined && e.state !== "incomplete" && e.state !== "failed";
}

export function ipNeighShow(ns: Netns, args: Args, opts: IpOptions): string {
  let devName: string | undefined;
  let states: Set<string> | "all" | undefined;
  let pfx: ParsedPrefix | undefined;
  const family = opts.family === 4 ? "inet" : opts.family === 6 ? "inet6" : "any valid";
  while (!args.done) {
    const a = args.take();
    if (a === "dev") devName = args.take();
    else if (a === "nud") {
      const s = args.take();
      if (s === "all") states = "all";
      else if (NUD_NAMES.includes(s)) {
        if (states === undefined) states = new Set();
        if (states !== "all") states.add(s);
      } else throw invarg("nud state is bad", s);
    } else if (a === "master" || a === "vrf" || a === "unused" || a === "proxy" || matches(a, "protocol")) {
      throw notSimulated("ip neigh", `show ${a}`);
    } else {
      const w = a === "to" ? args.take() : a;
      if (matches(w, "help")) throw notSimulated("ip neigh", "help");
      pfx = getPrefix(w, family);
    }
  }
  const dev = devName !== undefined ? ns.device(devName) : undefined;
  if (devName !== undefined && !dev) throw new ViewExit(1, `Cannot find device "${devName}"\n`);
  if (opts.family === 6 || opts.family === "link") return "";
  const wanted = (s: NudState): boolean => (states === undefined ? s !== "noarp" : states === "all" || states.has(s));
  let out = "";
  const igmp = [...ns.devices.values()]
    .filter((d) => d.kind === "bridge" && d.up)
    .map((d): NeighEntry => ({ dev: d, ip: 0xe0000016 as Ipv4, mac: "01:00:5e:00:00:16" as Mac, state: "noarp", probes: 0, queue: [] }));
  for (const e of [...ns.neigh.values(), ...igmp]) {
    if (dev && e.dev !== dev) continue;
    if (!wanted(e.state)) continue;
    if (pfx && !prefixMatch(e.ip, pfx.addr, pfx.len)) continue;
    const mac = hasLladdr(e) ? e.mac! : undefined;
    if (opts.brief) {
      out += `${pad(formatIpv4(e.ip), 39)}${dev ? "" : pad(e.dev.name, 16)}${mac ?? ""}\n`;
      continue;
    }
    const parts = [formatIpv4(e.ip)];
    if (!dev) parts.push("dev", e.dev.name);
    if (mac !== undefined) parts.push("lladdr", mac);
    parts.push(e.state.toUpperCase());
    out += `${parts.join(" ")} \n`;
  }
  return out;
}

/** do_ipneigh(): the verbs in iproute2's order, so abbreviations resolve the same way. */
export function ipNeigh(ns: Netns, argv: readonly string[], opts: IpOptions): string {
  const verb = argv[0];
  if (verb === undefined) return ipNeighShow(ns, new Args([]), opts);
  for (const w of ["add", "change", "chg", "replace", "delete", "get"]) {
    if (matches(verb, w)) throw notSimulated("ip neigh", w);
  }
  if (matches(verb, "show") || matches(verb, "list") || matches(verb, "lst")) return ipNeighShow(ns, new Args(argv.slice(1)), opts);
  for (const w of ["flush", "help"]) {
    if (matches(verb, w)) throw notSimulated("ip neigh", w);
  }
  throw new ViewExit(255, `Command "${verb}" is unknown, try "ip neigh help".\n`);
}
