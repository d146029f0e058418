/**
 * `ping` as iputils (20221126, Debian 12) behaves and prints: one echo request per second
 * (`-i`), `-c` count, `-W` seconds to wait for the last reply, `-w` deadline, `-t` TTL, `-s`
 * payload size, `-q`. Errors reported by ICMP are printed as `From A icmp_seq=N <message>`;
 * exit status 0 when any reply came back, 1 when none did, 2 on other errors (e.g. the route
 * lookup in connect() failing before anything is sent). A failed sendmsg() (EPERM when OUTPUT
 * drops or rejects the request) is handled as pinger() does: it reads one error from the
 * socket's error queue and prints `ping: sendmsg: …` only if there was one — a REJECT's ICMP
 * error is there by then, a DROP leaves the queue empty and ping silent. A host name is
 * resolved first (apps/resolver.ts): `ping: NAME: <gai_strerror>` and exit 2 when that fails,
 * else the canonical name heads the output. Not modelled: the reverse lookup iputils does for
 * each reply's source when the target was a name (reply lines show the address only).
 */
import type { Ipv4 } from "../core/ip.js";
import { formatIpv4, parseIpv4 } from "../core/ip.js";
import type { App, AppIo } from "./app.js";
import type { ParsedArgs } from "./args.js";
import { num, parseArgs, strerror } from "./args.js";
import { GAI_STRERROR, getaddrinfo } from "./resolver.js";
import { pingOpen } from "../sock/ping.js";
import type { SockError } from "../sock/table.js";
import { resumeTask } from "../sock/task.js";
import { icmpIdent } from "../sock/ports.js";
import { icmpName } from "../ipv4/icmp.js";
import { routeOutput } from "../ipv4/route-output.js";
import type { IcmpMessage } from "../wire/packet.js";

export const pingApp: App = (argv, io) => {
  const a = parseArgs(argv.slice(1), ["-c", "-W", "-w", "-t", "-s", "-i", "-I", "-M"], ["-q", "-n", "-4", "-v", "-D", "-O"]);
  if (a.unknown.length > 0) {
    io.err(`ping: invalid option -- '${a.unknown[0]!.replace(/^-+/, "")}'\n`);
    io.exit(2);
    return;
  }
  const target = a.positional[0];
  if (target === undefined) {
    io.err("ping: usage error: Destination address required\n");
    io.exit(1);
    return;
  }
  // getaddrinfo() first (apps/resolver.ts); ping names the host by its canonical name from then on.
  getaddrinfo(io.ns, target, (r) => {
    if (io.exited) return;
    if (!r.ok) {
      io.err(`ping: ${target}: ${GAI_STRERROR[r.error]}\n`);
      io.exit(2);
      return;
    }
    pingTo(a, io, r.addrs[0]!, r.canonical);
  });
};

