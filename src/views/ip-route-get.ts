/**
 * `ip route get [fibmatch] [to] ADDR [from ADDR] [iif DEV] [oif DEV] [uid N]` (also `ip r g`),
 * as iproute2 6.1 asks it (iproute_get() in ip/iproute.c) and the kernel answers it
 * (inet_rtm_getroute() and rt_fill_info() in net/ipv4/route.c):
 *
 *   10.244.2.2 via 10.244.2.0 dev flannel.1 src 10.244.1.0 uid 0
 *       cache
 *   local 10.0.0.1 dev lo src 10.0.0.1 uid 0
 *       cache <local>
 *   8.8.8.8 from 10.244.1.2 via 10.244.1.2 dev br0
 *       cache <redirect> iif br0
 *
 * (every line ends in a space). Without `iif` it is an output lookup: the special cases of
 * ip_route_output_key_hash_rcu() — a given source must be local (ENETUNREACH) and not
 * multicast/broadcast/zero (EINVAL); an output device must be up (ENETUNREACH); limited
 * broadcast and local multicast go straight out of it; a failed lookup with an output device is
 * assumed on-link; destination 0.0.0.0 is local — are handled here, and the FIB part is
 * ipv4/route-output.ts's routeOutput(); then __mkroute_output()'s typing (broadcast and
 * multicast drop the gateway). With `iif` it is an input lookup through ipv4/route-input.ts's
 * routeInput() (forwarding off → EHOSTUNREACH, martians → EINVAL). Where this file picks a
 * source itself it follows inet_select_addr() over the device's real address order. No `table` is printed: with
 * only the default rules the kernel merges local into main. Failures print
 * `RTNETLINK answers: <strerror>` and exit 2.
 */
import type { Ipv4 } from "../core/ip.js";
import { formatIpv4, isLoopback, isMulticastIp } from "../core/ip.js";
import { strerror } from "../apps/args.js";
import { routeInput } from "../ipv4/route-input.js";
import { routeOutput } from "../ipv4/route-output.js";
import type { Skb } from "../ipv4/skb.js";
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import type { Scope } from "../netns/spec.js";
import { TABLE_MAIN } from "../netns/spec.js";
import type { Route } from "../route/route.js";
import { TraceLog } from "../trace/recorder.js";
import { Args, ViewExit, getPrefix, invarg, matches, notSimulated } from "./common.js";
import type { PrefixFamily } from "./common.js";
import type { IpOptions } from "./ip-options.js";
import { routeLine } from "./ip-route.js";

const LBCAST = 0xffffffff;

type CacheFlag = "local" | "mc" | "brd" | "redirect";

interface GetOk {
  readonly ok: true;
  readonly type: "unicast" | "local" | "broadcast" | "multicast";
  readonly dev: Device;
  readonly via?: Ipv4;
  /** fl4->saddr after the lookup (printed as `src` when it differs from the asked source). */
  readonly src: Ipv4;
  readonly flags: readonly CacheFlag[];
  /** The FIB entry behind the answer (res.fi), for `fibmatch`. */
  readonly route?: Route;
}
interface GetErr {
  readonly ok: false;
  readonly errno: string;
}
type GetResult = GetOk | GetErr;

const fail = (errno: string): GetErr => ({ ok: false, errno });

function isZeronet(a: number): boolean {
  return a >>> 24 === 0;
}
function isLocalMulticast(a: number): boolean {
  return a >>> 8 === 0xe00000;
}

/** inet_select_addr() lives with the namespace (Netns.selectAddr); 0 when nothing fits. */
function inetSelectAddr(ns: Netns, dev: Device, dst: number, scope: Scope): Ipv4 {
  return ns.selectAddr(dev, dst, scope) ?? (0 as Ipv4);
}

/** ip_check_mc_rcu(): groups a device has joined — all-hosts when up, all-snoopers on an up bridge. */
function mcJoined(dev: Device, group: number): boolean {
  if (!dev.up) return false;
  if (group === 0xe0000001) return true;
  return dev.kind === "bridge" && group === 0xe000006a;
}

