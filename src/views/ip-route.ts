/**
 * `ip route [show|list] [table main|local|default|all|N] [dev D] [type T] [scope S]
 * [proto P] [via A] [src A] [metric N] [root|match|exact] PREFIX`, as iproute2 6.1 prints
 * them (iproute_list_flush_or_save() and print_route() in ip/iproute.c) from the kernel's dump
 * (inet_dump_fib() / fn_trie_dump_leaf() in net/ipv4/fib_trie.c):
 *
 *  - one table's routes come in trie order: by prefix key (the network address as a number),
 *    and for one key the longer prefix first, then by metric;
 *  - `table all` walks the table hash (id & 255), so table 100 comes before main (254) and
 *    local (255); main and local share one trie while no policy rule was added, and each
 *    prints only its own routes;
 *  - every line ends in a space; `dev`, `proto`, `scope`, `metric`, `via` and `src` are left
 *    out when they were the filter; `table X` is printed only under `table all`;
 *  - `linkdown` marks routes whose device has no carrier (RTNH_F_LINKDOWN, set by
 *    fib_sync_down_dev() on every nexthop but the host-scope ones of local routes).
 *
 * Routing-cache entries (`table cache`, `ip route show cached`) are never listed: the
 * simulator keeps no PMTU or redirect exceptions.
 */
import { formatIpv4, formatRouteDst } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";
import type { RouteType, Scope } from "../netns/spec.js";
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN } from "../netns/spec.js";
import type { Route } from "../route/route.js";
import { tableName } from "../route/route.js";
import { Args, ViewExit, getPrefix, invarg, matches, notSimulated, prefixMatch } from "./common.js";
import type { IpOptions } from "./ip-options.js";
import { carrier } from "./link-state.js";
import type { ParsedPrefix, PrefixFamily } from "./common.js";

const ROUTE_TYPES: readonly RouteType[] = ["unicast", "local", "broadcast", "unreachable", "blackhole", "prohibit", "throw"];
/** rtnl_rtntype_a2n() knows these too; no simulated route has them. */
const OTHER_TYPES = ["anycast", "multicast", "nat", "xresolve"];

/** rtnl_rtscope_a2n(): names and numbers. */
function parseScope(word: string): Scope | "other" | undefined {
  if (word === "global" || word === "universe" || word === "0") return "universe";
  if (word === "link" || word === "253") return "link";
  if (word === "host" || word === "254") return "host";
  if (word === "site" || word === "nowhere" || /^\d+$/.test(word)) return "other";
  return undefined;
}

/** rtnl_rtprot_a2n(): the names in /etc/iproute2/rt_protos plus numbers. */
const PROTOS: Readonly<Record<string, number>> = {
  redirect: 1, kernel: 2, boot: 3, static: 4, gated: 8, ra: 9, mrt: 10, zebra: 11, bird: 12, dnrouted: 13,
  xorp: 14, ntk: 15, dhcp: 16, keepalived: 18, babel: 42, openr: 99, bgp: 186, isis: 187, ospf: 188, rip: 189, eigrp: 192,
};

function protoNumber(p: string): number | undefined {
  if (/^\d+$/.test(p)) return Number(p);
  return PROTOS[p];
}

/** rtnl_rttable_a2n(). */
function parseTable(word: string): number | undefined {
  if (word === "main") return TABLE_MAIN;
  if (word === "local") return TABLE_LOCAL;
  if (word === "default") return TABLE_DEFAULT;
  if (word === "unspec") return 0;
  if (/^\d+$/.test(word) || /^0[xX][0-9a-fA-F]+$/.test(word)) {
    const n = Number(word);
    return n <= 0xffffffff ? n : undefined;
  }
  return undefined;
}

interface RouteFilter {
  /** 0: every table. */
  table: number;
  cloned: boolean;
  dev?: string;
  type?: RouteType | "other";
  scope?: Scope | "other";
  proto?: number;
  via?: ParsedPrefix;
  src?: ParsedPrefix;
  metric?: number;
  /** `root P`: routes inside P. */
  root?: ParsedPrefix;
  /** `match P`: routes covering P. */
  match?: ParsedPrefix;
}

/** Trie order within one table: key, then longer prefix, then metric (stable for ties). */
export function dumpOrder(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => a.dst - b.dst || b.len - a.len || a.metric - b.metric);
}

function keep(r: Route, f: RouteFilter): boolean {
  if (f.dev !== undefined && r.dev !== f.dev) return false;
  if (f.type !== undefined && r.type !== f.type) return false;
  if (f.scope !== undefined && r.scope !== f.scope) return false;
  if (f.proto !== undefined && protoNumber(r.proto) !== f.proto) return false;
  if (f.metric !== undefined && r.metric !== f.metric) return false;
  if (f.via !== undefined && (r.via === undefined || !prefixMatch(r.via, f.via.addr, f.via.len))) return false;
  if (f.src !== undefined && (r.src === undefined || !prefixMatch(r.src, f.src.addr, f.src.len))) return false;
  if (f.root !== undefined && (f.root.len > r.len || !prefixMatch(r.dst, f.root.addr, f.root.len))) return false;
  if (f.match !== undefined && (f.match.len < r.len || !prefixMatch(r.dst, f.match.addr, r.len))) return false;
  return true;
}

