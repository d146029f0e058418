/**
 * The DNS pieces under the tools: the wire codec, what a `dns` listener answers (CoreDNS's
 * kubernetes plugin), and the order of names the two resolvers try.
 */
import { describe, expect, it } from "vitest";
import { parseIpv4, type Ipv4 } from "../../src/core/ip.js";
import type { DnsZoneSpec } from "../../src/netns/spec.js";
import { DNS_TYPE, RCODE, decodeDns, dnsQuery, encodeDns, tcpFrame, tcpUnframe } from "../../src/wire/dns.js";
import { answerQuery } from "../../src/sock/dns-server.js";
import { parseResolvConf } from "../../src/sock/resolv-conf.js";
import { searchCandidates } from "../../src/apps/resolver.js";
import { bindCandidates } from "../../src/apps/dighost.js";

const ip = (s: string): Ipv4 => parseIpv4(s)!;
const zone: DnsZoneSpec = { domain: "cluster.local", records: { "kubia.default.svc.cluster.local": [ip("10.98.41.49")] } };
const ask = (name: string, type: number = DNS_TYPE.A) => answerQuery(zone, dnsQuery(7, name, type))!;

describe("wire/dns", () => {
  it("round-trips a query; its size is RFC 1035's (12 + name + 4)", () => {
    const q = dnsQuery(0x1234, "kubia.default.svc.cluster.local", DNS_TYPE.A);
    const octets = encodeDns(q);
    expect(octets.length).toBe(12 + 33 + 4);
    expect(decodeDns(octets)).toEqual(q);
  });

  it("reads compressed names (a pointer back to the question)", () => {
    const q = encodeDns(dnsQuery(1, "a.example", DNS_TYPE.A));
    // Header with ANCOUNT 1, then an A record whose owner is a pointer to offset 12.
    const hdr = "\x00\x01\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00";
    const answer = "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x1e\x00\x04\x0a\x00\x00\x01";
    const m = decodeDns(hdr + q.slice(12) + answer);
    expect(m?.answers).toEqual([{ name: "a.example", type: 1, class: 1, ttl: 30, data: { kind: "a", addr: ip("10.0.0.1") } }]);
  });

  it("malformed octets decode to undefined, never throw (short header, pointer loop, truncated record)", () => {
    expect(decodeDns("\x00\x01")).toBeUndefined();
    expect(decodeDns("\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01")).toBeUndefined();
    expect(decodeDns(encodeDns(ask("kubia.default.svc.cluster.local")).slice(0, -2))).toBeUndefined();
  });

  it("frames messages on a TCP stream and waits for the whole one", () => {
    const m = encodeDns(dnsQuery(3, "x.cluster.local", DNS_TYPE.A));
    const framed = tcpFrame(m);
    expect(framed.length).toBe(m.length + 2);
    expect(tcpUnframe(framed.slice(0, 10))).toBeUndefined();
    expect(tcpUnframe(framed)).toBe(m);
  });
});

