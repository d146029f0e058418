/**
 * The generated rules drive the simulator: loaded into an IptablesEngine a new connection to the
 * ClusterIP is DNATed to one of the three endpoints (each drawn about 1/3 of the time, marked
 * for masquerade only from outside the cluster CIDR), and in the three-endpoint scenario with the
 * node's hand-written rules replaced by generated ones, curl from a pod reaches each endpoint on
 * one branch, at the kernel's probabilities.
 */
import { describe, expect, it } from "vitest";
import { formatIpv4, parseIpv4 } from "../../../src/core/ip.js";
import type { Skb } from "../../../src/ipv4/skb.js";
import { formatKubeProxyIssue, kubeProxyTables } from "../../../src/k8s/kube-proxy/index.js";
import { IptablesEngine } from "../../../src/netfilter/engine.js";
import type { WorldSpec } from "../../../src/netns/spec.js";
import { loadScenarioFile } from "../../../src/scenario/load.js";
import { buildWorld } from "../../../src/sim/build.js";
import { enumerate } from "../../../src/sim/enumerate.js";
import { DiscardingTrace } from "../../../src/trace/recorder.js";
import { oneNodeWorld } from "../../netfilter/one-node.js";
import { threeEndpoints } from "./inputs.js";

function tables() {
  const t = kubeProxyTables(threeEndpoints, { file: "generated" });
  if (!t.ok) throw new Error(t.issues.map(formatKubeProxyIssue).join("\n"));
  return t.value;
}

/** `n` new TCP connections from `src` to 10.96.0.50:80 through nat PREROUTING: where each went, and its mark. */
function connect(src: string, n: number, seed = "kube-proxy-builder"): { to: string; mark: number }[] {
  const built = buildWorld(oneNodeWorld(), seed);
  if (!built.ok) throw new Error("world");
  const ns = built.value.ns("node")!;
  const eth0 = ns.device("eth0")!;
  const engine = new IptablesEngine(ns, tables().nodeRuleset);
  const out: { to: string; mark: number }[] = [];
  for (let i = 0; i < n; i++) {
    const skb: Skb = {
      pkt: { kind: "ipv4", src: parseIpv4(src)!, dst: parseIpv4("10.96.0.50")!, ttl: 64, id: 1, tos: 0, df: true, payload: { kind: "tcp", sport: 20000 + i, dport: 80, seq: 1, ack: 0, flags: { syn: true }, data: "" } },
      trace: new DiscardingTrace(), dev: eth0, pktType: "host", mark: 0,
    };
    expect(engine.hook(ns, "PREROUTING", skb, eth0, undefined)).toEqual({ kind: "accept" });
    const p = skb.pkt.payload;
    out.push({ to: `${formatIpv4(skb.pkt.dst)}:${p.kind === "tcp" ? p.dport : "?"}`, mark: skb.mark });
  }
  return out;
}

describe("generated kube-proxy rules in the engine", () => {
  it("a pod's new connection to the ClusterIP is DNATed to one endpoint, each about a third of the time, unmarked", () => {
    const conns = connect("10.244.1.2", 600);
    const counts = new Map<string, number>();
    for (const c of conns) counts.set(c.to, (counts.get(c.to) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(["10.244.1.11:8080", "10.244.1.12:8080", "10.244.1.13:8080"]);
    for (const k of counts.values()) expect(Math.abs(k / 600 - 1 / 3)).toBeLessThan(0.07);
    expect(conns.every((c) => c.mark === 0)).toBe(true);
  });

  it("from outside the cluster CIDR the packet also gets the masquerade mark 0x4000", () => {
    const [c] = connect("10.0.2.2", 1);
    expect(c!.to).toMatch(/^10\.244\.1\.1[123]:8080$/);
    expect(c!.mark & 0x4000).toBe(0x4000);
  });

  it("the three-endpoint scenario with generated rules: curl from the client pod reaches web1, web2 and web3, one branch each", () => {
    const loaded = loadScenarioFile("scenarios/lowlevel/kube-proxy-three-endpoints.yaml");
    if (!loaded.ok) throw new Error("scenario");
    const t = tables();
    const spec: WorldSpec = {
      ...loaded.value,
      namespaces: loaded.value.namespaces.map((n) => (n.name === "node" ? { ...n, iptables: { ruleset: t.nodeRuleset, text: t.nodeText, file: "generated" } } : n)),
    };
    const e = enumerate(spec, "client", "curl -sS -m 2 http://10.96.0.50", { seed: "1" });
    expect(e.truncated).toBe(false);
    expect(e.branches.map((b) => b.run.result.stdout)).toEqual(["web1 saw 10.244.1.2\n", "web2 saw 10.244.1.2\n", "web3 saw 10.244.1.2\n"]);
    const p1 = Math.round(0x80000000 / 3) / 0x80000000;
    expect(e.branches.map((b) => b.probability)).toEqual([p1, (1 - p1) / 2, (1 - p1) / 2]);
  });
});
