/**
 * `nc` as netcat-openbsd (Debian 12) behaves for the probes people type: `-z` connect-only
 * scans (exit 0 open, 1 closed), `-v` messages, `-w` timeout, `-u` UDP (where `-z` cannot tell
 * open from closed and succeeds), and without `-z` printing what the server sends.
 */
import { formatIpv4, parseIpv4 } from "../core/ip.js";
import type { App } from "./app.js";
import { num, parseArgs, strerror } from "./args.js";
import { tcpConnect } from "../sock/tcp.js";
import { udpOpen, udpSend } from "../sock/udp.js";
import type { Ipv4 } from "../core/ip.js";
import type { AppIo } from "./app.js";

const SERVICES: Readonly<Record<number, string>> = { 22: "ssh", 53: "domain", 80: "http", 443: "https", 8080: "http-alt", 6443: "sun-sr-https" };

export const ncApp: App = (argv, io) => {
  const a = parseArgs(argv.slice(1), ["-w", "-p", "-s"], ["-z", "-v", "-u", "-n", "-4", "-N"]);
  if (a.unknown.length > 0) {
    io.err(`nc: invalid option -- '${a.unknown[0]!.replace(/^-+/, "")}'\n`);
    io.exit(1);
    return;
  }
  const [host, portText] = a.positional;
  const dst = host !== undefined ? parseIpv4(host) : undefined;
  if (host === undefined || portText === undefined || dst === undefined) {
    io.err(host !== undefined && dst === undefined ? `nc: getaddrinfo for host "${host}" port ${portText ?? ""}: Name or service not known\n` : "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n");
    io.exit(1);
    return;
  }
  const port = Number(portText);
  const proto = a.flags.has("-u") ? "udp" : "tcp";
  const verbose = a.flags.has("-v");
  const service = SERVICES[port] ?? "*";
  const succeeded = () => {
    if (verbose) io.err(`Connection to ${host} ${port} port [${proto}/${service}] succeeded!\n`);
  };
  const { world, ns } = io;
  if (proto === "udp") {
    udp(dst, port, a.flags.has("-z"), num(a.flags.get("-w"), 0), io, succeeded);
    return;
  }
  let out = "";
  let connected = false;
  const handle = tcpConnect(ns, dst, port, "", {
    onEstablished: () => {
      connected = true;
      succeeded();
      if (a.flags.has("-z")) {
        handle_abort();
        io.exit(0);
      }
    },
    onData: (d) => {
      out += d;
    },
    onClose: () => {
      io.out(out);
      io.exit(0);
    },
    onError: (e) => {
      if (io.exited) return;
      // openbsd nc reports a failed connect only with -v, or when it was to be a data session.
      if (verbose || !a.flags.has("-z")) io.err(`nc: connect to ${formatIpv4(dst)} port ${port} (${proto}) failed: ${strerror(e.errno)}\n`);
      io.exit(1);
    },
  }, "nc");
  function handle_abort() {
    if (!("errno" in handle)) handle.abort();
  }
  if ("errno" in handle) {
    io.err(`nc: connect to ${formatIpv4(dst)} port ${port} (${proto}) failed: ${strerror(handle.errno)}\n`);
    io.exit(1);
    return;
  }
  if (a.flags.has("-w")) {
    world.after(num(a.flags.get("-w"), 0) * 1000, () => {
      if (io.exited) return;
      handle.abort();
      // Once connected, -w is an idle timeout: the connection is closed silently (exit 0).
      if (connected) {
        io.out(out);
        io.exit(0);
        return;
      }
      io.err(`nc: connect to ${formatIpv4(dst)} port ${port} (${proto}) timed out: Operation now in progress\n`);
      io.exit(1);
    });
  }
};

/**
 * UDP mode on a connected socket. With -z, openbsd nc writes "X" four times back to back; an
 * ICMP port-unreachable that arrived in between makes a later write fail with ECONNREFUSED, and
 * nc exits 1 without a word. Without -z it sends stdin and prints what comes back until -w
 * seconds pass; a refused port ends it at once, silently, with exit 0 (recv error = EOF).
 */
function udp(dst: Ipv4, port: number, zero: boolean, waitS: number, io: AppIo, succeeded: () => void): void {
  const { world, ns } = io;
  let refused = false;
  const sock = udpOpen(ns, {
    onData: (d) => {
      if (!zero) io.out(d);
    },
    onError: (e) => {
      if (e.errno !== "ECONNREFUSED") return;
      refused = true;
      if (!zero && !io.exited) {
        sock.close();
        io.exit(0);
      }
    },
  });
  if (zero) {
    const write = (i: number) => {
      if (refused) {
        sock.close();
        io.exit(1);
        return;
      }
      if (i === 4) {
        sock.close();
        succeeded();
        io.exit(0);
        return;
      }
      const e = udpSend(ns, sock.port, dst, port, "X", { origin: "nc -zu" });
      if (e) {
        sock.close();
        io.err(`nc: connect to ${formatIpv4(dst)} port ${port} (udp) failed: ${strerror(e)}\n`);
        io.exit(1);
        return;
      }
      world.after(0.1, () => write(i + 1));
    };
    write(0);
    return;
  }
  const e = udpSend(ns, sock.port, dst, port, io.stdin, { origin: "nc -u" });
  if (e) {
    sock.close();
    io.err(`nc: connect to ${formatIpv4(dst)} port ${port} (udp) failed: ${strerror(e)}\n`);
    io.exit(1);
    return;
  }
  world.after(waitS > 0 ? waitS * 1000 : 60_000, () => {
    sock.close();
    io.exit(0);
  });
}
