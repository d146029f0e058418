/**
 * Source address validation for received packets: fib_validate_source() and
 * __fib_validate_source() in net/ipv4/fib_frontend.c. Reverse-path filtering (rp_filter 1 strict,
 * 2 loose), the local-source martian check, and whether the source is directly connected (the
 * input for the ICMP redirect decision).
 */
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";

export type SourceCheck = { readonly ok: true; readonly direct: boolean } | { readonly ok: false; readonly reason: string };

export function validateSource(ns: Netns, src: number, inDev: Device, oif: Device | undefined): SourceCheck {
  const rpf = ns.sysctl.rpFilter(inDev.name);
  if (rpf === 0 && (inDev !== oif || !ns.sysctl.sendRedirects(inDev.name))) {
    if (ns.sysctl.acceptLocal(inDev.name)) return { ok: true, direct: false };
    if (ns.isLocalAddress(src)) return { ok: false, reason: "martian source: the source is a local address (accept_local=0)" };
    return { ok: true, direct: false };
  }
  const lastResort = (): SourceCheck => (rpf ? { ok: false, reason: "reverse path filter: no route back to the source" } : { ok: true, direct: false });
  const back = ns.fib.lookup(src);
  if (!back.ok) return lastResort();
  const r = back.route;
  if (r.type !== "unicast" && !(r.type === "local" && ns.sysctl.acceptLocal(inDev.name))) {
    return { ok: false, reason: `martian source: the route back is of type ${r.type}` };
  }
  const devMatch = r.dev === inDev.name || (r.type === "local" && inDev.kind === "loopback");
  if (devMatch) return { ok: true, direct: r.via === undefined };
  if (ns.addressesOf(inDev).length === 0) return lastResort();
  if (rpf === 1) return { ok: false, reason: `reverse path filter (strict): the route back to the source leaves by ${r.dev}, not ${inDev.name}` };
  const viaIn = ns.fib.lookup(src, (x) => x.dev === inDev.name);
  return { ok: true, direct: viaIn.ok && viaIn.route.type === "unicast" && viaIn.route.via === undefined };
}
