/**
 * `curl` as 7.88.1 (Debian 12) behaves for plain HTTP to an address: the body on stdout, errors
 * as `curl: (N) …` on stderr (hidden by -s unless -S), `-v` progress lines on stderr, exit 7
 * when the connection fails (refused, unreachable, the kernel giving up on SYNs), 28 when curl's
 * own --connect-timeout / --max-time runs out first. A host name is resolved first through the
 * stub resolver (apps/resolver.ts); when that fails curl says `(6) Could not resolve host: NAME`.
 * --max-time and --connect-timeout count from the start, resolution included, but are armed only
 * once the address is known (a resolution outlasting them is not cut short).
 */
import type { Ipv4 } from "../core/ip.js";
import { formatIpv4, parseIpv4 } from "../core/ip.js";
import type { App } from "./app.js";
import { num, parseArgs, strerror } from "./args.js";
import { tcpConnect } from "../sock/tcp.js";
import { getaddrinfo } from "./resolver.js";

const VERSION = "7.88.1";

export const curlApp: App = (argv, io) => {
  const a = parseArgs(argv.slice(1), ["-m", "--max-time", "--connect-timeout", "--interface", "-o", "--output", "-H", "-X", "-w"], ["-s", "--silent", "-S", "--show-error", "-v", "--verbose", "-f", "--fail", "-i", "-L", "-k", "-4"]);
  const silent = a.flags.has("-s") || a.flags.has("--silent");
  const showError = a.flags.has("-S") || a.flags.has("--show-error");
  const verbose = a.flags.has("-v") || a.flags.has("--verbose");
  const err = (code: number, msg: string) => {
    if (!silent || showError) io.err(`curl: (${code}) ${msg}\n`);
    io.exit(code);
  };
  if (a.unknown.length > 0) {
    io.err(`curl: option ${a.unknown[0]}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
    io.exit(2);
    return;
  }
  const url = a.positional[0];
  if (url === undefined) {
    io.err("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
    io.exit(2);
    return;
  }
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) {
    err(3, "URL using bad/illegal format or missing URL");
    return;
  }
  const scheme = m[1] ?? "http";
  const host = m[2]!;
  const port = m[3] !== undefined ? Number(m[3]) : scheme === "https" ? 443 : 80;
  const path = m[4] ?? "/";
  const { world, ns } = io;
  const start = world.now;
  const v = (line: string) => {
    if (verbose) io.err(`${line}\n`);
  };
  const connect = (dst: Ipv4): void => {
    const elapsed = () => Math.round(world.now - start);
    const maxTime = a.flags.get("-m") ?? a.flags.get("--max-time");
    const connectTimeout = a.flags.get("--connect-timeout");
    const request = `GET ${path} HTTP/1.1\r\nHost: ${host}${m[3] !== undefined ? `:${port}` : ""}\r\nUser-Agent: curl/${VERSION}\r\nAccept: */*\r\n\r\n`;
    let connected = false;
    let response = "";
    v(`*   Trying ${formatIpv4(dst)}:${port}...`);
    // `immediate`: connect() itself failed (route lookup), which curl words differently in -v.
    const failConnect = (errno: string, immediate = false) => {
      v(immediate ? `* Immediate connect fail for ${formatIpv4(dst)}: ${strerror(errno)}` : `* connect to ${formatIpv4(dst)} port ${port} failed: ${strerror(errno)}`);
      // The kernel giving up on SYNs (ETIMEDOUT) is still "couldn't connect", but exits 28.
      const code = errno === "ETIMEDOUT" ? 28 : 7;
      const msg = `Failed to connect to ${host} port ${port} after ${elapsed()} ms: Couldn't connect to server`;
      v(`* ${msg}`);
      v("* Closing connection 0");
      err(code, msg);
    };
    const ifOpt = a.flags.get("--interface");
    const bind = typeof ifOpt === "string" ? parseIpv4(ifOpt) : undefined;
    const handle = tcpConnect(ns, dst, port, request, {
      onEstablished: () => {
        connected = true;
        v(`* Connected to ${host} (${formatIpv4(dst)}) port ${port} (#0)`);
        for (const line of request.split("\r\n").slice(0, -1)) v(`> ${line}`);
      },
      onData: (d) => {
        response += d;
      },
      onClose: () => {
        const split = response.indexOf("\r\n\r\n");
        const head = split >= 0 ? response.slice(0, split) : response;
        const body = split >= 0 ? response.slice(split + 4) : "";
        for (const line of head.split("\r\n")) v(`< ${line}`);
        v("<");
        io.out(a.flags.has("-i") ? `${head.replace(/\r\n/g, "\r\n")}\r\n\r\n${body}` : body);
        v(`* Closing connection 0`);
        io.exit(0);
      },
      onError: (e) => {
        if (io.exited) return;
        if (!connected) failConnect(e.errno);
        else err(56, `Recv failure: ${strerror(e.errno)}`);
      },
    }, "curl", bind);
    if ("errno" in handle) {
      failConnect(handle.errno, true);
      return;
    }
    const timer = (secs: number, onlyConnect: boolean) =>
      world.after(Math.max(0, secs * 1000 - (world.now - start)), () => {
        if (io.exited || (onlyConnect && connected)) return;
        handle.abort();
        if (!connected) {
          // --connect-timeout words it as a failed connect; --max-time as a timed-out connection.
          const msg = onlyConnect ? `Failed to connect to ${host} port ${port} after ${elapsed()} ms: Timeout was reached` : `Connection timed out after ${elapsed()} milliseconds`;
          v(`* ${msg}`);
          v("* Closing connection 0");
          err(28, msg);
        } else err(28, `Operation timed out after ${elapsed()} milliseconds with ${response.length} bytes received`);
      });
    if (connectTimeout !== undefined) timer(num(connectTimeout, 300), true);
    if (maxTime !== undefined) timer(num(maxTime, 0), false);
  };
  // The name is resolved first (getaddrinfo, apps/resolver.ts); every failure is curl's error 6.
  getaddrinfo(ns, host, (r) => {
    if (io.exited) return;
    if (!r.ok) {
      v(`* Could not resolve host: ${host}`);
      v("* Closing connection 0");
      err(6, `Could not resolve host: ${host}`);
      return;
    }
    connect(r.addrs[0]!);
  });
};
