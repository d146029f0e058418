/**
 * The routes the kernel adds by itself when an address is configured (fib_add_ifaddr() in
 * net/ipv4/fib_frontend.c): a `local` route for the address in table local (even while the
 * device is down), and — only when the device is up — the explicit broadcast, the connected
 * prefix route in table main (type local and table local on loopback), and the subnet
 * broadcast for prefixes shorter than /31.
 */
import { broadcastOf, inPrefix, networkOf } from "../core/ip.js";
import type { Route } from "../route/route.js";
import { TABLE_LOCAL, TABLE_MAIN } from "./spec.js";
import type { Address } from "./device.js";

/** A second address inside the subnet of an earlier one on the same device is IFA_F_SECONDARY. */
export function isSecondary(addrs: readonly Address[], a: Address): boolean {
  for (const b of addrs) {
    if (b === a) return false;
    if (b.dev === a.dev && b.len === a.len && inPrefix(a.addr, b.addr, b.len)) return true;
  }
  return false;
}

export function kernelRoutes(addrs: readonly Address[]): Route[] {
  const out: Route[] = [];
  for (const a of addrs) {
    const dev = a.dev.name;
    const base = { proto: "kernel", onlink: false, metric: 0, src: a.addr, dev } as const;
    out.push({ ...base, table: TABLE_LOCAL, type: "local", dst: a.addr, len: 32, scope: "host" });
    if (isSecondary(addrs, a)) continue;
    // Observed on the kernel: a down loopback keeps its local prefix route but not its broadcast.
    if (!a.dev.up && a.dev.kind !== "loopback") continue;
    if (a.broadcast !== undefined && a.broadcast !== 0xffffffff) {
      out.push({ ...base, table: TABLE_LOCAL, type: "broadcast", dst: a.broadcast, len: 32, scope: "link" });
    }
    const net = networkOf(a.addr, a.len);
    if (net !== 0 && (net !== a.addr || a.len < 32)) {
      const loop = a.dev.kind === "loopback";
      out.push({
        ...base,
        table: loop ? TABLE_LOCAL : TABLE_MAIN,
        type: loop ? "local" : "unicast",
        dst: net,
        len: a.len,
        scope: loop ? "host" : "link",
      });
      if (a.len < 31 && a.dev.up) {
        const brd = broadcastOf(a.addr, a.len);
        if (brd !== a.broadcast) out.push({ ...base, table: TABLE_LOCAL, type: "broadcast", dst: brd, len: 32, scope: "link" });
      }
    }
  }
  return out;
}
