/**
 * One conformance suite for both rule evaluators (src/netfilter/eval/interp.ts, the reference
 * walk, and eval/compiled.ts, the indexed one): the same packets through the same rulesets must
 * give the same verdicts, the same rewritten packets and marks, and step-for-step the same
 * traces — on seeded random rulesets (user chains, jumps, gotos, RETURN, marks, policies, long
 * chains where the destination index applies) and on kube-proxy-shaped nat tables. The suite
 * also checks that the compiled evaluator's index really served the long chains.
 */
import { describe, expect, it } from "vitest";
import { buildWorld } from "../../src/sim/build.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { ipv4, parseIpv4 } from "../../src/core/ip.js";
import { makeRng } from "../../src/core/rng.js";
import type { Rng } from "../../src/core/rng.js";
import { IptablesEngine } from "../../src/netfilter/engine.js";
import type { Chain, Rule, Ruleset, Target } from "../../src/netfilter/rule.js";
import { ZERO_COUNTERS } from "../../src/netfilter/rule.js";
import type { NfHook } from "../../src/netfilter/hooks.js";
import type { Skb } from "../../src/ipv4/skb.js";
import { kubeProxyNat, serviceIp } from "../../bench/nf-ruleset.js";

function nodeSpec(): WorldSpec {
  return {
    name: "conformance", file: "conformance", seed: "1", segments: [{ name: "lan" }], probes: [],
    namespaces: [{
      name: "node", devices: [{ kind: "loopback", name: "lo", up: true }, { kind: "nic", name: "eth0", segment: "lan", up: true }, { kind: "nic", name: "eth1", segment: "lan", up: true }],
      addresses: [{ dev: "eth0", addr: parseIpv4("10.0.2.15")!, len: 24, scope: "universe" }, { dev: "eth1", addr: parseIpv4("192.168.56.101")!, len: 24, scope: "universe" }],
      routes: [], neighbours: [], fdb: [], sysctls: {}, listeners: [],
    }],
  };
}

const ADDRS = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.1.7", "10.96.0.10", "10.96.0.11", "10.96.0.12", "192.168.56.101", "10.0.2.15"].map((a) => parseIpv4(a)!);

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(0, xs.length - 1)]!;
}

/** A random acyclic ruleset in one table: chain i only jumps to chains after it. */
function randomTable(rng: Rng, table: "filter" | "mangle"): Ruleset {
  const users = ["U0", "U1", "U2", "U3"];
  const builtins = table === "filter" ? ["INPUT", "FORWARD", "OUTPUT"] : ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];
  const rule = (from: number): Rule => {
    const later = users.slice(from + 1);
    const targets: Target[] = [
      { kind: "ACCEPT" }, { kind: "DROP" }, { kind: "RETURN" },
      { kind: "MARK", value: rng.int(0, 7), mask: 7 },
      ...(table === "filter" ? [{ kind: "REJECT", with: "icmp-port-unreachable" } as const] : []),
      ...later.map((c): Target => ({ kind: "jump", chain: c, goto: rng.next() < 0.3 })),
    ];
    const r: Rule = {
      ...(rng.next() < 0.6 ? { dst: { addr: pick(rng, ADDRS), len: 32, neg: rng.next() < 0.1 } } : {}),
      ...(rng.next() < 0.3 ? { src: { addr: ipv4(pick(rng, ADDRS) & 0xffffff00), len: 24, neg: rng.next() < 0.3 } } : {}),
      ...(rng.next() < 0.3 ? { proto: { proto: pick(rng, [6, 17, 1]), neg: false } } : {}),
      ...(rng.next() < 0.2 ? { inIface: { name: pick(rng, ["eth", "eth0", "eth1"]), wildcard: rng.next() < 0.5, neg: rng.next() < 0.3 } } : {}),
      matches: [
        ...(rng.next() < 0.3 ? [{ module: "mark" as const, value: rng.int(0, 3), mask: 3, neg: rng.next() < 0.3 }] : []),
        ...(rng.next() < 0.2 ? [{ module: "tcp" as const, dport: { min: 80, max: rng.int(80, 90), neg: false } }] : []),
        ...(rng.next() < 0.15 ? [{ module: "statistic" as const, mode: "random" as const, probability: rng.int(0, 0x7fffffff), neg: false }] : []),
      ],
      ...(rng.next() < 0.9 ? { target: pick(rng, targets) } : {}),
      counters: ZERO_COUNTERS,
    };
    return r;
  };
  const chains: Chain[] = [
    ...builtins.map((name): Chain => ({ name, builtin: true, policy: rng.next() < 0.3 ? "DROP" : "ACCEPT", counters: ZERO_COUNTERS, rules: Array.from({ length: rng.int(0, 24) }, () => rule(-1)) })),
    ...users.map((name, i): Chain => ({ name, builtin: false, counters: ZERO_COUNTERS, rules: Array.from({ length: rng.int(0, 40) }, () => rule(i)) })),
  ];
  return { tables: [{ name: table, chains }] };
}

interface Outcome {
  readonly verdict: unknown;
  readonly pkt: unknown;
  readonly mark: number;
  readonly steps: unknown;
}