/** Pings `dst`, named `hostname` in its output, with the options in `a`. */
function pingTo(a: ParsedArgs, io: AppIo, dst: Ipv4, hostname: string): void {
  const count = num(a.flags.get("-c"), Infinity);
  const waitMs = num(a.flags.get("-W"), 10) * 1000;
  const deadlineMs = a.flags.has("-w") ? num(a.flags.get("-w"), 0) * 1000 : undefined;
  const intervalMs = num(a.flags.get("-i"), 1) * 1000;
  const size = num(a.flags.get("-s"), 56);
  const ttlOpt = a.flags.get("-t");
  const ttl = ttlOpt === undefined ? undefined : num(ttlOpt, 64);
  const quiet = a.flags.has("-q");
  const { world, ns } = io;

  // iputils connect()s a probe socket first: a failing route lookup ends ping before it sends.
  const srcOpt = a.flags.get("-I");
  const src = typeof srcOpt === "string" ? parseIpv4(srcOpt) : undefined;
  const probe = routeOutput(ns, dst, src !== undefined ? { src } : {});
  // iputils reads EACCES from connect() as an attempt to ping a broadcast address.
  if (!probe.ok && probe.errno !== "EACCES") {
    io.err(`ping: connect: ${strerror(probe.errno)}\n`);
    io.exit(2);
    return;
  }
  if (!probe.ok || probe.broadcast) {
    io.err("ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n");
    io.exit(2);
    return;
  }
  const id = icmpIdent(ns);
  const start = world.now;
  const sentAt = new Map<number, number>();
  const rtts: number[] = [];
  let transmitted = 0;
  let received = 0;
  let errors = 0;
  let lastSend = start;
  let finished = false;

  io.out(`PING ${hostname} (${formatIpv4(dst)}) ${src !== undefined ? `from ${formatIpv4(src)} : ` : ""}${size}(${size + 28}) bytes of data.\n`);
  const finish = () => {
    if (finished) return;
    finished = true;
    sock.close();
    const ms = Math.round(lastSend - start);
    const loss = transmitted === 0 ? 0 : ((transmitted - received) * 100) / transmitted;
    io.out(`\n--- ${hostname} ping statistics ---\n`);
    io.out(`${transmitted} packets transmitted, ${received} received${errors ? `, +${errors} errors` : ""}, ${fmtG(loss)}% packet loss, time ${ms}ms\n`);
    if (received > 0) {
      const min = Math.min(...rtts);
      const max = Math.max(...rtts);
      const avg = rtts.reduce((s, x) => s + x, 0) / rtts.length;
      const mdev = Math.sqrt(rtts.reduce((s, x) => s + x * x, 0) / rtts.length - avg * avg);
      io.out(`rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${(Number.isFinite(mdev) ? mdev : 0).toFixed(3)} ms\n`);
    }
    else io.out("\n");
    io.exit(received > 0 ? 0 : 1);
  };
  const done = () => transmitted >= count && received + errors >= count;

  // receive_error_msg(): an ICMP error about one of our requests.
  const reportError = (e: SockError) => {
    if (!e.icmp) return;
    const q = e.icmp.quoted.payload;
    const seq = q.kind === "icmp" ? q.seq : 0;
    errors++;
    const what = e.icmp.type === 3 && e.icmp.code === 4 ? `Frag needed and DF set (mtu = ${e.icmp.mtu ?? 0})` : icmpName(e.icmp.type, e.icmp.code);
    if (!quiet) io.out(`From ${formatIpv4(e.icmp.from)} icmp_seq=${seq} ${what}\n`);
  };
  const drainErrors = () => {
    if (finished) return;
    for (let e = sock.takeError(); e; e = sock.takeError()) reportError(e);
    if (done()) finish();
  };
  const sock = pingOpen(ns, id, {
    onReply: (from, pkt) => {
      const m = pkt.payload as IcmpMessage;
      const t0 = sentAt.get(m.seq);
      if (t0 === undefined || finished) return;
      const rtt = world.now - t0;
      rtts.push(rtt);
      received++;
      if (!quiet) io.out(`${m.dataLen + 8} bytes from ${formatIpv4(from)}: icmp_seq=${m.seq} ttl=${pkt.ttl} time=${fmtRtt(rtt)} ms\n`);
      if (done()) finish();
    },
    onErrorQueued: () => resumeTask(ns, drainErrors),
  });
  // pinger() after sendmsg() failed: one error from the queue (MSG_DONTWAIT). With one there, it
  // is reported and the sendmsg error printed too; an empty queue is a local error ping keeps quiet about.
  const sendFailed = (errno: string) => {
    if (finished) return;
    const e = sock.takeError();
    if (!e) return;
    reportError(e);
    if (!quiet) io.err(`ping: sendmsg: ${strerror(errno)}\n`);
    if (done()) finish();
  };

  let seq = 0;
  const sendNext = () => {
    if (finished) return;
    if (transmitted >= count) return;
    seq++;
    lastSend = world.now;
    const err = sock.send(dst as Ipv4, { seq, size, ...(ttl !== undefined ? { ttl } : {}), ...(src !== undefined ? { src } : {}) });
    sentAt.set(seq, world.now);
    transmitted++;
    // The syscall returns once the softirq work it set off is done (the REJECT's error queued).
    if (err) resumeTask(ns, () => sendFailed(err));
    if (transmitted < count) world.after(intervalMs, sendNext);
    else world.after(waitMs, finish);
  };
  if (deadlineMs !== undefined) world.after(deadlineMs, finish);
  sendNext();
}

/** iputils prints rtt with 3 decimals below 10 ms, 2 below 100 ms, 1 below 1 s, whole ms above. */
function fmtRtt(ms: number): string {
  if (ms >= 1000) return ms.toFixed(0);
  if (ms >= 100) return ms.toFixed(1);
  if (ms >= 10) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** printf("%g"): six significant digits, trailing zeros dropped. */
function fmtG(x: number): string {
  return String(Number(x.toPrecision(6)));
}
