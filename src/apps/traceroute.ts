/**
 * `traceroute` as the Linux traceroute 2.1 (Debian 12) behaves with its default UDP method:
 * probes to port 33434 and up with TTL 1, 2, …, `-q` per hop (3), up to `-N` in flight (16),
 * `-w` seconds to wait (5), `-m` max hops (30), `-n` numeric. A hop line lists the responder
 * and the round-trip times, `*` for silence, and annotations (!H, !N, !X …) for unreachables;
 * it stops at the hop where the destination (port unreachable) or an unreachable answered.
 */
import type { Ipv4 } from "../core/ip.js";
import { formatIpv4, parseIpv4 } from "../core/ip.js";
import type { App } from "./app.js";
import { num, parseArgs, strerror } from "./args.js";
import { udpOpen, udpSend } from "../sock/udp.js";
import { routeOutput } from "../ipv4/route-output.js";

interface Probe {
  readonly ttl: number;
  readonly port: number;
  sentAt: number;
  done: boolean;
  from?: Ipv4;
  rtt?: number;
  note?: string;
  final?: boolean;
}

const NOTES: Readonly<Record<number, string>> = { 0: "!N", 1: "!H", 2: "!P", 4: "!F", 5: "!S", 9: "!X", 10: "!X", 13: "!X" };

export const tracerouteApp: App = (argv, io) => {
  const a = parseArgs(argv.slice(1), ["-q", "-w", "-m", "-N", "-f", "-p", "-z"], ["-n", "-4", "-I", "-U"]);
  const target = a.positional[0];
  const dst = target !== undefined ? parseIpv4(target) : undefined;
  if (target === undefined || dst === undefined) {
    io.err(target === undefined ? "Specify \"host\" missing argument.\n" : `${target}: Name or service not known\nCannot handle "host" cmdline arg \`${target}' on position 1 (argc ${argv.length - 1})\n`);
    io.exit(2);
    return;
  }
  const q = num(a.flags.get("-q"), 3);
  const waitMs = num(String(a.flags.get("-w") ?? "5").split(",")[0], 5) * 1000;
  const maxHops = num(a.flags.get("-m"), 30);
  const window = num(a.flags.get("-N"), 16);
  const firstHop = num(a.flags.get("-f"), 1);
  const basePort = num(a.flags.get("-p"), 33434);
  const { world, ns } = io;
  io.out(`traceroute to ${target} (${formatIpv4(dst)}), ${maxHops} hops max, 60 byte packets\n`);
  const r = routeOutput(ns, dst);
  if (!r.ok) {
    io.err(`send: ${strerror(r.errno)}\n`);
    io.exit(1);
    return;
  }
  const probes: Probe[] = [];
  for (let ttl = firstHop; ttl <= maxHops; ttl++) for (let i = 0; i < q; i++) probes.push({ ttl, port: basePort + probes.length, sentAt: 0, done: false });
  const byPort = new Map(probes.map((p) => [p.port, p]));
  let next = 0;
  let printed = firstHop - 1;
  let lastTtl = maxHops;
  const sock = udpOpen(ns, {
    onData: () => {},
    onError: (e) => {
      const qp = e.icmp?.quoted.payload;
      if (!e.icmp || !qp || qp.kind !== "udp") return;
      const p = byPort.get(qp.dport);
      if (!p || p.done) return;
      p.from = e.icmp.from;
      p.rtt = world.now - p.sentAt;
      if (e.icmp.type === 3) {
        p.final = true;
        if (!(e.icmp.code === 3 && e.icmp.from === dst)) p.note = NOTES[e.icmp.code] ?? `!<${e.icmp.code}>`;
        lastTtl = Math.min(lastTtl, p.ttl);
      }
      complete(p);
    },
  });
  const send = () => {
    while (next < probes.length && probes[next]!.ttl <= lastTtl && probes.slice(0, next).filter((p) => !p.done).length < window) {
      const p = probes[next++]!;
      p.sentAt = world.now;
      udpSend(ns, sock.port, dst, p.port, "\0".repeat(32), { ttl: p.ttl, origin: `traceroute (ttl ${p.ttl})` });
      world.after(waitMs, () => complete(p));
    }
  };
  const complete = (p: Probe) => {
    if (p.done) return;
    p.done = true;
    flush();
    if (!io.exited) send();
  };
  const flush = () => {
    while (printed < lastTtl) {
      const hop = probes.filter((p) => p.ttl === printed + 1);
      if (hop.length === 0 || !hop.every((p) => p.done)) return;
      printed++;
      let line = `${String(printed).padStart(2)} `;
      let prev: Ipv4 | undefined;
      for (const p of hop) {
        if (p.from === undefined) {
          line += " *";
          continue;
        }
        if (p.from !== prev) line += ` ${formatIpv4(p.from)}`;
        prev = p.from;
        line += `  ${p.rtt!.toFixed(3)} ms`;
        if (p.note) line += ` ${p.note}`;
      }
      io.out(`${line}\n`);
    }
    if (printed >= lastTtl) {
      sock.close();
      io.exit(0);
    }
  };
  send();
};
