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
import { DiscardingTrace } from "../../src/trace/recorder.js";

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
      // --set-xmark with a full, partial or empty mask (--xor-mark), so old bits matter.
      { kind: "MARK", value: rng.int(0, 7), mask: pick(rng, [7, 3, 0, 0xffffffff]) },
      ...(table === "filter" ? [{ kind: "REJECT", with: "icmp-port-unreachable" } as const] : []),
      ...later.map((c): Target => ({ kind: "jump", chain: c, goto: rng.next() < 0.3 })),
    ];
    const r: Rule = {
      ...(rng.next() < 0.6 ? { dst: { addr: pick(rng, ADDRS), len: 32, neg: rng.next() < 0.1 } } : {}),
      ...(rng.next() < 0.3 ? { src: { addr: ipv4(pick(rng, ADDRS) & 0xffffff00), len: 24, neg: rng.next() < 0.3 } } : {}),
      ...(rng.next() < 0.3 ? { proto: { proto: pick(rng, [6, 17, 1]), neg: rng.next() < 0.2 } } : {}),
      ...(rng.next() < 0.05 ? { fragment: { neg: rng.next() < 0.5 } } : {}),
      ...(rng.next() < 0.2 ? { inIface: { name: pick(rng, ["eth", "eth0", "eth1"]), wildcard: rng.next() < 0.5, neg: rng.next() < 0.3 } } : {}),
      matches: [
        ...(rng.next() < 0.3 ? [{ module: "mark" as const, value: rng.int(0, 3), mask: 3, neg: rng.next() < 0.3 }] : []),
        ...(rng.next() < 0.2 ? [{ module: "tcp" as const, dport: { min: 80, max: rng.int(80, 90), neg: rng.next() < 0.2 } }] : []),
        ...(rng.next() < 0.1 ? [{ module: "udp" as const, sport: { min: 39990, max: rng.int(39990, 40010), neg: rng.next() < 0.3 }, dport: { min: 79, max: rng.int(79, 85), neg: false } }] : []),
        ...(rng.next() < 0.15 ? [{ module: "statistic" as const, mode: "random" as const, probability: rng.int(0, 0x7fffffff), neg: rng.next() < 0.2 }] : []),
        // A port test after the random draw: the draw must still happen first (the rule takes the match functions).
        ...(rng.next() < 0.05 ? [{ module: "tcp" as const, dport: { min: 80, max: 85, neg: false } }] : []),
        ...(rng.next() < 0.1 ? [{ module: "comment" as const, text: "c" }] : []),
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

/**
 * Runs every packet through both evaluators. `traced`: the packets carry a recording trace and
 * the steps are compared too; untraced, the compiled evaluator takes its fast paths (opcodes, no
 * Decision objects), which must reach the same verdicts, packets, marks and connections.
 */
function runBoth(rs: Ruleset, packets: readonly { hook: NfHook; skb: () => Omit<Skb, "trace" | "dev"> & { inDev?: string; outDev?: string } }[], seed: string, traced = true): { interp: Outcome[]; compiled: Outcome[]; indexed: number } {
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
      const trace = traced ? world.log.start("test", "packet", 0) : new DiscardingTrace();
      const skb: Skb = { pkt: s.pkt, pktType: s.pktType, mark: s.mark, trace, ...(inDev ? { dev: inDev } : {}) };
      const verdict = engine.hook(ns, p.hook, skb, inDev, outDev);
      const conn = skb.ct?.kind === "conn" ? skb.ct.conn : undefined;
      out[evaluator].push({ verdict, pkt: skb.pkt, mark: skb.mark, steps: trace.trace.hops, ...(conn ? { conn: { orig: conn.orig, reply: conn.reply, status: conn.status } } : {}) });
    }
    // Last, the counters every rule and policy collected (what iptables -L -v shows after the traffic).
    out[evaluator].push({ verdict: "counters", pkt: engine.counted(), mark: 0, steps: [] });
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
  const mark = rng.int(0, 15);
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
  for (const [table, traced] of [["filter", true], ["mangle", true], ["filter", false], ["mangle", false]] as const) {
    it(`on 60 random ${table} rulesets × 40 packets, ${traced ? "traced" : "untraced (the fast paths)"}`, () => {
      let indexed = 0;
      let steps = 0;
      for (let i = 0; i < 60; i++) {
        const rng = makeRng(`conformance/${table}/${i}`);
        const rs = randomTable(rng, table);
        const packets = Array.from({ length: 40 }, () => randomPacket(rng));
        const r = runBoth(rs, packets, `seed-${i}`, traced);
        expect(r.compiled).toEqual(r.interp);
        indexed += r.indexed;
        steps += r.interp.reduce((n, o) => n + JSON.stringify(o.steps).length, 0);
      }
      // The suite must exercise the index, and the traces must not be trivially empty.
      expect(indexed).toBeGreaterThan(100);
      if (traced) expect(steps).toBeGreaterThan(10_000);
    });
  }

  for (const traced of [true, false])
  it(`on kube-proxy-shaped nat tables (DNAT, masquerade marks, random endpoints), with the index serving KUBE-SERVICES, ${traced ? "traced" : "untraced"}`, () => {
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
    const r = runBoth(rs, packets, "kube", traced);
    expect(r.compiled).toEqual(r.interp);
    const dnats = r.interp.filter((o) => (o.pkt as { payload?: { dport?: number } }).payload?.dport === 8080).length;
    expect(dnats).toBeGreaterThan(100);
    expect(r.indexed).toBeGreaterThanOrEqual(200);
  });
});

