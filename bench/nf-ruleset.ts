/**
 * kube-proxy-shaped nat tables for the rule-evaluation benchmark (research/kube-proxy.md §6):
 * PREROUTING → KUBE-SERVICES (one ClusterIP capture per service, then the NodePort catch-all),
 * KUBE-SVC-* (masquerade rule, then one statistic-random jump per endpoint: 1/5, 1/4, 1/3, 1/2,
 * rest), KUBE-SEP-* (hairpin mark, DNAT). Built as values, so the benchmark measures evaluation,
 * not parsing.
 */
import type { Chain, Match, Rule, Ruleset } from "../src/netfilter/rule.js";
import { ZERO_COUNTERS } from "../src/netfilter/rule.js";
import { ipv4 } from "../src/core/ip.js";

export const SERVICE_BASE = (10 << 24) | (96 << 16); // 10.96.0.0
export const ENDPOINTS_PER_SERVICE = 5;

const comment = (text: string): Match => ({ module: "comment", text });
const tcp = (dport?: number): Match => ({ module: "tcp", ...(dport !== undefined ? { dport: { min: dport, max: dport, neg: false } } : {}) });
const rule = (r: Omit<Rule, "counters">): Rule => ({ ...r, counters: ZERO_COUNTERS });
const chain = (name: string, rules: Rule[], builtin = false): Chain => ({ name, builtin, ...(builtin ? { policy: "ACCEPT" as const } : {}), counters: ZERO_COUNTERS, rules });

export function serviceIp(i: number): number {
  return (SERVICE_BASE + 1 + i) >>> 0;
}

export function kubeProxyNat(services: number, endpoints = ENDPOINTS_PER_SERVICE): Ruleset {
  const svcRules: Rule[] = [];
  const chains: Chain[] = [];
  for (let s = 0; s < services; s++) {
    const vip = serviceIp(s);
    const svc = `KUBE-SVC-${String(s).padStart(16, "0")}`;
    svcRules.push(rule({ dst: { addr: ipv4(vip), len: 32, neg: false }, proto: { proto: 6, neg: false }, matches: [comment(`ns/svc${s}:http cluster IP`), tcp(80)], target: { kind: "jump", chain: svc, goto: false } }));
    const lb: Rule[] = [
      rule({ src: { addr: ipv4(10 << 24 | 244 << 16), len: 16, neg: true }, dst: { addr: ipv4(vip), len: 32, neg: false }, proto: { proto: 6, neg: false }, matches: [comment(`ns/svc${s}:http cluster IP`), tcp(80)], target: { kind: "jump", chain: "KUBE-MARK-MASQ", goto: false } }),
    ];
    for (let e = 0; e < endpoints; e++) {
      const ep = ((10 << 24) | (244 << 16) | ((s % 250) << 8) | (e + 2)) >>> 0;
      const sep = `KUBE-SEP-${String(s).padStart(11, "0")}E${e}XXXX`;
      const left = endpoints - e;
      const stat: Match[] = left > 1 ? [{ module: "statistic", mode: "random", probability: Math.round(0x80000000 / left), neg: false }] : [];
      lb.push(rule({ matches: [comment(`ns/svc${s}:http -> ep${e}`), ...stat], target: { kind: "jump", chain: sep, goto: false } }));
      chains.push(
        chain(sep, [
          rule({ src: { addr: ipv4(ep), len: 32, neg: false }, matches: [comment(`ns/svc${s}:http`)], target: { kind: "jump", chain: "KUBE-MARK-MASQ", goto: false } }),
          rule({ proto: { proto: 6, neg: false }, matches: [comment(`ns/svc${s}:http`), tcp()], target: { kind: "DNAT", to: { minIp: ipv4(ep), maxIp: ipv4(ep), minPort: 8080, maxPort: 8080 }, random: false, persistent: false } }),
        ]),
      );
    }
    chains.push(chain(svc, lb));
  }
  svcRules.push(rule({ matches: [comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain"), { module: "addrtype", dstType: { values: ["LOCAL"], neg: false }, limitIfaceIn: false, limitIfaceOut: false }], target: { kind: "jump", chain: "KUBE-NODEPORTS", goto: false } }));
  const nat: Chain[] = [
    chain("PREROUTING", [rule({ matches: [comment("kubernetes service portals")], target: { kind: "jump", chain: "KUBE-SERVICES", goto: false } })], true),
    chain("INPUT", [], true),
    chain("OUTPUT", [rule({ matches: [comment("kubernetes service portals")], target: { kind: "jump", chain: "KUBE-SERVICES", goto: false } })], true),
    chain("POSTROUTING", [rule({ matches: [comment("kubernetes postrouting rules")], target: { kind: "jump", chain: "KUBE-POSTROUTING", goto: false } })], true),
    chain("KUBE-MARK-MASQ", [rule({ matches: [], target: { kind: "MARK", value: 0x4000, mask: 0x4000 } })]),
    chain("KUBE-NODEPORTS", []),
    chain("KUBE-POSTROUTING", [
      rule({ matches: [{ module: "mark", value: 0x4000, mask: 0x4000, neg: true }], target: { kind: "RETURN" } }),
      rule({ matches: [], target: { kind: "MARK", value: 0x4000, mask: 0 } }),
      rule({ matches: [comment("kubernetes service traffic requiring SNAT")], target: { kind: "MASQUERADE", random: false, randomFully: true } }),
    ]),
    chain("KUBE-SERVICES", svcRules),
    ...chains.sort((a, b) => (a.name < b.name ? -1 : 1)),
  ];
  return { tables: [{ name: "nat", chains: nat }] };
}
