/**
 * One rule-evaluation measurement in a fresh process (spawned by bench/nf.ts), compiled to
 * JavaScript first like the LPM worker (bench/tsconfig.worker.json: under tsx, V8 checks every
 * typed-array access for a detached buffer), so the interpreter and the compiled evaluator never
 * share a JIT's type feedback.
 *
 *   node .bench-out/js/bench/nf-worker.js '<json NfJob>'
 *
 * What one op is: BATCH new TCP connections' first packets (SYN from a pod to a ClusterIP:80,
 * spread over every service, a new source port each) through the nat PREROUTING hook — conntrack
 * lookup and a new entry, KUBE-SERVICES, the endpoint's random choice, the DNAT binding and the
 * packet's rewrite. Each packet is built just before its hook, so it is in cache as a packet that just
 * arrived would be (building it is part of the figure). Connections are never confirmed (that happens at INPUT or
 * POSTROUTING), so the conntrack table stays empty and every packet is a new connection.
 * Steps go to a trace that records nothing, as in a sweep; `podpath trace` pays for its steps.
 *
 * Prints one JSON line (NfResult) on stdout.
 */
import b from "benny";
import { buildWorld } from "../src/sim/build.js";
import { ipv4, parseIpv4 } from "../src/core/ip.js";
import { IptablesEngine } from "../src/netfilter/engine.js";
import type { Skb } from "../src/ipv4/skb.js";
import type { Ipv4Packet } from "../src/wire/packet.js";
import { DiscardingTrace } from "../src/trace/recorder.js";
import { kubeProxyNat, serviceIp } from "./nf-ruleset.js";
// The same one-host world the engine tests drive by hand.
import { oneNodeWorld } from "../test/netfilter/one-node.js";

export interface NfJob {
  readonly services: number;
  readonly evaluator: "interp" | "compiled";
  /** benny's maxTime, seconds. */
  readonly maxTime: number;
}

export interface NfResult {
  readonly services: number;
  readonly evaluator: "interp" | "compiled";
  readonly packetsPerSec: number;
  /** benny's relative margin of error, %. */
  readonly rme: number;
  readonly samples: number;
  /** Packets per benny op. */
  readonly batch: number;
}

const BATCH = 256;

const SINK = new DiscardingTrace();

async function run(job: NfJob): Promise<NfResult> {
  const built = buildWorld(oneNodeWorld(), "1");
  if (!built.ok) throw new Error("bench world did not build");
  const ns = built.value.ns("node")!;
  const eth0 = ns.device("eth0")!;
  const engine = new IptablesEngine(ns, kubeProxyNat(job.services), { evaluator: job.evaluator });
  const client = parseIpv4("10.244.1.2")!;
  const FLAGS = { syn: true };
  let n = 0;
  const op = (): void => {
    for (let k = 0; k < BATCH; k++) {
      n++;
      // Services in a scattered order (7919 is prime), so consecutive packets share no rules.
      const pkt: Ipv4Packet = {
        kind: "ipv4", src: client, dst: ipv4(serviceIp((n * 7919) % job.services)), ttl: 64, id: 1, tos: 0, df: true,
        payload: { kind: "tcp", sport: 1024 + (n % 60000), dport: 80, seq: 1, ack: 0, flags: FLAGS, data: "" },
      };
      const skb: Skb = { pkt, trace: SINK, dev: eth0, pktType: "host", mark: 0 };
      const v = engine.hook(ns, "PREROUTING", skb, eth0, undefined);
      if (v.kind !== "accept" || skb.pkt.payload.kind !== "tcp" || skb.pkt.payload.dport !== 8080) throw new Error("the benchmark packet was not DNATed");
    }
  };
  const summary = await b.suite(`nat PREROUTING, ${job.services} services, ${job.evaluator}`, b.add(job.evaluator, op, { minSamples: 5, maxTime: job.maxTime }));
  const r = summary.results[0]!;
  return { services: job.services, evaluator: job.evaluator, packetsPerSec: r.ops * BATCH, rme: r.margin, samples: r.samples, batch: BATCH };
}

const arg = process.argv[2];
if (arg !== undefined) {
  const out = await run(JSON.parse(arg) as NfJob);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
