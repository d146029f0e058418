/**
 * The routes the kernel adds by itself when an address is configured (fib_add_ifaddr() in
 * net/ipv4/fib_frontend.c): a `local` route for the address in table local (even while the
 * device is down), and — only when the device is up — the explicit broadcast, the connected
 * prefix route in table main (type local and table local on loopback), and the subnet
 * broadcast for prefixes shorter than /31. A secondary address gets only its local route, with
 * its primary as source. Used by the packet path's FIB and by the loader's validation FIB.
 */
import { broadcastOf, networkOf } from "../core/ip.js";
import type { Route } from "../route/route.js";
import { TABLE_LOCAL, TABLE_MAIN } from "./spec.js";
import type { AddrLike } from "./ifa-list.js";
import { ifaList } from "./ifa-list.js";

export function kernelRoutes(addrs: readonly AddrLike[]): Route[] {
  const out: Route[] = [];
  const devs = [...new Set(addrs.map((a) => a.dev))];
  for (const d of devs) {
    for (const { addr: a, secondary, primary } of ifaList(addrs, d)) {
      const dev = a.dev.name;
      // A secondary's local route names its primary as source (fib_add_ifaddr uses `prim`).
      const src = primary?.addr ?? a.addr;
      const base = { proto: "kernel", onlink: false, metric: 0, src, dev } as const;
      out.push({ ...base, table: TABLE_LOCAL, type: "local", dst: a.addr, len: 32, scope: "host" });
      if (secondary) continue;
      // Observed on the kernel: a down loopback keeps its local prefix route but not its broadcast.
      if (!a.dev.up && a.dev.kind !== "loopback") continue;
      if (a.dev.up && a.broadcast !== undefined && a.broadcast !== 0xffffffff) {
        out.push({ ...base, table: TABLE_LOCAL, type: "broadcast", dst: a.broadcast, len: 32, scope: "link" });
      }
      const net = networkOf(a.addr, a.len);
      if (net === 0 || (net === a.addr && a.len === 32)) continue;
      const loop = a.dev.kind === "loopback";
      out.push({ ...base, table: loop ? TABLE_LOCAL : TABLE_MAIN, type: loop ? "local" : "unicast", dst: net, len: a.len, scope: loop ? "host" : "link" });
      const brd = broadcastOf(a.addr, a.len);
      if (a.len < 31 && a.dev.up && brd !== a.broadcast) out.push({ ...base, table: TABLE_LOCAL, type: "broadcast", dst: brd, len: 32, scope: "link" });
    }
  }
  return out;
}
