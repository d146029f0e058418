/**
 * kube-proxy's load balancing through the engine: `statistic --mode random` with the kernel's
 * 31-bit probabilities (0.3333333333 → 715827883/2^31, 0.5 → 2^30, then unconditional), sampled
 * from the seed, enumerated with exact branch probabilities, and pinned with --choose.
 */
import { describe, expect, it } from "vitest";
import { buildWorld } from "../../src/sim/build.js";
import { oneNodeWorld } from "./one-node.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { formatIpv4, ipv4, parseIpv4 } from "../../src/core/ip.js";
import { IptablesEngine } from "../../src/netfilter/engine.js";
import { PinChooser, SampleChooser, parsePin, pinnedRules } from "../../src/netfilter/choice.js";
import type { Skb } from "../../src/ipv4/skb.js";
import { DiscardingTrace } from "../../src/trace/recorder.js";
import { enumerate } from "../../src/sim/enumerate.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { kubeProxyNat, serviceIp } from "../../bench/nf-ruleset.js";

const P1 = Math.round(0x80000000 / 3) / 0x80000000;
const EXPECTED = [P1, (1 - P1) / 2, (1 - P1) / 2];


/** Sends `n` new connections to the service through PREROUTING; counts the endpoints chosen. */
function sample(n: number, seed: string, chooser?: (w: ReturnType<typeof buildWorld> & { ok: true }) => void): Map<string, number> {
  const built = buildWorld(oneNodeWorld(), seed);
  if (!built.ok) throw new Error("world");
  const ns = built.value.ns("node")!;
  chooser?.(built);
  const eth0 = ns.device("eth0")!;
  const engine = new IptablesEngine(ns, kubeProxyNat(1, 3));
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const skb: Skb = {
      pkt: { kind: "ipv4", src: parseIpv4("10.244.1.2")!, dst: ipv4(serviceIp(0)), ttl: 64, id: 1, tos: 0, df: true, payload: { kind: "tcp", sport: 10000 + i, dport: 80, seq: 1, ack: 0, flags: { syn: true }, data: "" } },
      trace: new DiscardingTrace(), dev: eth0, pktType: "host", mark: 0,
    };
    expect(engine.hook(ns, "PREROUTING", skb, eth0, undefined)).toEqual({ kind: "accept" });
    const to = formatIpv4(skb.pkt.dst);
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

describe("statistic --mode random, kube-proxy's three endpoints", () => {
  it("3,000 sampled connections with a fixed seed give each endpoint 1/3 ± 3%", () => {
    const counts = sample(3000, "kube-sample");
    expect([...counts.keys()].sort()).toEqual(["10.244.0.2", "10.244.0.3", "10.244.0.4"]);
    for (const c of counts.values()) expect(Math.abs(c / 3000 - 1 / 3)).toBeLessThan(0.03);
    // Same seed, same draws.
    expect(sample(3000, "kube-sample")).toEqual(counts);
  });

  it("--choose pins the branch to one KUBE-SEP chain, every time", () => {
    const sep = "KUBE-SEP-00000000000E1XXXX";
    const pinned = pinnedRules(kubeProxyNat(1, 3), parsePin(sep)!)!;
    const counts = sample(50, "pin", (b) => {
      b.value.chooser = new PinChooser(pinned, new SampleChooser(b.value.rng.fork("statistic")));
    });
    expect([...counts]).toEqual([["10.244.0.3", 50]]);
  });

  it("enumerate mode finds exactly three branches, at the kernel's exact probabilities", () => {
    const loaded = loadScenarioFile("scenarios/lowlevel/ip-forward-off.yaml");
    if (!loaded.ok) throw new Error("scenario");
    // The router DNATs the service to the server's three ports… all of them 80 here: the branches differ in the chain taken.
    const rs = kubeProxyNat(1, 3);
    const spec: WorldSpec = { ...loaded.value, namespaces: loaded.value.namespaces.map((n) => (n.name === "router" ? { ...n, sysctls: { "net.ipv4.ip_forward": "1" }, iptables: { ruleset: rs, text: "", file: "t" } } : n)) };
    const e = enumerate(spec, "client", `curl -sS -m 1 http://${formatIpv4(serviceIp(0))}`, { seed: "1" });
    expect(e.truncated).toBe(false);
    expect(e.branches.map((b) => b.probability)).toEqual(EXPECTED);
    expect(e.branches.map((b) => b.decisions.map((d) => `${d.site.chain}:${d.site.rule}:${d.taken}`))).toEqual([
      ["KUBE-SVC-0000000000000000:2:true"],
      ["KUBE-SVC-0000000000000000:2:false", "KUBE-SVC-0000000000000000:3:true"],
      ["KUBE-SVC-0000000000000000:2:false", "KUBE-SVC-0000000000000000:3:false"],
    ]);
    const dnat = e.branches.map((b) => JSON.stringify(b.run.traces).match(/"to":"(10\.244\.0\.\d+):8080"/)?.[1]);
    expect(dnat).toEqual(["10.244.0.2", "10.244.0.3", "10.244.0.4"]);
  });
});
