/**
 * One DNS exchange as a resolver library does it: a query to one server and the wait for its
 * answer, in virtual time. Over UDP the socket is connect()ed to the server, as glibc's send_dg
 * and BIND's netmgr do, so the kernel only hands it datagrams from that address and port (a
 * reply that comes back un-NATed, from the pod instead of the Service address, is not the
 * answer), and a hard ICMP error for a query (port unreachable: ECONNREFUSED) becomes the
 * socket's error when the library next runs. glibc also sets IP_RECVERR (__res_enable_icmp),
 * so it hears of soft ones too (net or host unreachable) and gives up on that server at once;
 * BIND does not, and waits out its timeout (`recverr`, checked on the kernel by
 * test/kernel/dns-tools.test.ts). Over TCP the query is framed (RFC 1035 §4.2.2) and the
 * answer read from the stream. Whatever happens, the caller hears exactly once: a reply, a
 * timeout, or an errno — over TCP with whether the connection had been established, since BIND
 * words a failed connect ("Connection to … failed") apart from a failed exchange.
 *
 * Query ids and EDNS cookies are drawn from a per-namespace stream of the seeded RNG.
 */
import type { Ipv4 } from "../core/ip.js";
import type { Rng } from "../core/rng.js";
import type { Netns } from "../netns/netns.js";
import type { DnsMessage } from "../wire/dns.js";
import { decodeDns, encodeDns, tcpFrame, tcpUnframe } from "../wire/dns.js";
import { udpOpen, udpSend } from "./udp.js";
import { tcpConnect } from "./tcp.js";
import { resumeTask } from "./task.js";

export type ExchangeResult =
  | { readonly kind: "reply"; readonly msg: DnsMessage; /** The reply's octets (without TCP framing). */ readonly octets: string }
  | { readonly kind: "timeout"; /** TCP: still in the three-way handshake. */ readonly connecting: boolean }
  | { readonly kind: "error"; readonly errno: string; /** TCP: the connect itself failed. */ readonly connecting: boolean };

export interface ExchangeOptions {
  readonly timeoutMs: number;
  readonly tcp?: boolean;
  readonly port?: number;
  /** Names the query's trace ("dig", "getaddrinfo"). */
  readonly origin: string;
  /** UDP: IP_RECVERR on the socket, so every ICMP error ends the exchange (glibc), not only hard ones. */
  readonly recverr?: boolean;
}

const streams = new WeakMap<Netns, Rng>();

function stream(ns: Netns): Rng {
  let r = streams.get(ns);
  if (!r) {
    r = ns.world.rng.fork(`dns/${ns.name}`);
    streams.set(ns, r);
  }
  return r;
}

/** A fresh 16-bit query id. */
export function dnsQueryId(ns: Netns): number {
  return stream(ns).int(0, 65535);
}

/** `n` random octets (a client cookie is 8). */
export function randomOctets(ns: Netns, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(stream(ns).int(0, 255));
  return s;
}

export function dnsExchange(ns: Netns, server: Ipv4, query: DnsMessage, opts: ExchangeOptions, done: (r: ExchangeResult) => void): void {
  const port = opts.port ?? 53;
  const octets = encodeDns(query);
  let finished = false;
  const finish = (r: ExchangeResult, cleanup: () => void) => {
    if (finished) return;
    finished = true;
    cleanup();
    done(r);
  };
  const isAnswer = (m: DnsMessage | undefined): m is DnsMessage => m !== undefined && m.flags.qr && m.id === query.id;

  if (opts.tcp) {
    let stream = "";
    let connecting = true;
    const handle = tcpConnect(ns, server, port, tcpFrame(octets), {
      onEstablished: () => {
        connecting = false;
      },
      onData: (d) => {
        stream += d;
        const whole = tcpUnframe(stream);
        if (whole === undefined) return;
        const msg = decodeDns(whole);
        if (isAnswer(msg)) finish({ kind: "reply", msg, octets: whole }, abort);
      },
      // The server closed before a whole answer: BIND reports ISC_R_EOF.
      onClose: () => finish({ kind: "error", errno: "EOF", connecting }, abort),
      onError: (e) => finish({ kind: "error", errno: e.errno, connecting }, abort),
    }, opts.origin);
    const abort = () => {
      if (!("errno" in handle)) handle.abort();
    };
    if ("errno" in handle) {
      const errno = handle.errno;
      resumeTask(ns, () => finish({ kind: "error", errno, connecting: true }, () => undefined));
      return;
    }
    ns.world.after(opts.timeoutMs, () => finish({ kind: "timeout", connecting }, abort));
    return;
  }

  const sock = udpOpen(ns, {
    onData: (data, from, pkt) => {
      // A connected socket only takes datagrams from its peer (udp4_lib_lookup's daddr/dport match).
      const p = pkt.payload;
      if (from !== server || p.kind !== "udp" || p.sport !== port) return;
      const msg = decodeDns(data);
      if (isAnswer(msg)) finish({ kind: "reply", msg, octets: data }, sock.close);
    },
    onError: (e) => resumeTask(ns, () => finish({ kind: "error", errno: e.errno, connecting: false }, sock.close)),
  }, { connected: true, recverr: opts.recverr ?? false });
  const errno = udpSend(ns, sock.port, server, port, octets, { origin: opts.origin });
  if (errno !== undefined) {
    resumeTask(ns, () => finish({ kind: "error", errno, connecting: false }, sock.close));
    return;
  }
  ns.world.after(opts.timeoutMs, () => finish({ kind: "timeout", connecting: false }, sock.close));
}
