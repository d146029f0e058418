/**
 * Nodes joining on the timeline and a flanneld that stays down: the stopped flanneld keeps what
 * it programmed but never learns the later node's lease; a new flannel pod programs it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatIpv4 } from "../../src/core/ip.js";
import { formatIssue } from "../../src/core/issue.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { loadScenario } from "../../src/scenario/load.js";

const SEED = new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url).pathname;

function load(timeline: string): WorldSpec {
  const t = readFileSync(SEED, "utf8").replace("args: [--ip-masq, --kube-subnet-mgr]", "args: [--ip-masq, --kube-subnet-mgr, --iface=enp0s8]");
  const r = loadScenario(`${t.slice(0, t.indexOf("timeline:"))}${timeline}\nprobes: []\n`, "t.yaml");
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join("\n"));
  return r.value;
}

const phase = (w: WorldSpec, name: string): WorldSpec => w.phases!.find((p) => p.name === name)!.world;
const flannelRoutes = (w: WorldSpec, node: string): string[] =>
  w.namespaces.find((n) => n.name === node)!.routes.filter((r) => r.dev === "flannel.1").map((r) => `${formatIpv4(r.dst!)}/${r.len}`).sort();
const fdb = (w: WorldSpec, node: string): string[] => w.namespaces.find((n) => n.name === node)!.fdb.map((f) => formatIpv4(f.dst!)).sort();

describe("kubeadm join and a flanneld that stays down", () => {
  const w = load([
    "timeline:",
    "  - phase: two-nodes",
    "  - phase: down",
    "    actions: [{ on: worker1, fault: flannel-down }]",
    "  - phase: joined",
    "    actions: [{ on: worker2, run: sudo kubeadm join 192.168.56.101:6443 --token abcdef.0123456789abcdef }]",
    "  - phase: restarted",
    "    actions: [{ on: master1, run: kubectl -n kube-flannel delete pods -l app=flannel }]",
  ].join("\n"));

  it("a node is outside the cluster until it joins: no node object, no pods, no flannel.1", () => {
    const start = phase(w, "two-nodes");
    expect(start.cluster!.nodes.map((n) => n.name)).toEqual(["master1", "worker1"]);
    expect(start.cluster!.pods.some((p) => p.name === "kubia-zcpbb")).toBe(false);
    expect(start.namespaces.find((n) => n.name === "worker2")!.devices.some((d) => d.name === "flannel.1")).toBe(false);
    expect(flannelRoutes(start, "master1")).toEqual(["10.244.1.0/24"]);
  });

  it("after the join every running flanneld programs the new node; the stopped one does not", () => {
    const j = phase(w, "joined");
    expect(j.cluster!.nodes.map((n) => n.name)).toEqual(["master1", "worker1", "worker2"]);
    expect(flannelRoutes(j, "master1")).toEqual(["10.244.1.0/24", "10.244.2.0/24"]);
    expect(flannelRoutes(j, "worker2")).toEqual(["10.244.0.0/24", "10.244.1.0/24"]);
    expect(flannelRoutes(j, "worker1")).toEqual(["10.244.0.0/24"]);
    expect(fdb(j, "worker1")).toEqual(["192.168.56.101"]);
    const pod = j.cluster!.pods.find((p) => p.namespace === "kube-flannel" && p.node === "worker1")!;
    expect(pod.status).toBe("CrashLoopBackOff");
    expect(w.phases!.find((p) => p.name === "down")!.said).toEqual(["worker1: flanneld stopped (its pod crash-loops); what it programmed stays, nodes joining from now on get no route there"]);
  });

  it("a new flannel pod on the node programs every lease", () => {
    const r = phase(w, "restarted");
    expect(flannelRoutes(r, "worker1")).toEqual(["10.244.0.0/24", "10.244.2.0/24"]);
    expect(fdb(r, "worker1")).toEqual(["192.168.56.101", "192.168.56.103"]);
    expect(r.cluster!.pods.find((p) => p.namespace === "kube-flannel" && p.node === "worker1")!.status).toBe("Running");
  });

  it("an action has run or fault, not both", () => {
    const t = readFileSync(SEED, "utf8");
    const r = loadScenario(`${t.slice(0, t.indexOf("timeline:"))}timeline:\n  - phase: p\n    actions: [{ on: worker1, run: sudo reboot, fault: flannel-down }]\nprobes: []\n`, "t.yaml");
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^t\.yaml:\d+:\d+: error: an action has either "run" \(what was typed\) or "fault" \(what happened: flannel-down\), not both \[bad-value\]$/),
    ]);
  });
});
