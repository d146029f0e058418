/**
 * `nc` as netcat-openbsd 1.219 (Debian 12) behaves for the probes people type: `-z` connect-only
 * scans (exit 0 open, 1 closed), `-w` timeout, `-u` UDP, and without `-z` printing what the
 * server sends. Why a connect failed is said only with `-v` (remote_connect()'s warn()); so is
 * `succeeded!`.
 */
import { formatIpv4, parseIpv4 } from "../core/ip.js";
import type { App } from "./app.js";
import { num, parseArgs, strerror } from "./args.js";
import { tcpConnect } from "../sock/tcp.js";
import { udpOpen, udpSend } from "../sock/udp.js";
import { resumeTask } from "../sock/task.js";
import type { Ipv4 } from "../core/ip.js";
import type { AppIo } from "./app.js";
import { routeOutput } from "../ipv4/route-output.js";

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
  const failed = (how: string) => {
    if (verbose) io.err(`nc: connect to ${formatIpv4(dst)} port ${port} (${proto}) ${how}\n`);
    io.exit(1);
  };
  const waitS = a.flags.has("-w") ? num(a.flags.get("-w"), 0) : undefined;
  if (proto === "udp") {
    udp(dst, port, { zero: a.flags.has("-z"), verbose, waitS }, io, succeeded, failed);
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
      failed(`failed: ${strerror(e.errno)}`);
    },
  }, "nc");
  function handle_abort() {
    if (!("errno" in handle)) handle.abort();
  }
  if ("errno" in handle) {
    failed(`failed: ${strerror(handle.errno)}`);
    return;
  }
  if (waitS !== undefined) {
    world.after(waitS * 1000, () => {
      if (io.exited) return;
      handle.abort();
      // Once connected, -w is an idle timeout: the connection is closed silently (exit 0).
      if (connected) {
        io.out(out);
        io.exit(0);
        return;
      }
      failed("timed out: Operation now in progress");
    });
  }
};

interface UdpMode {
  readonly zero: boolean;
  readonly verbose: boolean;
  /** -w seconds, if given. */
  readonly waitS: number | undefined;
}

/** udptest()'s seconds of waiting when -w is not given. */
const UDP_SCAN_TIMEOUT_S = 3;

/**
 * UDP mode on a connected socket (connect() does the route lookup, so no route fails it at
 * once). With -z the port is tested only under -v (udptest()): a write that fails on any error
 * (EPERM when OUTPUT drops it), a second that fails on ECONNREFUSED (the port unreachable the
 * first drew, pending as sk_err), then a sleep of a second and a write per second of -w (3
 * without), each failing on ECONNREFUSED; a failed test exits 1 without a word, a passed one
 * says `succeeded!`. -z without -v writes nothing and exits 0. Without -z it sends stdin — a
 * failed write just stops the sending — and prints what comes back until -w seconds pass; a
 * hard ICMP error (POLLERR) ends it at once, silently, with exit 0.
 */
function udp(dst: Ipv4, port: number, mode: UdpMode, io: AppIo, succeeded: () => void, failed: (how: string) => void): void {
  const { world, ns } = io;
  const route = routeOutput(ns, dst);
  if (!route.ok) {
    failed(`failed: ${strerror(route.errno)}`);
    return;
  }
  const sock = udpOpen(ns, {
    onData: (d) => {
      if (!mode.zero) io.out(d);
    },
    onError: () => {
      if (mode.zero) return;
      resumeTask(ns, () => end(0));
    },
  }, { connected: true, recverr: false });
  const end = (code: number) => {
    if (io.exited) return;
    sock.close();
    if (code === 0 && mode.zero) succeeded();
    io.exit(code);
  };
  const write = (data: string, origin: string) => udpSend(ns, sock.port, dst, port, data, { origin });
  if (mode.zero) {
    if (!mode.verbose) {
      end(0);
      return;
    }
    if (write("X", "nc -zu") !== undefined) {
      end(1);
      return;
    }
    resumeTask(ns, () => {
      if (write("X", "nc -zu") === "ECONNREFUSED") {
        end(1);
        return;
      }
      let left = mode.waitS ?? UDP_SCAN_TIMEOUT_S;
      const tick = () => {
        if (left <= 0) {
          end(0);
          return;
        }
        left--;
        world.after(1000, () => {
          if (write("X", "nc -zu") === "ECONNREFUSED") end(1);
          else tick();
        });
      };
      tick();
    });
    return;
  }
  // A failed write closes the sending side only (readwrite(): the net-out descriptor goes).
  if (io.stdin.length > 0) write(io.stdin, "nc -u");
  world.after(mode.waitS !== undefined && mode.waitS > 0 ? mode.waitS * 1000 : 60_000, () => end(0));
}
