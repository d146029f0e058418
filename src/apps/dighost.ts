/**
 * How BIND 9.18's dig and nslookup look a name up (bin/dig/dighost.c), shared by both tools:
 *
 *   - settings from /etc/resolv.conf as lib/irs/resconf.c reads it: nameservers (up to 3),
 *     search list, `options ndots:N timeout:T attempts:A`; defaults ndots 1, attempts 3, and a
 *     timeout of UDP_TIMEOUT 5 s (TCP_TIMEOUT 10 s over TCP) per try;
 *   - with the search list in use, a relative name with fewer dots than ndots is tried under each
 *     search domain in turn and then as it is; an absolute name, or one with enough dots, only
 *     as it is (next_origin). Only NXDOMAIN moves on to the next name;
 *   - each query is retried on the same server after a timeout or error while tries remain (UDP
 *     only), then goes to the next server with what is left; every failed try is reported as
 *     ";; communications error to ADDR#53: REASON", and when no server is left the lookup ends
 *     with "no servers could be reached" (recv_done);
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
  | { readonly kind: "no-servers" };

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
 * One lookup: `query(name)` builds the message for each try (a fresh id each time); `warn` gets
 * each ";; communications error" line's text; `done` is called once.
 */
export function runLookup(ns: Netns, s: BindSettings, text: string, query: (name: string) => DnsMessage, warn: (line: string) => void, done: (e: LookupEnd) => void): void {
  const names = bindCandidates(text, s);
  const timeoutMs = (s.timeoutS ?? (s.tcp ? TCP_TIMEOUT_S : UDP_TIMEOUT_S)) * 1000;
  const lookupName = (k: number): void => {
    const name = names[k]!;
    let retries = s.tries;
    const send = (si: number): void => {
      const server = s.servers[si]!;
      const start = ns.world.now;
      dnsExchange(ns, server.addr, query(name), { timeoutMs, tcp: s.tcp, port: s.port, origin: `${s.tcp ? "tcp" : "udp"} query ${name}` }, (r) => {
        if (r.kind === "reply") {
          const rc = r.msg.rcode;
          if (rc === RCODE.SERVFAIL && !s.servfailStops && si + 1 < s.servers.length) return send(si + 1);
          if (rc === RCODE.NXDOMAIN && k + 1 < names.length) return lookupName(k + 1);
          return done({ kind: "answer", msg: r.msg, octets: r.octets, name, server, elapsedMs: ns.world.now - start });
        }
        const why = r.kind === "timeout" ? "timeout" : r.errno;
        warn(`communications error to ${formatIpv4(server.addr)}#${s.port}: ${REASON[why] ?? why.toLowerCase()}`);
        if (retries > 1 && !s.tcp) {
          retries--;
          return send(si);
        }
        if (si + 1 < s.servers.length) return send(si + 1);
        done({ kind: "no-servers" });
      });
    };
    send(0);
  };
  lookupName(0);
}
