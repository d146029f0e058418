/**
 * Rule-evaluation benchmark: a new TCP connection's first packet through nat PREROUTING (conntrack
 * entry, KUBE-SERVICES lookup, the endpoint's random choice, DNAT binding and rewrite) on
 * kube-proxy-shaped rulesets of 100, 1,000 and 10,000 services × 5 endpoints
 * (bench/nf-ruleset.ts), for the reference interpreter and the compiled evaluator, in one run.
 * Steps are recorded into a sink that drops them, so the figure is the evaluation itself.
 * Output: a table on stdout and `.bench-out/nf.json`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import b from "benny";
import { buildWorld } from "../src/sim/build.js";
import type { WorldSpec } from "../src/netns/spec.js";
import { parseIpv4, ipv4 } from "../src/core/ip.js";
import { IptablesEngine } from "../src/netfilter/engine.js";
import type { Skb } from "../src/ipv4/skb.js";
import { DiscardingTrace } from "../src/trace/recorder.js";
import type { Netns } from "../src/netns/netns.js";
import { kubeProxyNat, serviceIp } from "./nf-ruleset.js";

const SIZES = [100, 1_000, 10_000] as const;
const BATCH = 256;

/** A trace handle that keeps nothing: the benchmark measures rule evaluation, not trace storage. */
const SINK = new DiscardingTrace();

function nodeSpec(): WorldSpec {
  return {
    name: "bench", file: "bench", seed: "1", segments: [{ name: "lan" }], probes: [],
    namespaces: [{
      name: "node", devices: [{ kind: "loopback", name: "lo", up: true }, { kind: "nic", name: "eth0", segment: "lan", up: true }],
      addresses: [{ dev: "eth0", addr: parseIpv4("10.0.2.15")!, len: 24, scope: "universe" }],
      routes: [], neighbours: [], fdb: [], sysctls: {}, listeners: [],
    }],
  };
}

interface Case {
  readonly services: number;
  readonly evaluator: "interp" | "compiled";
  readonly packetsPerSec: number;
  readonly rme: number;
}

function setup(services: number, evaluator: "interp" | "compiled"): () => void {
  const built = buildWorld(nodeSpec(), "1");
  if (!built.ok) throw new Error("bench world did not build");
  const ns: Netns = built.value.ns("node")!;
  const eth0 = ns.device("eth0")!;
  const engine = new IptablesEngine(ns, kubeProxyNat(services), { evaluator });
  let n = 0;
  const client = parseIpv4("10.244.1.2")!;
  return () => {
    for (let k = 0; k < BATCH; k++) {
      n++;
      // Spread over every service; a new source port each time makes every packet a new connection.
      const svc = (n * 7919) % services;
      const skb: Skb = {
        pkt: { kind: "ipv4", src: client, dst: ipv4(serviceIp(svc)), ttl: 64, id: 1, tos: 0, df: true, payload: { kind: "tcp", sport: 1024 + (n % 60000), dport: 80, seq: 1, ack: 0, flags: { syn: true }, data: "" } },
        trace: SINK, dev: eth0, pktType: "host", mark: 0,
      };
      const v = engine.hook(ns, "PREROUTING", skb, eth0, undefined);
      if (v.kind !== "accept" || skb.pkt.payload.kind !== "tcp" || skb.pkt.payload.dport !== 8080) throw new Error("the benchmark packet was not DNATed");
    }
  };
}

export async function runNfSuite(): Promise<void> {
  const cases: Case[] = [];
  for (const services of SIZES) {
    const interp = setup(services, "interp");
    const compiled = setup(services, "compiled");
    const summary = await b.suite(
      `nat PREROUTING, ${services} services`,
      b.add("interp", interp, { minSamples: 5, maxTime: services >= 10_000 ? 8 : 3 }),
      b.add("compiled", compiled, { minSamples: 5, maxTime: 3 }),
    );
    summary.results.forEach((r, i) => cases.push({ services, evaluator: i === 0 ? "interp" : "compiled", packetsPerSec: r.ops * BATCH, rme: r.margin }));
  }
  const rows = cases.map((c) => {
    const compiled = cases.find((x) => x.services === c.services && x.evaluator === "compiled")!;
    const base = cases.find((x) => x.services === 100 && x.evaluator === c.evaluator)!;
    return {
      services: c.services,
      evaluator: c.evaluator,
      "packets/s": Math.round(c.packetsPerSec).toLocaleString("en-US"),
      "±%": c.rme.toFixed(1),
      "vs compiled": (c.packetsPerSec / compiled.packetsPerSec).toFixed(4),
      "cost vs 100 svc": (base.packetsPerSec / c.packetsPerSec).toFixed(2),
    };
  });
  console.table(rows);
  mkdirSync(".bench-out", { recursive: true });
  writeFileSync(".bench-out/nf.json", JSON.stringify({ node: process.version, batch: BATCH, cases }, null, 2) + "\n");
}