describe("a dns listener's answers (CoreDNS kubernetes plugin)", () => {
  it("a known name: NOERROR, aa, the A record with TTL 30, RD copied, RA not set", () => {
    const r = ask("Kubia.Default.svc.cluster.local");
    expect(r.rcode).toBe(RCODE.NOERROR);
    expect(r.flags).toMatchObject({ qr: true, aa: true, rd: true, ra: false });
    expect(r.answers).toEqual([{ name: "Kubia.Default.svc.cluster.local", type: 1, class: 1, ttl: 30, data: { kind: "a", addr: ip("10.98.41.49") } }]);
  });

  it("another type for a known name is NODATA with the SOA", () => {
    const r = ask("kubia.default.svc.cluster.local", DNS_TYPE.AAAA);
    expect([r.rcode, r.answers.length, r.authority.map((a) => a.type)]).toEqual([RCODE.NOERROR, 0, [DNS_TYPE.SOA]]);
  });

  it("a name above a record is an empty non-terminal (NODATA), an unknown one NXDOMAIN, both with the SOA", () => {
    expect(ask("svc.cluster.local").rcode).toBe(RCODE.NOERROR);
    const nx = ask("nosuch.default.svc.cluster.local");
    expect(nx.rcode).toBe(RCODE.NXDOMAIN);
    expect(nx.authority[0]?.data).toEqual({ kind: "soa", mname: "ns.dns.cluster.local", rname: "hostmaster.cluster.local", serial: 1704067200, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 });
  });

  it("answers SOA at the apex; a name outside the domain is SERVFAIL (forwarding not modelled)", () => {
    expect(ask("cluster.local", DNS_TYPE.SOA).answers.map((a) => a.type)).toEqual([DNS_TYPE.SOA]);
    expect(ask("example.com").rcode).toBe(RCODE.SERVFAIL);
  });

  it("pods insecure: a dashed address under <ns>.pod answers with that address when the namespace exists", () => {
    const pod = ask("10-244-3-20.default.pod.cluster.local");
    expect([pod.rcode, pod.flags.aa, pod.answers]).toEqual([RCODE.NOERROR, true, [{ name: "10-244-3-20.default.pod.cluster.local", type: 1, class: 1, ttl: 30, data: { kind: "a", addr: ip("10.244.3.20") } }]]);
    expect(ask("10-244-3-20.nosuchns.pod.cluster.local").rcode).toBe(RCODE.NXDOMAIN);
    expect(ask("blah.default.pod.cluster.local").rcode).toBe(RCODE.NXDOMAIN);
    expect(ask("10--244-3-20.default.pod.cluster.local").rcode).toBe(RCODE.NXDOMAIN);
    // pod.<zone> and an existing namespace under it are NODATA, as parse.go/findPods have them.
    expect([ask("pod.cluster.local").rcode, ask("default.pod.cluster.local").rcode]).toEqual([RCODE.NOERROR, RCODE.NOERROR]);
    expect(ask("10-244-3-20.default.pod.cluster.local", DNS_TYPE.AAAA)).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
  });

  it("the SOA names the zone as the question spells it", () => {
    const soa = ask("NOSUCH.default.svc.CLUSTER.Local").authority[0];
    expect(soa).toMatchObject({ name: "CLUSTER.Local", data: { mname: "ns.dns.CLUSTER.Local", rname: "hostmaster.CLUSTER.Local" } });
  });

  it("echoes the client's OPT record as it came (UDP size, DO), keeping only supported options", () => {
    const q = dnsQuery(9, "kubia.default.svc.cluster.local", DNS_TYPE.A, { edns: { udpSize: 400, version: 0, do: true, options: [{ code: 8, data: "subnet" }, { code: 10, data: "12345678" }] } });
    expect(answerQuery(zone, q)?.edns).toEqual({ udpSize: 400, version: 0, do: true, options: [{ code: 10, data: "12345678" }] });
  });

  it("echoes EDNS with the client's cookie; other opcodes get NOTIMP; responses get no answer", () => {
    const q = dnsQuery(9, "kubia.default.svc.cluster.local", DNS_TYPE.A, { edns: { udpSize: 1232, version: 0, do: false, options: [{ code: 10, data: "12345678" }] } });
    expect(answerQuery(zone, q)?.edns).toEqual({ udpSize: 1232, version: 0, do: false, options: [{ code: 10, data: "12345678" }] });
    expect(answerQuery(zone, { ...q, opcode: 2 })?.rcode).toBe(RCODE.NOTIMP);
    expect(answerQuery(zone, { ...q, flags: { ...q.flags, qr: true } })).toBeUndefined();
  });
});

describe("resolv.conf and the order of names", () => {
  const conf = parseResolvConf("# kubelet\nsearch default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 10.0.0.4\noptions ndots:5 timeout:2\n");

  it("reads up to three nameservers, the search list and the options written", () => {
    expect(conf).toEqual({ present: true, nameservers: [ip("10.96.0.10"), ip("10.0.0.2"), ip("10.0.0.3")], search: ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], ndots: 5, timeout: 2 });
  });

  it("glibc: search list first below ndots, then as-is; as-is first at or above ndots; an absolute name alone", () => {
    const cfg = { search: conf.search, ndots: 5 };
    expect(searchCandidates("kubia", cfg).names).toEqual(["kubia.default.svc.cluster.local", "kubia.svc.cluster.local", "kubia.cluster.local", "kubia"]);
    expect(searchCandidates("a.b.c.d.e.f", cfg).names[0]).toBe("a.b.c.d.e.f");
    expect(searchCandidates("kubia.default.svc.cluster.local.", cfg).names).toEqual(["kubia.default.svc.cluster.local"]);
  });

  it("BIND: the same below ndots with the search list on, otherwise the name alone", () => {
    expect(bindCandidates("kubia", { useSearch: true, ndots: 5, search: conf.search })).toEqual(["kubia.default.svc.cluster.local", "kubia.svc.cluster.local", "kubia.cluster.local", "kubia"]);
    expect(bindCandidates("kubia", { useSearch: false, ndots: 5, search: conf.search })).toEqual(["kubia"]);
    expect(bindCandidates("a.b.c.d.e.f", { useSearch: true, ndots: 5, search: conf.search })).toEqual(["a.b.c.d.e.f"]);
  });
});
