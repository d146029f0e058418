/**
 * `kind: dns` listeners in a low-level scenario: the zone mapping is read into the spec (names
 * lower-cased, a single address or a list), and every mistake comes back as an issue with its
 * place and a message that says what was wrong.
 */
import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../../src/core/ip.js";
import { issuesOf, loadOk, ns, oneNs, stripAt } from "./helpers.js";

const host = (listeners: string) =>
  oneNs(`devices: { eth0: { type: nic, segment: lan } }\naddresses: { eth0: [10.0.0.53/24] }\nlisteners:\n${listeners}`);

describe("dns listeners", () => {
  it("reads the zone: domain, and each record name (lower-cased, trailing dot dropped) with its addresses", () => {
    const w = loadOk(
      host(`  - kind: dns
    port: 53
    zone:
      domain: cluster.local.
      records:
        Kubia.default.svc.cluster.local: 10.98.41.49
        web.default.svc.cluster.local.: [10.96.0.50, 10.96.0.51]`),
    );
    expect(stripAt(ns(w, "h").listeners)).toEqual([
      {
        kind: "dns",
        port: 53,
        body: "",
        zone: { domain: "cluster.local", records: { "kubia.default.svc.cluster.local": [parseIpv4("10.98.41.49")], "web.default.svc.cluster.local": [parseIpv4("10.96.0.50"), parseIpv4("10.96.0.51")] } },
      },
    ]);
  });

  it("a dns listener without a zone, and a zone on an http listener, are errors", () => {
    const issues = issuesOf(host(`  - { kind: dns, port: 53 }\n  - { kind: http, port: 80, zone: { domain: cluster.local, records: {} } }`));
    expect(issues.map((i) => [i.code, i.at.line, i.message])).toEqual([
      ["missing-key", 8, 'a dns listener needs a "zone" (domain and records)'],
      ["bad-value", 9, '"zone": only a dns listener has a zone, not a http listener'],
    ]);
  });

  it("reports a record outside the domain, a bad address and a bad name, each where it is written", () => {
    const issues = issuesOf(
      host(`  - kind: dns
    port: 53
    zone:
      domain: cluster.local
      records:
        kubia.example.com: 10.0.0.1
        kubia.default.svc.cluster.local: 10.0.0.300
        "bad name.cluster.local": 10.0.0.2`),
    );
    expect(issues.map((i) => [i.code, i.at.line, i.message])).toEqual([
      ["bad-value", 13, '"kubia.example.com": "kubia.example.com" is not under the zone\'s domain cluster.local'],
      ["expected-ipv4", 14, expect.stringContaining("10.0.0.300")],
      ["bad-value", 15, expect.stringContaining('"bad name.cluster.local" is not a DNS name')],
    ]);
  });

  it("takes both UDP and TCP on its port: a udp or an http listener on the same port clashes with it", () => {
    const issues = issuesOf(host(`  - { kind: dns, port: 53, zone: { domain: cluster.local, records: {} } }\n  - { kind: udp, port: 53, body: x }\n  - { kind: tcp, port: 53, body: y }`));
    expect(issues.map((i) => [i.code, i.at.line, i.message])).toEqual([
      ["listener-conflict", 9, expect.stringContaining("udp port 53 is already taken by a dns listener")],
      ["listener-conflict", 10, expect.stringContaining("tcp port 53 is already taken by a dns listener")],
    ]);
  });
});
