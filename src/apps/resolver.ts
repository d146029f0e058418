/**
 * getaddrinfo() for an IPv4 host name as glibc (2.36, Debian 12) answers it to curl and ping:
 * nsswitch `hosts: files dns`, so /etc/hosts first, then the stub resolver over UDP, in virtual
 * time. Mirrors resolv/res_query.c (__res_context_search) and res_send.c:
 *
 *   - configuration from /etc/resolv.conf (sock/resolv-conf.ts) with glibc's defaults and caps:
 *     ndots 1 (max 15), timeout 5 s (max 30), attempts 2 (max 5), nameserver 127.0.0.1 when
 *     none is given;
 *   - the name as-is first when it has at least ndots dots (only as-is when it ends with "."),
 *     else each search domain in turn and then the name as-is;
 *   - NXDOMAIN (and NODATA) move on to the next candidate; a timeout stops the search list but
 *     the as-is try still follows; a query that no server answered with anything but SERVFAIL,
 *     and heard no timeout, fails with ECONNREFUSED, which ends the whole lookup (res_search
 *     returns at once on that errno) — so a lone server's SERVFAIL ends it too;
 *   - each candidate is sent to each nameserver in turn, for `attempts` rounds; the wait for
 *     server i is (timeout << i) / nservers seconds for i > 0 (send_dg), a SERVFAIL, NOTIMP or
 *     REFUSED answer or an ICMP error moves to the next server at once — any ICMP error, net
 *     unreachable included, since the socket has IP_RECVERR (__res_enable_icmp).
 *
 * Checked against glibc 2.36-9+deb12u14 (getent, curl) by test/kernel/dns-tools.test.ts: the
 * order of names, the A queries asked, the total time with the server silent (e.g. 20 s for a
 * short name with a pod's resolv.conf: 2 × 5 s for the first search domain, then 2 × 5 s as-is).
 *
 * Results as gai_strerror() words them: EAI_NONAME "Name or service not known" (every candidate
 * NXDOMAIN), EAI_NODATA "No address associated with hostname", EAI_AGAIN "Temporary failure in
 * name resolution" (timeouts, SERVFAIL, refused). Not modelled: the AAAA query glibc sends
 * alongside the A query for AF_UNSPEC (the simulator is IPv4-only, so only A is asked), CNAME
 * chains, `options rotate`/`single-request`/`edns0`, TCP fallback on truncation, nscd.
 */
import type { Ipv4 } from "../core/ip.js";
import { parseIpv4 } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";
import { DNS_TYPE, RCODE, dnsQuery } from "../wire/dns.js";
import type { DnsMessage } from "../wire/dns.js";
import { dnsExchange, dnsQueryId } from "../sock/dns-client.js";
import { lookupHosts, readResolvConf } from "../sock/resolv-conf.js";

export type GaiError = "EAI_NONAME" | "EAI_NODATA" | "EAI_AGAIN";

export type Resolution =
  | { readonly ok: true; /** ai_canonname: the name the address was found under. */ readonly canonical: string; readonly addrs: readonly Ipv4[] }
  | { readonly ok: false; readonly error: GaiError };

export const GAI_STRERROR: Readonly<Record<GaiError, string>> = {
  EAI_NONAME: "Name or service not known",
  EAI_NODATA: "No address associated with hostname",
  EAI_AGAIN: "Temporary failure in name resolution",
};

export interface StubConfig {
  readonly nameservers: readonly Ipv4[];
  readonly search: readonly string[];
  readonly ndots: number;
  readonly timeoutS: number;
  readonly attempts: number;
}

/** resolv.conf with glibc's defaults and limits (res_init.c: RES_MAXNDOTS, RES_MAXRETRANS, RES_MAXRETRY). */
export function stubConfig(ns: Netns): StubConfig {
  const rc = readResolvConf(ns);
  const cap = (v: number | undefined, dflt: number, max: number) => Math.min(v ?? dflt, max);
  return {
    nameservers: rc.nameservers.length > 0 ? rc.nameservers : [parseIpv4("127.0.0.1")!],
    search: rc.search,
    ndots: cap(rc.ndots, 1, 15),
    timeoutS: Math.max(1, cap(rc.timeout, 5, 30)),
    attempts: Math.max(1, cap(rc.attempts, 2, 5)),
  };
}

