/**
 * How BIND 9.18's dig and nslookup look a name up (bin/dig/dighost.c), shared by both tools;
 * checked against bind9-dnsutils 1:9.18.49-1~deb12u3 by test/kernel/dns-tools.test.ts:
 *
 *   - settings from /etc/resolv.conf as lib/irs/resconf.c reads it: nameservers (up to 3),
 *     search list, `options ndots:N timeout:T attempts:A`; defaults ndots 1, attempts 3, and a
 *     timeout of UDP_TIMEOUT 5 s (TCP_TIMEOUT 10 s over TCP) per try;
 *   - with the search list in use, a relative name with fewer dots than ndots is tried under each
 *     search domain in turn and then as it is; an absolute name, or one with enough dots, only
 *     as it is (next_origin). Only NXDOMAIN moves on to the next name;
 *   - each query is retried on the same server after a timeout or error while tries remain (over
 *     UDP and TCP alike), then goes to the next server with what is left; a failed UDP try, or a
 *     failed exchange on an open TCP connection, is reported as
 *     ";; communications error to ADDR#53: REASON", and when no server is left the lookup ends
 *     with "no servers could be reached", which the tool prints (recv_done). A TCP connect that
 *     fails is reported at once as two lines, ";; Connection to ADDR#53(SERVER) for TEXT failed:
 *     REASON." and ";; no servers could be reached" (TEXT as the user typed it), per try, and
 *     the lookup then ends with nothing more to print;
 *   - a reply with SERVFAIL when the tool does not stop there (nslookup), or without RA to a
 *     recursive query when the tool checks RA (nslookup; CoreDNS never sets RA), goes to the next
 *     server with ";; Got SERVFAIL reply from SERVER, trying next server" (or "Got recursion
 *     not available from …"); from the last server the same line without ", trying next
 *     server" is printed and the reply is used. This comes before the NXDOMAIN search step, so
 *     every name of the search list is asked of every server;
 *   - a SERVFAIL ends the lookup unless the tool asked to go on to the next server (nslookup).
 */
import type { Ipv4 } from "../core/ip.js";
import { formatIpv4, parseIpv4 } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";
import type { DnsMessage } from "../wire/dns.js";
import { RCODE } from "../wire/dns.js";
import { dnsExchange } from "../sock/dns-client.js";
import { readResolvConf } from "../sock/resolv-conf.js";

export interface BindServer {
  readonly addr: Ipv4;
  /** The server as the user wrote it (dig's `@arg`, nslookup's second argument), or its address. */
  readonly userarg: string;
}

export interface BindSettings {
  readonly servers: readonly BindServer[];
  readonly search: readonly string[];
  readonly ndots: number;
  readonly tries: number;
  /** Seconds per try; undefined = UDP_TIMEOUT / TCP_TIMEOUT. */
  readonly timeoutS: number | undefined;
  readonly tcp: boolean;
  readonly useSearch: boolean;
  readonly servfailStops: boolean;
  /** A reply without RA goes to the next server (nslookup's check_ra). */
  readonly checkRa: boolean;
  readonly port: number;
}

const UDP_TIMEOUT_S = 5;
const TCP_TIMEOUT_S = 10;

/** Settings from the namespace's resolv.conf; the tool overrides what its options say. */
export function bindSettings(ns: Netns, over: Partial<BindSettings> = {}): BindSettings {
  const rc = readResolvConf(ns);
  const servers = rc.nameservers.map((addr) => ({ addr, userarg: formatIpv4(addr) }));
  return {
    // No nameserver line: dig falls back to the local host (setup_system).
    servers: servers.length > 0 ? servers : [{ addr: parseIpv4("127.0.0.1")!, userarg: "127.0.0.1" }],
    search: rc.search,
    ndots: rc.ndots ?? 1,
    tries: rc.attempts !== undefined && rc.attempts > 0 ? rc.attempts : 3,
    timeoutS: rc.timeout !== undefined && rc.timeout > 0 ? rc.timeout : undefined,
    tcp: false,
    useSearch: false,
    servfailStops: true,
    checkRa: false,
    port: 53,
    ...over,
  };
}

/** The names a lookup of `text` goes through, in order (without trailing dots). */
export function bindCandidates(text: string, s: Pick<BindSettings, "useSearch" | "ndots" | "search">): string[] {
  const bare = text.replace(/\.$/, "");
  const dots = (text.match(/\./g) ?? []).length;
  if (!s.useSearch || text.endsWith(".") || dots >= s.ndots) return [bare];
  return [...s.search.map((d) => `${bare}.${d}`), bare];
}

export type LookupEnd =
  | {
      readonly kind: "answer";
      readonly msg: DnsMessage;
      readonly octets: string;
      /** The name the printed answer was asked for. */
      readonly name: string;
      readonly server: BindServer;
      readonly elapsedMs: number;
    }
  /** No server answered; `reported` when the failure was already printed (a TCP connect). */
  | { readonly kind: "no-servers"; readonly reported: boolean };

/** isc_result_totext() for what a try can end in. */
const REASON: Readonly<Record<string, string>> = {
  timeout: "timed out",
  ECONNREFUSED: "connection refused",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPERM: "permission denied",
  EACCES: "permission denied",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "timed out",
  EOF: "end of file",
};

/**
 * One lookup of `text`: `query(name)` builds the message for each try (a fresh id each time);
 * `warn` gets the text of each line printed while it runs (";; " is the caller's); `done` is
 * called once.
 */
export function runLookup(ns: Netns, s: BindSettings, text: string, query: (name: string) => DnsMessage, warn: (line: string) => void, done: (e: LookupEnd) => void): void {
  const names = bindCandidates(text, s);
  const timeoutMs = (s.timeoutS ?? (s.tcp ? TCP_TIMEOUT_S : UDP_TIMEOUT_S)) * 1000;
  const lookupName = (k: number): void => {
    const name = names[k]!;
    let retries = s.tries;
    const send = (si: number): void => {
      const server = s.servers[si]!;
      const last = si + 1 >= s.servers.length;
      const start = ns.world.now;
      const q = query(name);
      dnsExchange(ns, server.addr, q, { timeoutMs, tcp: s.tcp, port: s.port, origin: `${s.tcp ? "tcp" : "udp"} query ${name}` }, (r) => {
        if (r.kind === "reply") {
          const rc = r.msg.rcode;
          const servfail = rc === RCODE.SERVFAIL && !s.servfailStops;
          if (servfail || (s.checkRa && q.flags.rd && !r.msg.flags.ra)) {
            const why = servfail ? "SERVFAIL reply" : "recursion not available";
            if (!last) {
              warn(`Got ${why} from ${server.userarg}, trying next server`);
              return send(si + 1);
            }
            warn(`Got ${why} from ${server.userarg}`);
          }
          if (rc === RCODE.NXDOMAIN && k + 1 < names.length) return lookupName(k + 1);
          return done({ kind: "answer", msg: r.msg, octets: r.octets, name, server, elapsedMs: ns.world.now - start });
        }
        const why = r.kind === "timeout" ? "timeout" : r.errno;
        const reason = REASON[why] ?? why.toLowerCase();
        if (r.connecting) {
          warn(`Connection to ${formatIpv4(server.addr)}#${s.port}(${server.userarg}) for ${text} failed: ${reason}.`);
          warn("no servers could be reached");
        } else warn(`communications error to ${formatIpv4(server.addr)}#${s.port}: ${reason}`);
        if (retries > 1) {
          retries--;
          return send(si);
        }
        if (!last) return send(si + 1);
        done({ kind: "no-servers", reported: r.connecting });
      });
    };
    send(0);
  };
  lookupName(0);
}
