/**
 * The input route decision for a received packet: ip_route_input_slow() in net/ipv4/route.c.
 * Martian checks, broadcast, the FIB lookup, source validation, the forwarding switch
 * (IN_DEV_FORWARD), and the redirect flag. A failed lookup becomes an `error` decision whose
 * errno ip_error() turns into an ICMP message (or silence).
 */
import type { Ipv4 } from "../core/ip.js";
import { formatIpv4, isLoopback, isMulticastIp } from "../core/ip.js";
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import { formatRoute, tableName } from "../route/route.js";
import type { Rt, Skb } from "./skb.js";
import { validateSource } from "./validate-source.js";

export type InputDecision = { readonly kind: "ok"; readonly rt: Rt } | { readonly kind: "drop" } | { readonly kind: "error"; readonly errno: string };

export function routeInput(ns: Netns, skb: Skb, dev: Device): InputDecision {
  const { src, dst } = skb.pkt;
  const at = { node: ns.name, stage: "ip_route_input" };
  const martian = (reason: string): InputDecision => {
    skb.trace.end({ kind: "martian", at, reason });
    return { kind: "drop" };
  };
  if (isMulticastIp(src) || src === 0xffffffff) return martian(`martian source ${formatIpv4(src)}`);
  if (dst === 0xffffffff) return local(ns, dst, "broadcast");
  if (src === 0) return martian("martian source 0.0.0.0");
  if (dst === 0) return martian("martian destination 0.0.0.0");
  // With route_localnet (kube-proxy's localhost NodePorts) 127/8 is routed like any address;
  // the sysctl is read only for the rare packet that has a loopback address.
  if (isLoopback(dst)) {
    if (!ns.sysctl.routeLocalnet(dev.name)) return martian(`martian destination ${formatIpv4(dst)} (route_localnet=0)`);
  } else if (isLoopback(src) && !ns.sysctl.routeLocalnet(dev.name)) return martian(`martian source ${formatIpv4(src)} (route_localnet=0)`);

  const res = ns.fib.lookup(dst);
  const forwarding = ns.sysctl.forwarding(dev.name);
  if (!res.ok) {
    const errno = forwarding ? res.errno : "EHOSTUNREACH";
    skb.trace.step(ns.name, {
      kind: "route",
      direction: "input",
      table: res.route ? tableName(res.route.table) : "-",
      matched: res.route ? formatRoute(res.route) : "(none)",
      type: res.route?.type ?? "unreachable",
      result: errno,
      text: `${formatIpv4(dst)} from ${formatIpv4(src)} iif ${dev.name}: ${res.route ? res.route.type : "no route"}`,
    });
    return { kind: "error", errno };
  }
  const r = res.route;
  const step = (result: string, text: string) =>
    skb.trace.step(ns.name, { kind: "route", direction: "input", table: tableName(r.table), matched: formatRoute(r), type: r.type, result, text });
  if (r.type === "broadcast") {
    step("broadcast", `broadcast ${formatIpv4(dst)} from ${formatIpv4(src)} dev lo iif ${dev.name}`);
    return local(ns, dst, "broadcast");
  }
  if (r.type === "local") {
    const check = validateSource(ns, src, dev, undefined);
    if (!check.ok) return martian(check.reason);
    step("local", `local ${formatIpv4(dst)} from ${formatIpv4(src)} dev lo table local iif ${dev.name}`);
    return local(ns, dst, "local");
  }
  if (!forwarding) {
    step("EHOSTUNREACH", `${formatIpv4(dst)} from ${formatIpv4(src)} iif ${dev.name}: forwarding is off on ${dev.name}`);
    return { kind: "error", errno: "EHOSTUNREACH" };
  }
  const out = ns.device(r.dev!)!;
  const check = validateSource(ns, src, dev, out);
  if (!check.ok) return martian(check.reason);
  const nexthop = (r.via ?? dst) as Ipv4;
  // IPSKB_DOREDIRECT: out the way it came, and the source could have reached the gateway itself.
  const redirect = out === dev && check.direct && ns.sysctl.sendRedirects(out.name) && ns.onlink(out, src, r.via ?? 0);
  const via = r.via !== undefined ? ` via ${formatIpv4(r.via)}` : "";
  step("forward", `${formatIpv4(dst)} from ${formatIpv4(src)}${via} dev ${out.name} iif ${dev.name}`);
  return { kind: "ok", rt: { kind: "forward", route: r, dev: out, nexthop, redirect } };
}

function local(ns: Netns, dst: Ipv4, kind: "local" | "broadcast"): InputDecision {
  return { kind: "ok", rt: { kind, dev: ns.loopback, nexthop: dst } };
}
