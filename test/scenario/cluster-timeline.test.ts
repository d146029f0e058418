/**
 * A cluster's timeline: each phase's world follows from what the person typed — flannel's args
 * edited and its pods deleted, routes typed on a node and forgotten at reboot — and `--at` picks
 * the point a command runs at.
 */
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatIpv4 } from "../../src/core/ip.js";
import { formatIssue } from "../../src/core/issue.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { loadScenario } from "../../src/scenario/load.js";
import { runMain } from "../cli/run-main.js";

const SEED = new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url).pathname;
const seedText = (): string => readFileSync(SEED, "utf8");

function load(text: string): WorldSpec {
  const r = loadScenario(text, "t.yaml");
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join("\n"));
  return r.value;
}

const phase = (w: WorldSpec, name: string): WorldSpec => w.phases!.find((p) => p.name === name)!.world;
const fdb = (w: WorldSpec, node: string): string[] => w.namespaces.find((n) => n.name === node)!.fdb.map((f) => formatIpv4(f.dst!)).sort();

/** The seed with its timeline replaced. */
function withTimeline(timeline: string, edit: (t: string) => string = (t) => t): string {
  const t = edit(seedText());
  return `${t.slice(0, t.indexOf("timeline:"))}${timeline}\nprobes: []\n`;
}

