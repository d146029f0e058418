/**
 * `ip` (iproute2 6.1) as far as the probes use it: `ip route get` (output lookups, `from`),
 * `ip route [show] [table main|local]`. Lines end with the trailing space iproute2 prints.
 * Text verified against real namespaces (test/kernel).
 */
import { formatIpv4, parseIpv4 } from "../core/ip.js";
import type { App, AppIo } from "../apps/app.js";
import { strerror } from "../apps/args.js";
import { routeOutput } from "../ipv4/route-output.js";
import { formatRoute } from "../route/route.js";
import type { Route } from "../route/route.js";
import { TABLE_LOCAL, TABLE_MAIN } from "../netns/spec.js";
import type { Ipv4 } from "../core/ip.js";
import type { Ipv4Packet } from "../wire/packet.js";
import { TraceLog } from "../trace/recorder.js";
import { routeInput } from "../ipv4/route-input.js";

export const ipApp: App = (argv, io) => {
  const args = argv.slice(1).filter((a) => a !== "-4");
  const obj = args[0] ?? "";
  if (obj.length > 0 && "route".startsWith(obj)) {
    routeCmd(args.slice(1), io);
    return;
  }
  io.err(`Object "${obj}" is unknown, try "ip help".\n`);
  io.exit(1);
};

function routeCmd(args: string[], io: AppIo): void {
  const verb = args[0] ?? "show";
  if (verb.length > 0 && "get".startsWith(verb) && verb !== "") {
    routeGet(args.slice(1), io);
    return;
  }
  if (["show", "list", "ls", "lst", "sh"].includes(verb) || args.length === 0) {
    const ti = args.indexOf("table");
    const t = ti >= 0 ? args[ti + 1] : "main";
    const id = t === "local" ? TABLE_LOCAL : t === "main" ? TABLE_MAIN : Number(t);
    const routes = io.ns.fib.tables.get(id)?.routes ?? [];
    io.out(sortRoutes(routes).map((r) => `${formatRoute(r)} \n`).join(""));
    io.exit(0);
    return;
  }
  io.err(`Command "${verb}" is unknown, try "ip route help".\n`);
  io.exit(255);
}

/** The kernel dumps a table in address order; for one address, longer prefixes first, then metric. */
export function sortRoutes(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => a.dst - b.dst || b.len - a.len || a.metric - b.metric);
}

function routeGet(args: string[], io: AppIo): void {
  let dstText: string | undefined;
  let fromText: string | undefined;
  let iif: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "from") fromText = args[++i];
    else if (args[i] === "iif") iif = args[++i];
    else if (args[i] === "to") dstText = args[++i];
    else dstText ??= args[i];
  }
  const dst = dstText !== undefined ? parseIpv4(dstText) : undefined;
  const from = fromText !== undefined ? parseIpv4(fromText) : undefined;
  if (dst === undefined) {
    io.err(`Error: inet prefix is expected rather than "${dstText ?? ""}".\n`);
    io.exit(1);
    return;
  }
  if (iif !== undefined) {
    routeGetInput(io, dst, from ?? (0 as Ipv4), iif);
    return;
  }
  const r = routeOutput(io.ns, dst, from !== undefined ? { src: from } : {});
  if (!r.ok) {
    io.err(`RTNETLINK answers: ${strerror(r.errno)}\n`);
    io.exit(2);
    return;
  }
  const d = formatIpv4(dst);
  const via = r.route?.via !== undefined ? ` via ${formatIpv4(r.route.via)}` : "";
  const src = from !== undefined ? "" : ` src ${formatIpv4(r.src)}`;
  const fromPart = from !== undefined ? ` from ${formatIpv4(from)}` : "";
  if (r.local) io.out(`local ${d}${fromPart} dev lo${src} uid 0 \n    cache <local> \n`);
  else if (r.broadcast) io.out(`broadcast ${d}${fromPart} dev ${r.dev.name}${src} uid 0 \n    cache <local,brd> \n`);
  else io.out(`${d}${fromPart}${via} dev ${r.dev.name}${src} uid 0 \n    cache \n`);
  io.exit(0);
}

/** `ip route get … from S iif DEV`: the input decision for a packet arriving on DEV (ip_route_input). */
function routeGetInput(io: AppIo, dst: Ipv4, src: Ipv4, iifName: string): void {
  const dev = io.ns.device(iifName);
  if (!dev) {
    io.err(`Cannot find device "${iifName}"\n`);
    io.exit(1);
    return;
  }
  const pkt: Ipv4Packet = { kind: "ipv4", src, dst, ttl: 64, id: 0, tos: 0, df: false, payload: { kind: "icmp", type: 8, code: 0, id: 0, seq: 0, dataLen: 0 } };
  const trace = new TraceLog().start("ip route get", "", io.world.now);
  const d = routeInput(io.ns, { pkt, trace, dev, pktType: "host", mark: 0 }, dev);
  if (d.kind !== "ok") {
    // A martian or reverse-path failure is EINVAL; a failed lookup gives its own errno.
    io.err(`RTNETLINK answers: ${strerror(d.kind === "error" ? d.errno : "EINVAL")}\n`);
    io.exit(2);
    return;
  }
  const rt = d.rt;
  const head = `${formatIpv4(dst)} from ${formatIpv4(src)}`;
  if (rt.kind === "local") io.out(`local ${head} dev lo \n    cache <local> iif ${iifName} \n`);
  else if (rt.kind === "broadcast") io.out(`broadcast ${head} dev lo \n    cache <local,brd> iif ${iifName} \n`);
  else {
    const via = rt.route?.via !== undefined ? ` via ${formatIpv4(rt.route.via)}` : "";
    io.out(`${head}${via} dev ${rt.dev.name} \n    cache iif ${iifName} \n`);
  }
  io.exit(0);
}