/** __mkroute_output(): the route type and cache flags from the destination and the lookup. */
function mkrouteOutput(dst: Ipv4, dev: Device, src: Ipv4, type: GetOk["type"], via: Ipv4 | undefined, route: Route | undefined): GetResult {
  if (isLoopback(src) && dev.kind !== "loopback") return fail("EINVAL");
  const base = { ok: true as const, dev, src, ...(route ? { route } : {}) };
  if (dst === LBCAST) return { ...base, type: "broadcast", flags: ["local", "brd"] };
  if (isMulticastIp(dst)) {
    const keepGw = via !== undefined && route !== undefined && route.len >= 4;
    return { ...base, type: "multicast", flags: mcJoined(dev, dst) ? ["local", "mc"] : ["mc"], ...(keepGw ? { via } : {}) };
  }
  if (isZeronet(dst)) return fail("EINVAL");
  if (type === "broadcast") return { ...base, type, flags: ["local", "brd"] };
  if (type === "local") return { ...base, type, flags: ["local"] };
  return { ...base, type, flags: [], ...(via !== undefined ? { via } : {}) };
}

export function outputLookup(ns: Netns, dst: Ipv4, reqSrc: Ipv4, oif: Device | undefined): GetResult {
  let src = reqSrc;
  if (src !== 0) {
    if (isMulticastIp(src) || src === LBCAST || isZeronet(src)) return fail("EINVAL");
    const owner = ns.addresses.find((a) => a.addr === src);
    if (!owner) return fail("ENETUNREACH");
    if (!oif && (isMulticastIp(dst) || dst === LBCAST)) return mkrouteOutput(dst, owner.dev, src, "unicast", undefined, undefined);
  }
  if (oif) {
    if (!oif.up) return fail("ENETUNREACH");
    if (isLocalMulticast(dst) || dst === LBCAST) {
      if (src === 0) src = inetSelectAddr(ns, oif, 0, "link");
      return mkrouteOutput(dst, oif, src, "unicast", undefined, undefined);
    }
    if (src === 0 && isMulticastIp(dst)) src = inetSelectAddr(ns, oif, 0, "universe");
    else if (src === 0 && dst === 0) src = inetSelectAddr(ns, oif, 0, "host");
  }
  if (dst === 0) {
    if (src === 0) src = 0x7f000001 as Ipv4;
    return { ok: true, type: "local", dev: ns.loopback, src, flags: ["local"] };
  }
  // With an output device, any failed lookup (not only "no route") is taken as on-link:
  // "Apparently, routing tables are wrong. Assume, that the destination is on link."
  if (oif && !ns.fib.lookup(dst, (x) => x.dev === oif.name).ok) {
    if (src === 0) src = inetSelectAddr(ns, oif, 0, "link");
    return mkrouteOutput(dst, oif, src, "unicast", undefined, undefined);
  }
  const r = routeOutput(ns, dst, { ...(src !== 0 ? { src } : {}), ...(oif ? { oif } : {}) });
  if (!r.ok) return fail(r.errno);
  if (r.local) return { ok: true, type: "local", dev: ns.loopback, src: r.src, flags: ["local"], ...(r.route ? { route: r.route } : {}) };
  // routeOutput already applied fib_result_prefsrc (the route's src, else inet_select_addr).
  const route = r.route;
  const prefsrc = r.src;
  const type = route?.type === "broadcast" ? "broadcast" : "unicast";
  return mkrouteOutput(dst, r.dev, prefsrc, type, route?.via, route);
}

function fakeSkb(ns: Netns, src: Ipv4, dst: Ipv4, dev: Device): Skb {
  const trace = new TraceLog().start(ns.name, "ip route get", 0);
  return {
    pkt: { kind: "ipv4", src, dst, ttl: 64, id: 0, tos: 0, df: false, payload: { kind: "udp", sport: 0, dport: 0, data: "" } },
    trace,
    dev,
    pktType: "host",
    mark: 0,
  };
}

export function inputLookup(ns: Netns, dst: Ipv4, src: Ipv4, iif: Device): GetResult {
  if (isMulticastIp(dst)) {
    // ip_route_input_rcu(): only groups joined here are received; no multicast forwarding.
    if (!mcJoined(iif, dst)) return fail("EINVAL");
    if (isMulticastIp(src) || src === LBCAST || isLoopback(src)) return fail("EINVAL");
    if (isZeronet(src) && !isLocalMulticast(dst)) return fail("EINVAL");
    return { ok: true, type: "multicast", dev: ns.loopback, src, flags: ["local", "mc"] };
  }
  const d = routeInput(ns, fakeSkb(ns, src, dst, iif), iif);
  if (d.kind === "drop") return fail("EINVAL");
  if (d.kind === "error") return fail(d.errno);
  const rt = d.rt;
  const fib = (): Route | undefined => {
    if (dst === LBCAST) return undefined;
    const res = ns.fib.lookup(dst);
    return res.ok ? res.route : undefined;
  };
  if (rt.kind === "local" || rt.kind === "broadcast") {
    const route = fib();
    const flags: CacheFlag[] = rt.kind === "local" ? ["local"] : ["local", "brd"];
    return { ok: true, type: rt.kind, dev: ns.loopback, src, flags, ...(route ? { route } : {}) };
  }
  return {
    ok: true,
    type: "unicast",
    dev: rt.dev,
    src,
    flags: rt.redirect ? ["redirect"] : [],
    ...(rt.route?.via !== undefined ? { via: rt.route.via } : {}),
    ...(rt.route ? { route: rt.route } : {}),
  };
}

