/**
 * printIptablesSave() / formatRule(): the kernel's printed form, checked against the text
 * research/kube-proxy.md §10.3 recorded from the real iptables-save, the probability table of §9,
 * and hand-built Rules (what the trace prints).
 */
import { describe, expect, test } from "vitest";
import { ipv4, parseIpv4 } from "../../../src/core/ip.js";
import type { Rule } from "../../../src/netfilter/rule.js";
import { ZERO_COUNTERS } from "../../../src/netfilter/rule.js";
import { formatProbability, formatRule, parseIptablesSave, printIptablesSave, probabilityToFixed } from "../../../src/netfilter/syntax/index.js";
import { iptablesSave } from "../../../src/views/iptables-save.js";
import { CORPUS, readText } from "./corpus.js";

const ip = (s: string): ReturnType<typeof ipv4> => parseIpv4(s) ?? ipv4(0);

/** `iptables-save -t nat` for §10.3 as research/kube-proxy.md recorded it (date lines removed). */
const RESEARCH_10_3_NAT = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-EXT-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-2RIJ5GIYXEFH6G4D - [0:0]
:KUBE-SEP-AFGSLHOD2HFNCBX4 - [0:0]
:KUBE-SEP-THARIHPKCFHZIRHI - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http" -m tcp --dport 30080 -j KUBE-EXT-CDGGSHYLG3RE2FKL
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-2RIJ5GIYXEFH6G4D -s 10.244.2.7/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-2RIJ5GIYXEFH6G4D -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.2.7:8080
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -s 10.244.1.5/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.1.5:8080
-A KUBE-SEP-THARIHPKCFHZIRHI -s 10.244.2.9/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-THARIHPKCFHZIRHI -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.2.9:8080
-A KUBE-SERVICES -d 10.96.0.100/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-CDGGSHYLG3RE2FKL ! -s 10.244.0.0/16 -d 10.96.0.100/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-AFGSLHOD2HFNCBX4
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.7:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-2RIJ5GIYXEFH6G4D
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.9:8080" -j KUBE-SEP-THARIHPKCFHZIRHI
COMMIT
`;

describe("the kernel's form", () => {
  const parsed = parseIptablesSave(readText(`${CORPUS}/good/kube-proxy-10-3.rules`), "10-3");

  test("research §10.3: kube-proxy's restore input prints as the real iptables-save printed it", () => {
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(iptablesSave(parsed.value, { table: "nat" })).toBe(RESEARCH_10_3_NAT);
  });

  test("research §10.3: the two filter rules it quotes", () => {
    if (!parsed.ok) return;
    const text = iptablesSave(parsed.value, { table: "filter" });
    expect(text).toContain(
      '-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment "default/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n',
    );
    expect(text).toContain(
      '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n',
    );
  });

  test("the date lines only when a date is given", () => {
    const rs = parseIptablesSave("*raw\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n", "r");
    if (!rs.ok) throw new Error("parse");
    expect(printIptablesSave(rs.value)).toBe("*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n");
    expect(printIptablesSave(rs.value, { generatedOn: "Sat Nov 21 09:38:24 2026" })).toBe(
      "# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 09:38:24 2026\n*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n# Completed on Sat Nov 21 09:38:24 2026\n",
    );
  });

  test("tables in the backend's order, whatever order they were loaded in", () => {
    const rs = parseIptablesSave("*nat\n:INPUT ACCEPT [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n*raw\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n*mangle\n:INPUT ACCEPT [0:0]\nCOMMIT\n", "r");
    if (!rs.ok) throw new Error("parse");
    expect(printIptablesSave(rs.value).split("\n").filter((l) => l.startsWith("*"))).toEqual(["*mangle", "*raw", "*filter", "*nat"]);
  });
});

describe("probabilities", () => {
  test("research §9's round-trip table: 10-decimal input, 11-decimal kernel output", () => {
    const table: [number, string][] = [
      [1.0, "1.00000000000"], [0.5, "0.50000000000"], [0.3333333333, "0.33333333349"], [0.25, "0.25000000000"],
      [0.2, "0.20000000019"], [0.1666666667, "0.16666666651"], [0.1428571429, "0.14285714272"], [0.1, "0.10000000009"],
      [0.01, "0.00999999978"], [0.001, "0.00100000016"], [0.0004882812, "0.00048828125"], [0.0004882813, "0.00048828125"],
      [0.00001, "0.00001000008"],
    ];
    for (const [p, text] of table) expect(formatProbability(probabilityToFixed(p)), `${p}`).toBe(text);
  });

  test("ties round half to even, as glibc's %.11f does (JS toFixed would round up)", () => {
    // 2^-12 = 0.000244140625 exactly: the 12th decimal is a lone 5.
    expect(formatProbability(probabilityToFixed(0.000244140625))).toBe("0.00024414062");
    expect((2 ** -12).toFixed(11)).toBe("0.00024414063");
  });
});

describe("formatRule on built Rules (what the trace prints)", () => {
  const base: Rule = { matches: [], counters: ZERO_COUNTERS };

  test("header, matches and target in the kernel's order", () => {
    const r: Rule = {
      ...base,
      proto: { proto: 6, neg: false },
      dst: { addr: ip("10.96.0.100"), len: 32, neg: false },
      src: { addr: ip("10.244.0.0"), len: 16, neg: true },
      inIface: { name: "cni", wildcard: true, neg: false },
      matches: [
        { module: "comment", text: "default/web:http cluster IP" },
        { module: "tcp", dport: { min: 80, max: 80, neg: false } },
      ],
      target: { kind: "jump", chain: "KUBE-MARK-MASQ", goto: false },
    };
    expect(formatRule("KUBE-SVC-X", r)).toBe(
      '-A KUBE-SVC-X ! -s 10.244.0.0/16 -d 10.96.0.100/32 -i cni+ -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    );
  });

  test("tcp matches merge as iptables-nft prints them back", () => {
    const r: Rule = {
      ...base,
      proto: { proto: 6, neg: false },
      matches: [
        { module: "tcp", sport: { min: 0, max: 1023, neg: true } },
        { module: "comment", text: "x" },
        { module: "tcp", dport: { min: 80, max: 80, neg: false } },
      ],
      target: { kind: "REJECT", with: "tcp-reset" },
    };
    expect(formatRule("INPUT", r)).toBe("-A INPUT -p tcp -m tcp --sport 1024:65535 --dport 80 -m comment --comment x -j REJECT --reject-with tcp-reset");
  });

  test("a rule with no target, a goto, MARK and DNAT", () => {
    expect(formatRule("X", base)).toBe("-A X");
    expect(formatRule("X", { ...base, target: { kind: "jump", chain: "Y", goto: true } })).toBe("-A X -g Y");
    expect(formatRule("X", { ...base, target: { kind: "MARK", value: 0x4000, mask: 0x4000 } })).toBe("-A X -j MARK --set-xmark 0x4000/0x4000");
    expect(
      formatRule("X", { ...base, proto: { proto: 17, neg: false }, target: { kind: "DNAT", to: { minIp: ip("10.0.0.1"), maxIp: ip("10.0.0.1"), minPort: 53, maxPort: 53 }, random: false, persistent: false } }),
    ).toBe("-A X -p udp -j DNAT --to-destination 10.0.0.1:53");
  });
});
