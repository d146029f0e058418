/**
 * A `dns` listener's answers: a name server for one cluster domain, as CoreDNS's kubernetes
 * plugin answers for `cluster.local` with kubeadm's Corefile (`pods insecure`, `ttl 30`;
 * plugin/kubernetes handler.go, parse.go, kubernetes.go findPods, plugin/backend_lookup.go
 * SOA/BackendError, request.SizeAndDo; served by miekg/dns). The listener binds UDP and TCP on
 * its port, as CoreDNS does :53; over TCP each message carries its two-octet length (RFC 1035
 * §4.2.2).
 *
 *   a name in `records`, type A     NOERROR, aa, the A records with TTL 30 (the plugin's `ttl`)
 *   such a name, another type       NOERROR, aa, no answer (NODATA), the zone's SOA in authority
 *   the apex, `svc.<domain>`, `pod.<domain>`, or a name above a record (an empty non-terminal:
 *   `default.svc.cluster.local`)    NODATA + SOA as well; SOA at the apex is answered
 *   `<a-b-c-d>.<ns>.pod.<domain>`   `pods insecure`: the A record a.b.c.d (TTL 30) for any such
 *                                   name whose namespace exists; `<ns>.pod.<domain>` is NODATA.
 *                                   A namespace exists here when some Service record is in it
 *                                   (the zone lists no namespaces of its own)
 *   any other name under the domain NXDOMAIN, aa, SOA in authority
 *   a name outside the domain       SERVFAIL. CoreDNS would forward it to the node's upstream
 *                                   resolvers (the `forward` plugin); forwarding is not
 *                                   modelled, so the answer is what CoreDNS gives when the
 *                                   upstream cannot be reached (SetRcode: qr, rd copied).
 *
 * The SOA is the plugin's: `<zone>. 30 IN SOA ns.dns.<zone>. hostmaster.<zone>. <serial> 7200
 * 1800 86400 30` (TTL min(ttl, 300)), `<zone>` spelled as the question spells it (handler.go
 * keeps the query's case), its serial the time the API objects last changed — nothing changes
 * during a run, so it is the virtual clock's start (VIRTUAL_EPOCH_S). Replies copy RD, never set
 * RA (the plugin does not recurse: dig warns "recursion requested but not available", nslookup
 * says "Got recursion not available"), and echo the client's OPT record as SizeAndDo reuses it:
 * the client's UDP size and DO bit, version 0, and of its options only the supported ones — the
 * COOKIE as the client sent it (CoreDNS makes no server cookie). Opcodes other than QUERY get
 * NOTIMP, a query without exactly one question FORMERR; octets that are not a DNS query get no
 * answer at all. Not modelled: truncation (TC) of replies larger than the client's UDP size,
 * DNSSEC, SRV/PTR/TXT, endpoint names of headless Services, IPv6 pod names, `ns.dns.<zone>`
 * addresses, the cache plugin.
 */
import type { DnsZoneSpec, ListenerSpec } from "../netns/spec.js";
import type { DnsMessage, DnsRecord, Edns } from "../wire/dns.js";
import { DNS_CLASS_IN, DNS_TYPE, EDNS_COOKIE, NO_FLAGS, RCODE, decodeDns, encodeDns, tcpFrame, tcpUnframe } from "../wire/dns.js";
import type { Ipv4 } from "../core/ip.js";
import { parseIpv4 } from "../core/ip.js";

/** 2024-01-01 00:00:00 UTC: the wall-clock time virtual time 0 stands for (dig's WHEN, the SOA serial). */
export const VIRTUAL_EPOCH_S = 1_704_067_200;

export const RECORD_TTL = 30;

export function zoneSoa(domain: string): DnsRecord {
  return {
    name: domain,
    type: DNS_TYPE.SOA,
    class: DNS_CLASS_IN,
    ttl: 30,
    data: { kind: "soa", mname: `ns.dns.${domain}`, rname: `hostmaster.${domain}`, serial: VIRTUAL_EPOCH_S, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 },
  };
}

