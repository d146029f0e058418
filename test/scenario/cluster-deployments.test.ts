/**
 * Deployments in a cluster file: the ReplicaSet's pods named from the seed, spread over the
 * workers, scaled and replaced on the timeline, with the Service's endpoints following.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatIssue } from "../../src/core/issue.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { loadScenario } from "../../src/scenario/load.js";

const SEED = new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url).pathname;

/** Seed 000 without its kubia pods, with an httpd Deployment behind a Service, and this timeline. */
function load(timeline: string, replicas = 3): WorldSpec {
  const t = readFileSync(SEED, "utf8");
  const head = t.slice(0, t.indexOf("pods:"));
  const text = `${head}deployments:
  - name: httpd
    replicas: ${replicas}
    labels: { run: httpd }
    listen: [{ port: 80, body: "hello from {pod}\\n" }]
services:
  - name: httpd-svc
    ports: [{ port: 8080, targetPort: 80 }]
    selector: { run: httpd }
${timeline}
probes: []
`;
  const r = loadScenario(text, "t.yaml");
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join("\n"));
  return r.value;
}

const pods = (w: WorldSpec): string[][] => w.cluster!.pods.filter((p) => p.namespace === "default").map((p) => [p.name, p.node, p.ip ?? ""]);
const endpoints = (w: WorldSpec): string[] => w.cluster!.endpoints.find((e) => e.name === "httpd-svc")!.addresses.map((a) => a.ip).sort();
const phase = (w: WorldSpec, name: string): WorldSpec => w.phases!.find((p) => p.name === name)!.world;

describe("a Deployment", () => {
  it("makes its pods <deploy>-<hash>-<5>, spread over the workers in turn, with host-local's next addresses", () => {
    const w = load("");
    const ps = pods(w);
    expect(ps.map((p) => p[1])).toEqual(["worker1", "worker2", "worker1"]);
    expect(ps.map((p) => p[2])).toEqual(["10.244.1.2", "10.244.2.2", "10.244.1.3"]);
    const hash = /^httpd-([bcdfghjklmnpqrstvwxz2456789]{10})-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
    for (const p of ps) expect(p[0]).toMatch(hash);
    expect(new Set(ps.map((p) => hash.exec(p[0]!)![1])).size).toBe(1);
    expect(endpoints(w)).toEqual(["10.244.1.2", "10.244.1.3", "10.244.2.2"]);
    // The same seed gives the same names; the pods answer with their own name.
    expect(pods(load(""))).toEqual(ps);
  });

  it("scales up and down (the newest pods go first) and replaces a deleted pod; endpoints and rules follow", () => {
    const w = load([
      "timeline:",
      "  - phase: start",
      "  - phase: up",
      "    actions: [{ on: master1, run: kubectl scale deployment httpd --replicas=4 }]",
      "  - phase: down",
      "    actions: [{ on: master1, run: kubectl scale deploy/httpd --replicas=2 }]",
      "  - phase: deleted",
      "    actions: [{ on: master1, run: kubectl delete pod -l run=httpd }]",
    ].join("\n"));
    const start = pods(w);
    expect(pods(phase(w, "up")).slice(0, 3)).toEqual(start);
    expect(pods(phase(w, "up"))[3]![1]).toBe("worker2");
    expect(endpoints(phase(w, "up"))).toHaveLength(4);
    expect(pods(phase(w, "down"))).toEqual(start.slice(0, 2));
    const kp = phase(w, "down").namespaces.find((n) => n.name === "worker1")!.iptables!.text;
    expect(kp).toContain("--to-destination 10.244.2.2:80");
    expect(kp).not.toContain("--to-destination 10.244.1.3:80");
    const replaced = pods(phase(w, "deleted"));
    expect(replaced).toHaveLength(2);
    expect(replaced.map((p) => p[0]).some((n) => start.some((s) => s[0] === n))).toBe(false);
    expect(w.phases!.find((p) => p.name === "deleted")!.said[0]).toMatch(/^pods deleted: httpd-\S+, httpd-\S+; their ReplicaSets made httpd-\S+ on worker1, httpd-\S+ on worker2; endpoints and kube-proxy rules follow$/);
  });

  it("refuses scaling a Deployment the file does not have, at the action", () => {
    const t = readFileSync(SEED, "utf8");
    const r = loadScenario(`${t.slice(0, t.indexOf("timeline:"))}timeline:\n  - phase: p\n    actions: [{ on: master1, run: kubectl scale deployment nope --replicas=2 }]\nprobes: []\n`, "t.yaml");
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^t\.yaml:\d+:\d+: error: kubectl scale: no deployment default\/nope in this file; expected one of: \(none: add one under deployments:\) \[unknown-namespace\]$/),
    ]);
  });
});