/** print_route() for a FIB entry; `linkdown` needs the namespace to see the device. */
export function routeLine(ns: Netns, r: Route, f: { table: number; dev?: string; scope?: unknown; proto?: unknown; metric?: unknown; via?: ParsedPrefix; src?: ParsedPrefix }): string {
  const p: string[] = [];
  if (r.type !== "unicast") p.push(r.type);
  p.push(formatRouteDst({ addr: r.dst, len: r.len }));
  if (r.via !== undefined && f.via?.len !== 32) p.push("via", formatIpv4(r.via));
  if (r.dev !== undefined && f.dev === undefined) p.push("dev", r.dev);
  if (r.table !== TABLE_MAIN && f.table === 0) p.push("table", tableName(r.table));
  if (r.proto !== "boot" && f.proto === undefined) p.push("proto", r.proto);
  if (r.scope !== "universe" && f.scope === undefined) p.push("scope", r.scope);
  if (r.src !== undefined && f.src?.len !== 32) p.push("src", formatIpv4(r.src));
  if (r.metric !== 0 && f.metric === undefined) p.push("metric", String(r.metric));
  if (r.onlink) p.push("onlink");
  const dev = r.dev !== undefined ? ns.device(r.dev) : undefined;
  if (dev && r.type !== "local" && !carrier(dev)) p.push("linkdown");
  return `${p.join(" ")} `;
}

/** Tables that exist: main and local always (local is created with lo's address, main as its alias), others while they hold routes. */
function tableExists(ns: Netns, id: number): boolean {
  return id === TABLE_MAIN || id === TABLE_LOCAL || ns.fib.tables.has(id);
}

export function ipRouteShow(ns: Netns, args: Args, opts: IpOptions): string {
  const f: RouteFilter = { table: TABLE_MAIN, cloned: false };
  const family: PrefixFamily = opts.family === 4 ? "inet" : opts.family === 6 ? "inet6" : "any valid";
  while (!args.done) {
    const a = args.take();
    if (matches(a, "table")) {
      const t = args.take();
      const id = parseTable(t);
      if (id !== undefined) f.table = id;
      else if (t === "all") f.table = 0;
      else if (t === "cache") f.cloned = true;
      else if (t === "help") throw notSimulated("ip route", "help");
      else throw invarg("table id value is invalid\n", t);
    } else if (matches(a, "cached") || matches(a, "cloned")) {
      f.cloned = true;
    } else if (matches(a, "protocol")) {
      const p = args.take();
      const n = protoNumber(p);
      if (n !== undefined) f.proto = n;
      else if (p !== "all") throw invarg('invalid "protocol"\n', p);
    } else if (matches(a, "scope")) {
      const s = args.take();
      const scope = parseScope(s);
      if (scope !== undefined) f.scope = scope;
      else if (s !== "all") throw invarg('invalid "scope"\n', s);
    } else if (matches(a, "type")) {
      const t = args.take();
      if ((ROUTE_TYPES as readonly string[]).includes(t)) f.type = t as RouteType;
      else if (OTHER_TYPES.includes(t)) f.type = "other";
      else throw invarg("node type value is invalid\n", t);
    } else if (a === "dev" || a === "oif") {
      f.dev = args.take();
    } else if (matches(a, "metric") || matches(a, "priority") || a === "preference") {
      const m = args.take();
      if (!/^\d+$/.test(m)) throw invarg('"metric" value is invalid\n', m);
      f.metric = Number(m);
    } else if (a === "via") {
      f.via = getPrefix(args.take(), family);
    } else if (a === "src") {
      f.src = getPrefix(args.take(), family);
    } else if (a === "iif" || a === "mark" || matches(a, "vrf") || a === "tos" || matches(a, "dsfield") || matches(a, "realms") || matches(a, "from")) {
      throw notSimulated("ip route", `show ${a}`);
    } else {
      let w = a;
      if (matches(w, "to")) w = args.take();
      if (matches(w, "root")) f.root = getPrefix(args.take(), family);
      else if (matches(w, "match")) f.match = getPrefix(args.take(), family);
      else {
        if (matches(w, "exact")) w = args.take();
        const p = getPrefix(w, family);
        f.root = p;
        f.match = p;
      }
    }
  }
  if (f.dev !== undefined && !ns.device(f.dev)) throw new ViewExit(1, `Cannot find device "${f.dev}"\n`);
  if (opts.family === 6 || opts.family === "link" || f.cloned) return "";
  if (f.table !== 0 && !tableExists(ns, f.table)) throw new ViewExit(2, "Error: ipv4: FIB table does not exist.\nDump terminated\n");
  const ids = f.table !== 0 ? [f.table] : [...new Set([...ns.fib.tables.keys(), TABLE_MAIN, TABLE_LOCAL])].sort((a, b) => (a & 255) - (b & 255) || a - b);
  let out = "";
  for (const id of ids) {
    const routes = ns.fib.tables.get(id)?.routes ?? [];
    for (const r of dumpOrder(routes)) if (keep(r, f)) out += `${routeLine(ns, r, f)}\n`;
  }
  return out;
}

/** do_iproute(): the verbs in iproute2's order, so abbreviations resolve the same way. */
export function ipRoute(ns: Netns, argv: readonly string[], opts: IpOptions, get: (args: readonly string[]) => string): string {
  const verb = argv[0];
  if (verb === undefined) return ipRouteShow(ns, new Args([]), opts);
  for (const w of ["add", "change", "chg", "replace", "prepend", "append", "test", "delete"]) {
    if (matches(verb, w)) throw notSimulated("ip route", w);
  }
  if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst")) return ipRouteShow(ns, new Args(argv.slice(1)), opts);
  if (matches(verb, "get")) return get(argv.slice(1));
  for (const w of ["flush", "save", "restore", "showdump", "help"]) {
    if (matches(verb, w)) throw notSimulated("ip route", w);
  }
  throw new ViewExit(255, `Command "${verb}" is unknown, try "ip route help".\n`);
}