/** print_route() for the cloned route rt_fill_info() describes. */
function printClone(dst: Ipv4, reqSrc: Ipv4, r: GetOk, iif: Device | undefined, uid: number): string {
  const p: string[] = [];
  if (r.type !== "unicast") p.push(r.type);
  p.push(formatIpv4(dst));
  if (reqSrc !== 0) p.push("from", formatIpv4(reqSrc));
  if (r.via !== undefined) p.push("via", formatIpv4(r.via));
  p.push("dev", r.dev.name);
  if (!iif && r.src !== reqSrc) p.push("src", formatIpv4(r.src));
  if (r.type === "multicast") p.push("rt_offload_failed");
  if (!iif) p.push("uid", String(uid));
  const flags = r.flags.length > 0 ? `<${r.flags.join(",")}> ` : "";
  const iifPart = iif ? `iif ${iif.name} ` : "";
  return `${p.join(" ")} \n    cache ${flags}${iifPart}\n`;
}

export interface GetIo {
  err(text: string): void;
}

export function ipRouteGet(ns: Netns, argv: readonly string[], opts: IpOptions, io: GetIo): string {
  const args = new Args(argv);
  let family: PrefixFamily = opts.family === 4 ? "inet" : opts.family === 6 ? "inet6" : "any valid";
  let dst: Ipv4 | undefined;
  let from: Ipv4 = 0 as Ipv4;
  let iifName: string | undefined;
  let oifName: string | undefined;
  let uid = 0;
  let fibmatch = false;
  while (!args.done) {
    const a = args.take();
    if (a === "tos" || matches(a, "dsfield") || matches(a, "mark") || matches(a, "notify") || matches(a, "connected") || matches(a, "vrf")) {
      throw notSimulated("ip route get", a);
    } else if (matches(a, "from")) {
      const v = args.take();
      if (matches(v, "help")) throw notSimulated("ip route", "help");
      from = getPrefix(v, family).addr;
      if (family === "any valid") family = "inet";
    } else if (matches(a, "iif")) {
      iifName = args.take();
    } else if (matches(a, "oif") || a === "dev") {
      oifName = args.take();
    } else if (matches(a, "uid")) {
      const v = args.take();
      if (!/^\d+$/.test(v)) throw invarg("invalid UID\n", v);
      uid = Number(v);
    } else if (matches(a, "fibmatch")) {
      fibmatch = true;
    } else if (a === "as" || matches(a, "sport") || matches(a, "dport") || matches(a, "ipproto")) {
      throw notSimulated("ip route get", a);
    } else {
      const w = a === "to" ? args.take() : a;
      if (matches(w, "help")) throw notSimulated("ip route", "help");
      const p = getPrefix(w, family);
      if (!p.any) {
        if (family === "any valid") family = "inet";
        if (p.len !== 32) io.err(`Warning: /${p.len} as prefix is invalid, only /32 (or none) is supported.\n`);
      }
      dst = p.addr;
    }
  }
  if (dst === undefined) throw new ViewExit(1, "need at least a destination address\n");
  const iif = iifName !== undefined ? ns.device(iifName) : undefined;
  if (iifName !== undefined && !iif) throw new ViewExit(1, `Cannot find device "${iifName}"\n`);
  const oif = oifName !== undefined ? ns.device(oifName) : undefined;
  if (oifName !== undefined && !oif) throw new ViewExit(1, `Cannot find device "${oifName}"\n`);

  // Only `ip -6 route get default|any|all` gets here: no IPv6 routes exist in a simulated namespace.
  if (opts.family === 6) throw new ViewExit(2, "RTNETLINK answers: Network is unreachable\n");
  const r = iif ? inputLookup(ns, dst, from, iif) : outputLookup(ns, dst, from, oif);
  if (!r.ok) throw new ViewExit(2, `RTNETLINK answers: ${strerror(r.errno)}\n`);
  if (fibmatch) {
    if (!r.route) throw new ViewExit(2, `RTNETLINK answers: ${strerror("EHOSTUNREACH")}\n`);
    return `${routeLine(ns, r.route, { table: TABLE_MAIN })}\n`;
  }
  return printClone(dst, from, r, iif, uid);
}