describe("seed 000's timeline", () => {
  it("has the phases broken (0 s) and fixed (600 s), saying what each action did", () => {
    const w = load(seedText());
    expect(w.phases!.map((p) => [p.name, p.time])).toEqual([["broken", 0], ["fixed", 600]]);
    expect(w.phases![1]!.said).toEqual([
      "DaemonSet kube-flannel-ds edited: the rolling update restarts flanneld on every node with --ip-masq --kube-subnet-mgr --iface=enp0s8",
      "flannel pods deleted; new ones start on master1, worker1, worker2 with --ip-masq --kube-subnet-mgr --iface=enp0s8",
    ]);
  });

  it("moves every VTEP from 10.0.2.15 to the host-only addresses, and replaces the flannel pods", () => {
    const w = load(seedText());
    expect(fdb(phase(w, "broken"), "worker1")).toEqual(["10.0.2.15", "10.0.2.15"]);
    expect(fdb(phase(w, "fixed"), "worker1")).toEqual(["192.168.56.101", "192.168.56.103"]);
    const flannelPods = (x: WorldSpec) => x.cluster!.pods.filter((p) => p.namespace === "kube-flannel").map((p) => p.name);
    const before = flannelPods(phase(w, "broken"));
    const after = flannelPods(phase(w, "fixed"));
    expect(after).toHaveLength(3);
    expect(after.filter((n) => before.includes(n))).toEqual([]);
    expect(phase(w, "fixed").cluster!.pods.filter((p) => p.namespace === "kube-flannel").map((p) => p.createdAt)).toEqual([0, 0, 0]);
  });

  it("with OnDelete, editing the DaemonSet changes nothing until the pods are deleted", () => {
    const text = withTimeline(
      [
        "timeline:",
        "  - phase: edited",
        "    at: 60",
        "    actions:",
        "      - { on: master1, run: kubectl -n kube-flannel edit ds kube-flannel-ds, args: [--ip-masq, --kube-subnet-mgr, --iface=enp0s8] }",
        "  - phase: deleted",
        "    actions:",
        "      - { on: master1, run: kubectl -n kube-flannel delete pods -l app=flannel }",
      ].join("\n"),
      (t) => t.replace("    args: [--ip-masq, --kube-subnet-mgr]\n", "    args: [--ip-masq, --kube-subnet-mgr]\n    updateStrategy: OnDelete\n"),
    );
    const w = load(text);
    expect(w.phases!.map((p) => [p.name, p.time])).toEqual([["start", 0], ["edited", 60], ["deleted", 120]]);
    expect(fdb(phase(w, "edited"), "worker1")).toEqual(["10.0.2.15", "10.0.2.15"]);
    expect(fdb(phase(w, "deleted"), "worker1")).toEqual(["192.168.56.101", "192.168.56.103"]);
  });

  it("keeps a route typed on a node until the node reboots", () => {
    const text = withTimeline([
      "timeline:",
      "  - phase: routed",
      "    actions:",
      "      - { on: worker1, run: sudo ip route add 10.244.2.0/25 via 192.168.56.103 dev enp0s8 }",
      "  - phase: rebooted",
      "    actions:",
      "      - { on: worker1, run: sudo reboot }",
    ].join("\n"));
    const w = load(text);
    const has = (x: WorldSpec) => x.namespaces.find((n) => n.name === "worker1")!.routes.some((r) => formatIpv4(r.dst) === "10.244.2.0" && r.len === 25);
    expect([has(phase(w, "start")), has(phase(w, "routed")), has(phase(w, "rebooted"))]).toEqual([false, true, false]);
  });

  it("rollout restart of kube-flannel-ds replaces every flannel pod; deleting a kubia pod takes it out of the endpoints and the rules", () => {
    const text = withTimeline([
      "timeline:",
      "  - phase: restarted",
      "    actions:",
      "      - { on: master1, run: kubectl -n kube-flannel rollout restart ds kube-flannel-ds }",
      "  - phase: one-pod",
      "    actions:",
      "      - { on: master1, run: kubectl delete pod kubia-zcpbb }",
    ].join("\n"));
    const w = load(text);
    const flannelPods = (x: WorldSpec) => x.cluster!.pods.filter((p) => p.namespace === "kube-flannel").map((p) => p.name);
    expect(flannelPods(phase(w, "restarted")).filter((n) => flannelPods(phase(w, "start")).includes(n))).toEqual([]);
    const last = phase(w, "one-pod");
    expect(last.namespaces.some((n) => n.name === "kubia-zcpbb")).toBe(false);
    expect(last.cluster!.endpoints.find((e) => e.name === "kubia")!.addresses.map((a) => a.ip)).toEqual(["10.244.1.27"]);
    const nat = last.namespaces.find((n) => n.name === "worker1")!.iptables!.text;
    expect(nat).toContain("--to-destination 10.244.1.27:8080");
    expect(nat).not.toContain("10.244.2.11");
  });

  it("reports actions it does not model and an unknown node at their place", () => {
    const text = withTimeline([
      "timeline:",
      "  - phase: p",
      "    actions:",
      "      - { on: worker1, run: kubectl scale deploy kubia --replicas=3 }",
      "      - { on: worker1, run: kubectl cordon worker1 }",
      "      - { on: worker9, run: sudo reboot }",
      "      - { on: master1, run: kubectl -n kube-flannel edit ds kube-flannel-ds }",
    ].join("\n"));
    const r = loadScenario(text, "t.yaml");
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^t\.yaml:\d+:29: error: kubectl scale: no deployment default\/kubia in this file; expected one of: \(none: add one under deployments:\) \[unknown-namespace\]$/),
      expect.stringMatching(/^t\.yaml:\d+:29: error: kubectl cordon worker1: not a modelled action; expected one of: .*kubectl scale deployment … --replicas=N.* \[not-supported\]$/),
      expect.stringMatching(/^t\.yaml:\d+:15: error: "on": unknown node "worker9"; expected one of: master1, worker1, worker2 \[unknown-namespace\]$/),
      expect.stringMatching(/^t\.yaml:\d+:29: error: kubectl edit ds kube-flannel-ds: say what was saved in the editor with "args:" \(the container's new args\) \[not-supported\]$/),
    ]);
  });

  it("reports a typed command the kernel refuses inside its run: string, once though later phases replay it", () => {
    const text = withTimeline([
      "timeline:",
      "  - phase: p",
      "    actions:",
      "      - { on: worker1, run: ip route add 10.9.0.0/16 via 10.9.9.9 }",
      "  - phase: q",
      "  - phase: r",
    ].join("\n"));
    const r = loadScenario(text, "t.yaml");
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([expect.stringMatching(/^t\.yaml:\d+:58: error: Nexthop has invalid gateway: 10\.9\.9\.9 is not in a connected subnet/)]);
  });
});