describe("NAT bindings held in the compiled records", () => {
  /** Random nat tables of DNAT (PREROUTING/OUTPUT) and SNAT (POSTROUTING/INPUT) rules over every range form. */
  function natTable(rng: Rng): Ruleset {
    const range = () => {
      const ip = pick(rng, ADDRS);
      const ipForm = rng.int(0, 2); // none, one address, a range
      const portForm = rng.int(0, 2); // none, one port, a range
      const lo = rng.int(1000, 2000);
      return {
        ...(ipForm > 0 ? { minIp: ip, ...(ipForm === 2 ? { maxIp: ipv4(ip + rng.int(1, 3)) } : {}) } : {}),
        ...(portForm > 0 ? { minPort: lo, ...(portForm === 2 ? { maxPort: lo + rng.int(1, 9) } : {}) } : {}),
      };
    };
    const rules = (dnat: boolean): Rule[] =>
      Array.from({ length: rng.int(1, 6) }, (): Rule => ({
        ...(rng.next() < 0.5 ? { dst: { addr: pick(rng, ADDRS), len: 32, neg: false } } : {}),
        ...(rng.next() < 0.5 ? { proto: { proto: pick(rng, [6, 17]), neg: false } } : {}),
        matches: [],
        target: dnat
          ? { kind: "DNAT", to: range(), random: rng.next() < 0.3, persistent: rng.next() < 0.3 }
          : { kind: "SNAT", to: range(), random: rng.next() < 0.3, randomFully: rng.next() < 0.3, persistent: rng.next() < 0.3 },
        counters: ZERO_COUNTERS,
      }));
    const chain = (name: string, dnat: boolean): Chain => ({ name, builtin: true, policy: "ACCEPT", counters: ZERO_COUNTERS, rules: rules(dnat) });
    return { tables: [{ name: "nat", chains: [chain("PREROUTING", true), chain("INPUT", false), chain("OUTPUT", true), chain("POSTROUTING", false)] }] };
  }

  for (const traced of [true, false])
    it(`bind new connections exactly as the interpreter does, ${traced ? "traced" : "untraced"} (40 random nat tables × 40 packets)`, () => {
      let rewritten = 0;
      for (let i = 0; i < 40; i++) {
        const rng = makeRng(`conformance/nat/${i}`);
        const rs = natTable(rng);
        const packets = Array.from({ length: 40 }, () => randomPacket(rng));
        const r = runBoth(rs, packets, `nat-${i}`, traced);
        expect(r.compiled).toEqual(r.interp);
        rewritten += r.interp.filter((o) => (o as { conn?: { status: { srcNat: boolean; dstNat: boolean } } }).conn?.status.srcNat || (o as { conn?: { status: { dstNat: boolean } } }).conn?.status.dstNat).length;
      }
      // Most packets must really have been NATed, or the comparison proves little.
      expect(rewritten).toBeGreaterThan(300);
    });
});