function runBoth(rs: Ruleset, packets: readonly { hook: NfHook; skb: () => Omit<Skb, "trace" | "dev"> & { inDev?: string; outDev?: string } }[], seed: string): { interp: Outcome[]; compiled: Outcome[]; indexed: number } {
  const out = { interp: [] as Outcome[], compiled: [] as Outcome[], indexed: 0 };
  for (const evaluator of ["interp", "compiled"] as const) {
    const built = buildWorld(nodeSpec(), seed);
    if (!built.ok) throw new Error("world");
    const world = built.value;
    const ns = world.ns("node")!;
    const engine = new IptablesEngine(ns, rs, { evaluator });
    for (const p of packets) {
      const s = p.skb();
      const inDev = s.inDev ? ns.device(s.inDev) : undefined;
      const outDev = s.outDev ? ns.device(s.outDev) : undefined;
      const trace = world.log.start("test", "packet", 0);
      const skb: Skb = { pkt: s.pkt, pktType: s.pktType, mark: s.mark, trace, ...(inDev ? { dev: inDev } : {}) };
      const verdict = engine.hook(ns, p.hook, skb, inDev, outDev);
      out[evaluator].push({ verdict, pkt: skb.pkt, mark: skb.mark, steps: trace.trace.hops });
    }
    if (evaluator === "compiled") out.indexed = [...engine.tables.values()].reduce((n, t) => n + t.stats.indexedVisits, 0);
  }
  return out;
}

function randomPacket(rng: Rng): { hook: NfHook; skb: () => Omit<Skb, "trace" | "dev"> & { inDev?: string; outDev?: string } } {
  const hook = pick(rng, ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"] as const);
  const src = pick(rng, ADDRS);
  const dst = pick(rng, ADDRS);
  const proto = pick(rng, ["tcp", "udp", "icmp"] as const);
  const dport = rng.int(79, 91);
  const inDev = hook === "OUTPUT" || hook === "POSTROUTING" ? undefined : pick(rng, ["eth0", "eth1"]);
  const outDev = hook === "PREROUTING" || hook === "INPUT" ? undefined : pick(rng, ["eth0", "eth1"]);
  const mark = rng.int(0, 3);
  return {
    hook,
    skb: () => ({
      pkt: {
        kind: "ipv4", src, dst, ttl: 64, id: 1, tos: 0, df: true,
        payload: proto === "tcp" ? { kind: "tcp", sport: 40000, dport, seq: 1, ack: 0, flags: { syn: true }, data: "" } : proto === "udp" ? { kind: "udp", sport: 40000, dport, data: "x" } : { kind: "icmp", type: 8, code: 0, id: 7, seq: 1, dataLen: 56 },
      },
      pktType: "host", mark,
      ...(inDev ? { inDev } : {}),
      ...(outDev ? { outDev } : {}),
    }),
  };
}

describe("interpreter and compiled evaluator agree", () => {
  for (const table of ["filter", "mangle"] as const) {
    it(`on 60 random ${table} rulesets × 40 packets`, () => {
      let indexed = 0;
      let steps = 0;
      for (let i = 0; i < 60; i++) {
        const rng = makeRng(`conformance/${table}/${i}`);
        const rs = randomTable(rng, table);
        const packets = Array.from({ length: 40 }, () => randomPacket(rng));
        const r = runBoth(rs, packets, `seed-${i}`);
        expect(r.compiled).toEqual(r.interp);
        indexed += r.indexed;
        steps += r.interp.reduce((n, o) => n + JSON.stringify(o.steps).length, 0);
      }
      // The suite must exercise the index, and the traces must not be trivially empty.
      expect(indexed).toBeGreaterThan(100);
      expect(steps).toBeGreaterThan(10_000);
    });
  }

  it("on kube-proxy-shaped nat tables (DNAT, masquerade marks, random endpoints), with the index serving KUBE-SERVICES", () => {
    const rs = kubeProxyNat(40);
    const client = parseIpv4("10.244.1.2")!;
    const packets = Array.from({ length: 200 }, (_, n) => ({
      hook: (n % 3 === 0 ? "OUTPUT" : "PREROUTING") as NfHook,
      skb: () => ({
        pkt: { kind: "ipv4" as const, src: n % 5 === 0 ? parseIpv4("10.0.2.15")! : client, dst: ipv4(n % 7 === 0 ? parseIpv4("10.0.2.15")! : serviceIp(n % 41)), ttl: 64, id: 1, tos: 0, df: true, payload: { kind: "tcp" as const, sport: 30000 + n, dport: n % 11 === 0 ? 81 : 80, seq: 1, ack: 0, flags: { syn: true }, data: "" } },
        pktType: "host" as const, mark: 0,
        ...(n % 3 === 0 ? { outDev: "eth0" } : { inDev: "eth0" }),
      }),
    }));
    const r = runBoth(rs, packets, "kube");
    expect(r.compiled).toEqual(r.interp);
    const dnats = r.interp.filter((o) => JSON.stringify(o.steps).includes('"what":"DNAT"')).length;
    expect(dnats).toBeGreaterThan(100);
    expect(r.indexed).toBeGreaterThanOrEqual(200);
  });
});