describe("podpath exec --at", () => {
  const file = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "podpath-at-"));
    const f = join(dir, "seed.yaml");
    writeFileSync(f, seedText());
    return f;
  };

  it("runs at the phase named, at a time, or at start (the default)", async () => {
    const f = file();
    const fdbAt = async (at: string[]) => (await runMain(["exec", ...at, f, "worker1", "--", "bridge", "fdb", "show", "dev", "flannel.1"])).out;
    const broken = "dst 10.0.2.15";
    const fixed = "dst 192.168.56.10";
    expect(await fdbAt([])).toContain(broken);
    expect(await fdbAt(["--at", "fixed"])).toContain(fixed);
    expect(await fdbAt(["--at", "599"])).toContain(broken);
    expect(await fdbAt(["--at", "10m"])).toContain(fixed);
    expect(await fdbAt(["--at", "end"])).toContain(fixed);
  });

  it("refuses a point that is not on the timeline, listing the phases (exit 2)", async () => {
    const r = await runMain(["exec", "--at", "later", file(), "worker1", "--", "ip", "route"]);
    expect(r).toEqual({ code: 2, out: "", err: "podpath: --at later: no such phase; expected start, end, a time such as 90s or 5m, or one of: broken (0 s), fixed (600 s)\n" });
  });

  it("after the fix, the Service answers from both pods across seeds", async () => {
    const f = file();
    const bodies = new Set<string>();
    for (const seed of ["1", "2", "3", "4", "5", "6"]) {
      const r = await runMain(["exec", "--at", "fixed", "--seed", seed, f, "kubia-nwjcc", "--", "curl", "-s", "http://10.98.41.49"]);
      expect(r.code).toBe(0);
      bodies.add(r.out);
    }
    expect([...bodies].sort()).toEqual(["You've hit kubia-nwjcc\n", "You've hit kubia-zcpbb\n"]);
  });

  it("cluster DNS: CoreDNS on master1 is out of reach before the fix; after it, names resolve and curl by name answers", async () => {
    const f = file();
    const before = await runMain(["exec", f, "kubia-nwjcc", "--", "nslookup", "kubia"]);
    expect(before.code).toBe(1);
    expect(before.out.endsWith(";; no servers could be reached\n\n")).toBe(true);
    const after = await runMain(["exec", "--at", "fixed", f, "kubia-nwjcc", "--", "nslookup", "kubia"]);
    // nslookup 9.18 says so for each answer without RA (CoreDNS never sets it), checked against the real tool.
    expect(after).toEqual({ code: 0, err: "", out: ";; Got recursion not available from 10.96.0.10\nServer:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubia.default.svc.cluster.local\nAddress: 10.98.41.49\n;; Got recursion not available from 10.96.0.10\n\n" });
    const curl = await runMain(["exec", "--at", "fixed", "--seed", "1", f, "kubia-nwjcc", "--", "curl", "-s", "http://kubia"]);
    expect(curl.code).toBe(0);
    expect(curl.out).toMatch(/^You've hit kubia-(nwjcc|zcpbb)\n$/);
  });

  it("run --at runs the probes at that point only, with that phase's expectations (the other node's pod answers once fixed)", async () => {
    const f = file();
    expect((await runMain(["run", f])).code).toBe(0);
    const fixed = await runMain(["run", "--at", "fixed", f]);
    expect(fixed.code).toBe(0);
    expect(fixed.out).not.toContain("── phase broken");
    expect(fixed.out).toContain("stdout contains \"You've hit kubia-zcpbb\": ✓ passed");
    expect(fixed.out.endsWith("3 passed, 0 failed (phase fixed)\n")).toBe(true);
  });
});
