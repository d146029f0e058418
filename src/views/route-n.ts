/**
 * `route -n` (net-tools 2.10) as a read-only view of one namespace's FIB. net-tools reads
 * /proc/net/route (rprint_fib() in lib/inet_gr.c), and the kernel fills that file from
 * fib_route_seq_show() in net/ipv4/fib_trie.c, which decides what is listed:
 *
 *  - table main only (local routes, and any other table, never appear), in trie order — the
 *    order `ip route` dumps (dumpOrder);
 *  - broadcast and multicast routes are skipped; every other type is listed;
 *  - flags from fib_flag_trans(): U always, G when the nexthop has a gateway, H for a /32,
 *    reject (`!`, replacing U and G) for unreachable and prohibit — blackhole and throw are
 *    plain `U` routes with iface `*`;
 *  - Ref and Use are always 0, MSS/Window/irtt 0 (no route here sets advmss, window or rtt);
 *  - proto, scope, src and onlink have no column and are simply not shown.
 *
 * Columns are rprint_fib()'s printf formats: `-e` (ext 2) and `-ee` (ext 3) are the same data in
 * other columns; a reject route prints `-` for gateway, Ref and iface.
 */
import { formatIpv4, maskOf } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";
import { TABLE_MAIN } from "../netns/spec.js";
import type { Route } from "../route/route.js";
import { dumpOrder } from "./ip-route.js";

/** printf("%-Ns", s): left-aligned in N, never cut. */
const left = (s: string, n: number): string => s.padEnd(n);
/** printf("%Nd", n). */
const right = (s: string, n: number): string => s.padStart(n);

const HEADER: Readonly<Record<1 | 2 | 3, string>> = {
  1: "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface",
  2: "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface",
  3: "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt",
};

interface ProcRoute {
  readonly iface: string;
  readonly dest: string;
  readonly gateway: string;
  readonly mask: string;
  readonly flags: string;
  readonly reject: boolean;
  readonly metric: number;
}

/** One /proc/net/route line as rprint_fib() decodes it, or undefined when the kernel skips it. */
function procRoute(r: Route): ProcRoute | undefined {
  if (r.type === "broadcast") return undefined;
  const reject = r.type === "unreachable" || r.type === "prohibit";
  const gateway = r.via !== undefined;
  // The flag letters in rprint_fib()'s order; RTF_REJECT overwrites what came before it.
  let flags = "U";
  if (gateway) flags += "G";
  if (reject) flags = "!";
  if (r.len === 32) flags += "H";
  return {
    iface: r.dev ?? "*",
    dest: formatIpv4(r.dst),
    gateway: formatIpv4(r.via ?? 0),
    mask: formatIpv4(maskOf(r.len)),
    flags,
    reject,
    metric: r.metric,
  };
}

function line(p: ProcRoute, ext: 1 | 2 | 3): string {
  const head = `${left(p.dest, 15)} `;
  const metric = left(String(p.metric), 6);
  if (ext === 1) {
    if (p.reject) return `${head}-               ${left(p.mask, 15)} ${left(p.flags, 5)} ${metric} -  ${right("0", 7)} -`;
    return `${head}${left(p.gateway, 15)} ${left(p.mask, 15)} ${left(p.flags, 5)} ${metric} ${left("0", 2)} ${right("0", 7)} ${p.iface}`;
  }
  if (ext === 2) {
    if (p.reject) return `${head}-               ${left(p.mask, 15)} ${left(p.flags, 5)}     - -          - -`;
    return `${head}${left(p.gateway, 15)} ${left(p.mask, 15)} ${left(p.flags, 5)} ${right("0", 5)} ${left("0", 5)} ${right("0", 6)} ${p.iface}`;
  }
  if (p.reject) return `${head}-               ${left(p.mask, 15)} ${left(p.flags, 5)} ${metric} -  ${right("0", 7)} -        -     -      -`;
  // %-6.6s: the iface column is cut to six characters in the -ee layout.
  return `${head}${left(p.gateway, 15)} ${left(p.mask, 15)} ${left(p.flags, 5)} ${metric} ${left("0", 3)} ${right("0", 6)} ${left(p.iface.slice(0, 6), 6)}   ${left("0", 5)} ${left("0", 6)} 0`;
}

/** The whole output of `route -n` (`ext` 1), `route -ne` (2) or `route -nee` (3). */
export function routeN(ns: Netns, ext: 1 | 2 | 3 = 1): string {
  let out = `Kernel IP routing table\n${HEADER[ext]}\n`;
  for (const r of dumpOrder(ns.fib.tables.get(TABLE_MAIN)?.routes ?? [])) {
    const p = procRoute(r);
    if (p) out += `${line(p, ext)}\n`;
  }
  return out;
}