/** The reply to one query, or undefined when the octets are not a query (no answer is sent). */
export function answerQuery(zone: DnsZoneSpec | undefined, query: DnsMessage): DnsMessage | undefined {
  if (query.flags.qr) return undefined;
  const reply = (rcode: number, aa: boolean, answers: readonly DnsRecord[] = [], authority: readonly DnsRecord[] = []): DnsMessage => {
    const edns = query.edns ? replyEdns(query.edns) : undefined;
    return {
      id: query.id,
      opcode: query.opcode,
      flags: { ...NO_FLAGS, qr: true, aa, rd: query.flags.rd },
      rcode,
      questions: query.questions.slice(0, 1),
      answers,
      authority,
      additional: [],
      ...(edns ? { edns } : {}),
    };
  };
  if (query.opcode !== 0) return reply(RCODE.NOTIMP, false);
  const q = query.questions[0];
  if (q === undefined || query.questions.length !== 1) return reply(RCODE.FORMERR, false);
  const domain = zone?.domain.toLowerCase().replace(/\.$/, "");
  const name = q.name.toLowerCase();
  if (zone === undefined || domain === undefined || !(name === domain || name.endsWith(`.${domain}`))) return reply(RCODE.SERVFAIL, false);
  // The zone as the question spells it (CoreDNS keeps the query's case).
  const soa = zoneSoa(q.name.slice(q.name.length - domain.length));
  const rel = name === domain ? [] : name.slice(0, -(domain.length + 1)).split(".");
  const addrs = Object.hasOwn(zone.records, name) ? zone.records[name] : podAddress(zone, domain, rel);
  if (addrs !== undefined) {
    if (q.type !== DNS_TYPE.A) return reply(RCODE.NOERROR, true, [], [soa]);
    // The owner name is the question's, as written (CoreDNS answers with state.QName()).
    return reply(RCODE.NOERROR, true, addrs.map((addr) => ({ name: q.name, type: DNS_TYPE.A, class: DNS_CLASS_IN, ttl: RECORD_TTL, data: { kind: "a", addr } })));
  }
  if (name === domain && q.type === DNS_TYPE.SOA) return reply(RCODE.NOERROR, true, [{ ...soa, name: q.name }]);
  const nonTerminal =
    name === domain ||
    Object.keys(zone.records).some((r) => r.endsWith(`.${name}`)) ||
    (rel.at(-1) === "pod" && (rel.length === 1 || (rel.length === 2 && namespaces(zone, domain).has(rel[0]!))));
  return reply(nonTerminal ? RCODE.NOERROR : RCODE.NXDOMAIN, true, [], [soa]);
}

/** The namespaces that exist, as far as the zone tells: those holding a Service (`<svc>.<ns>.svc.<domain>`). */
function namespaces(zone: DnsZoneSpec, domain: string): Set<string> {
  const out = new Set<string>();
  for (const r of Object.keys(zone.records)) {
    const labels = r.slice(0, -(domain.length + 1)).split(".");
    if (labels.length === 3 && labels[2] === "svc") out.add(labels[1]!);
  }
  return out;
}

/** findPods in `pods insecure` mode: `a-b-c-d.<ns>.pod` (labels below the domain) is a.b.c.d when the namespace exists. */
function podAddress(zone: DnsZoneSpec, domain: string, rel: readonly string[]): readonly Ipv4[] | undefined {
  if (rel.length !== 3 || rel[2] !== "pod" || !namespaces(zone, domain).has(rel[1]!)) return undefined;
  const pod = rel[0]!;
  if ((pod.match(/-/g) ?? []).length !== 3 || pod.includes("--")) return undefined;
  const addr = parseIpv4(pod.replaceAll("-", "."));
  return addr === undefined ? undefined : [addr];
}

/** SizeAndDo: the request's OPT record goes back with version 0 and only the options CoreDNS supports. */
function replyEdns(q: Edns): Edns {
  const supported = new Set([3 /* NSID */, 9 /* EXPIRE */, EDNS_COOKIE, 11 /* TCP keepalive */, 12 /* padding */]);
  return { udpSize: q.udpSize, version: 0, do: q.do, options: q.options.filter((o) => supported.has(o.code)) };
}

/** What a dns listener sends back for a datagram's payload (UDP) or a segment's data (TCP, framed). */
export function dnsListenerReply(l: ListenerSpec, payload: string, transport: "udp" | "tcp"): string | undefined {
  const octets = transport === "tcp" ? tcpUnframe(payload) : payload;
  if (octets === undefined) return undefined;
  const query = decodeDns(octets);
  if (query === undefined) return undefined;
  const reply = answerQuery(l.zone, query);
  if (reply === undefined) return undefined;
  const wire = encodeDns(reply);
  return transport === "tcp" ? tcpFrame(wire) : wire;
}