/** The names res_search tries, in order (without trailing dots). */
export function searchCandidates(name: string, cfg: Pick<StubConfig, "search" | "ndots">): { readonly names: readonly string[]; readonly asIs: number } {
  const absolute = name.endsWith(".");
  const bare = name.replace(/\.$/, "");
  const dots = (bare.match(/\./g) ?? []).length;
  if (absolute) return { names: [bare], asIs: 0 };
  const searched = cfg.search.map((d) => `${bare}.${d}`);
  return dots >= cfg.ndots ? { names: [bare, ...searched], asIs: 0 } : { names: [...searched, bare], asIs: searched.length };
}

/** What one res_query() came to. */
type QueryOutcome = { readonly kind: "answer"; readonly msg: DnsMessage } | { readonly kind: "servfail" } | { readonly kind: "timeout" } | { readonly kind: "refused" };

/** res_send(): each server in turn, `attempts` rounds. */
function resSend(ns: Netns, cfg: StubConfig, name: string, done: (o: QueryOutcome) => void): void {
  const n = cfg.nameservers.length;
  let gotSomewhere = false;
  let servfail = false;
  const step = (attempt: number, i: number): void => {
    if (i >= n) {
      if (attempt + 1 < cfg.attempts) step(attempt + 1, 0);
      // errno is ECONNREFUSED unless some server timed out (gotsomewhere), even after SERVFAILs.
      else done(!gotSomewhere ? { kind: "refused" } : servfail ? { kind: "servfail" } : { kind: "timeout" });
      return;
    }
    const seconds = Math.max(1, i > 0 ? Math.floor((cfg.timeoutS << i) / n) : cfg.timeoutS);
    const query = dnsQuery(dnsQueryId(ns), name, DNS_TYPE.A);
    dnsExchange(ns, cfg.nameservers[i]!, query, { timeoutMs: seconds * 1000, origin: `getaddrinfo ${name}`, recverr: true }, (r) => {
      if (r.kind === "reply") {
        const rc = r.msg.rcode;
        if (rc === RCODE.SERVFAIL || rc === RCODE.NOTIMP || rc === RCODE.REFUSED) servfail = true;
        else {
          done({ kind: "answer", msg: r.msg });
          return;
        }
      } else if (r.kind === "timeout") gotSomewhere = true;
      step(attempt, i + 1);
    });
  };
  step(0, 0);
}

/** getaddrinfo(name, AF_INET): calls `done` once, possibly much later in virtual time. */
export function getaddrinfo(ns: Netns, name: string, done: (r: Resolution) => void): void {
  const literal = parseIpv4(name);
  if (literal !== undefined) {
    done({ ok: true, canonical: name, addrs: [literal] });
    return;
  }
  const hosts = lookupHosts(ns, name);
  if (hosts.length > 0) {
    done({ ok: true, canonical: hosts[0]!.canonical, addrs: hosts.map((h) => h.addr) });
    return;
  }
  const cfg = stubConfig(ns);
  const { names, asIs } = searchCandidates(name, cfg);
  let gotNodata = false;
  let gotServfail = false;
  let stopSearch = false;
  // h_errno as the last query left it, and as the as-is query left it when that came first.
  let last: GaiError = "EAI_NONAME";
  let savedAsIs: GaiError | undefined;
  const next = (k: number): void => {
    // A timeout ends the search list; the name as-is is still tried if it has not been.
    while (k < names.length && stopSearch && k !== asIs) k++;
    if (k >= names.length) {
      done({ ok: false, error: savedAsIs ?? (gotNodata ? "EAI_NODATA" : gotServfail ? "EAI_AGAIN" : last) });
      return;
    }
    resSend(ns, cfg, names[k]!, (o) => {
      if (o.kind === "refused") return done({ ok: false, error: "EAI_AGAIN" });
      if (o.kind === "answer" && o.msg.rcode === RCODE.NOERROR) {
        const a = o.msg.answers.filter((r) => r.data.kind === "a");
        if (a.length > 0) return done({ ok: true, canonical: a[0]!.name, addrs: a.map((r) => (r.data as { addr: Ipv4 }).addr) });
      }
      last = o.kind === "answer" ? (o.msg.rcode === RCODE.NOERROR ? "EAI_NODATA" : "EAI_NONAME") : "EAI_AGAIN";
      if (o.kind === "servfail") gotServfail = true;
      if (last === "EAI_NODATA" && k !== asIs) gotNodata = true;
      if (o.kind === "timeout" && k !== asIs) stopSearch = true;
      if (k === 0 && asIs === 0) savedAsIs = last;
      next(k + 1);
    });
  };
  next(0);
}
