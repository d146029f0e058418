/**
 * The reachability matrix (src/sim/matrix.ts) on the seed-000 cluster and on small clusters
 * written here: which probes each cell runs (commands, pinned KUBE-SEP chains), their outcome
 * classes, the counts, determinism, and the cells it cannot probe.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ClusterView } from "../../src/k8s/cluster/view.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { pickPhase } from "../../src/cli/phase.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import type { Matrix, MatrixOptions } from "../../src/sim/matrix.js";
import { computeMatrix } from "../../src/sim/matrix.js";
import { simulate } from "../../src/sim/exec.js";

const SEED = new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url).pathname;
const SEP_NWJCC = "KUBE-SEP-J5YLFMHJAYVOG7TW"; // default/kubia → 10.244.1.27:8080
const SEP_ZCPBB = "KUBE-SEP-XNY6V7T63BV6ODAO"; // default/kubia → 10.244.2.11:8080

type ClusterWorld = WorldSpec & { readonly cluster: ClusterView };

function world(file: string, at = "start"): ClusterWorld {
  const r = loadScenarioFile(file);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
  const p = pickPhase(r.value, at);
  if (!p.ok) throw new Error(p.message);
  if (!p.world.cluster) throw new Error(`${file}: no cluster`);
  return { ...p.world, cluster: p.world.cluster };
}

/** Each row as its cells' status letters: r reachable, u unreachable, p partly, - not probed. */
function letters(m: Matrix): string[] {
  return m.cells.map((row) => row.map((c) => (c.status === "not-probed" ? "-" : c.status[0])).join(""));
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

function tempCluster(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "podpath-matrix-"));
  tempDirs.push(dir);
  const file = join(dir, "cluster.yaml");
  writeFileSync(file, text);
  return file;
}

describe("the seed-000 cluster", () => {
  it("at broken: each pod reaches itself, not the pod on the other node, and the Service only through its own node's endpoint", () => {
    const m = computeMatrix(world(SEED, "broken"));
    expect(m.rows.map((r) => (r.kind === "pod" ? `${r.namespace}/${r.name}@${r.node}` : r.name))).toEqual(["default/kubia-nwjcc@worker1", "default/kubia-zcpbb@worker2"]);
    expect(m.columns.map((c) => (c.kind === "pod" ? `${c.name} ${c.ip} ${JSON.stringify(c.probe)}` : `${c.name}:${c.port} ${c.clusterIP} ${c.how}`))).toEqual([
      'kubia-nwjcc 10.244.1.27 {"how":"tcp","port":8080}',
      'kubia-zcpbb 10.244.2.11 {"how":"tcp","port":8080}',
      "kubia:80 10.98.41.49 tcp",
    ]);
    expect(letters(m)).toEqual(["rup", "urp"]);

    const cross = m.cells[0]![1]!;
    expect(cross.probes).toHaveLength(1);
    expect(cross.probes[0]).toMatchObject({ command: "nc -zv 10.244.2.11 8080", exitCode: 1, reachable: false, outcome: "no-route-to-host", stderr: "nc: connect to 10.244.2.11 port 8080 (tcp) failed: No route to host\n" });

    // One probe per endpoint, its KUBE-SEP chain pinned; the endpoint on the source's own node answers.
    const svc = m.cells[0]![2]!;
    expect(svc.answered).toBe(1);
    expect(svc.probes.map((p) => [p.command, p.endpoint, p.choose, p.reachable, p.outcome])).toEqual([
      ["nc -zv 10.98.41.49 80", "10.244.1.27:8080", SEP_NWJCC, true, "delivered"],
      ["nc -zv 10.98.41.49 80", "10.244.2.11:8080", SEP_ZCPBB, false, "no-route-to-host"],
    ]);
    expect(m.cells[1]![2]!.probes.map((p) => [p.endpoint, p.reachable])).toEqual([
      ["10.244.1.27:8080", false],
      ["10.244.2.11:8080", true],
    ]);
    expect(m.counts).toEqual({ podPairs: 4, podReachable: 2, serviceCells: 2, serviceFully: 0, servicePartly: 2, notProbed: 0 });
  });

  it("at fixed: every pair and every endpoint answers", () => {
    const m = computeMatrix(world(SEED, "fixed"));
    expect(letters(m)).toEqual(["rrr", "rrr"]);
    expect(m.cells.flat().flatMap((c) => c.probes).every((p) => p.outcome === "delivered" && p.exitCode === 0)).toBe(true);
    expect(m.counts).toEqual({ podPairs: 4, podReachable: 4, serviceCells: 2, serviceFully: 2, servicePartly: 0, notProbed: 0 });
  });

  it("is the same matrix for the same world and seed", () => {
    const w = world(SEED, "broken");
    expect(computeMatrix(w, { seed: "7" })).toEqual(computeMatrix(w, { seed: "7" }));
  });

  it("runs each probe on a fresh world through the simulator it is given, with the seed and the pinned chain", () => {
    const calls: string[] = [];
    const counting: NonNullable<MatrixOptions["simulate"]> = (spec, netns, command, options) => {
      calls.push(`${netns}$ ${command} seed=${options.seed}${options.chooser ? " pinned" : ""}`);
      return simulate(spec, netns, command, options);
    };
    computeMatrix(world(SEED, "broken"), { seed: "3", simulate: counting });
    expect(calls).toEqual([
      "kubia-nwjcc$ nc -zv 10.244.1.27 8080 seed=3",
      "kubia-nwjcc$ nc -zv 10.244.2.11 8080 seed=3",
      "kubia-nwjcc$ nc -zv 10.98.41.49 80 seed=3 pinned",
      "kubia-nwjcc$ nc -zv 10.98.41.49 80 seed=3 pinned",
      "kubia-zcpbb$ nc -zv 10.244.1.27 8080 seed=3",
      "kubia-zcpbb$ nc -zv 10.244.2.11 8080 seed=3",
      "kubia-zcpbb$ nc -zv 10.98.41.49 80 seed=3 pinned",
      "kubia-zcpbb$ nc -zv 10.98.41.49 80 seed=3 pinned",
    ]);
  });

  it("with all, adds the system pods and Services; with nodes, each node as a source", () => {
    const m = computeMatrix(world(SEED, "broken"), { all: true, nodes: true });
    const rows = m.rows.map((r) => (r.kind === "pod" ? `${r.namespace}/${r.name}` : `node/${r.name}`));
    expect(rows.slice(0, 3)).toEqual(["default/kubia-nwjcc", "default/kubia-zcpbb", "kube-flannel/kube-flannel-ds-4mw66"]);
    expect(rows.slice(-3)).toEqual(["node/master1", "node/worker1", "node/worker2"]);
    expect(m.rows).toHaveLength(14 + 3);
    const services = m.columns.flatMap((c) => (c.kind === "service" ? [`${c.namespace}/${c.name}:${c.port}/${c.protocol} ${c.how}`] : []));
    expect(services).toEqual(["default/kubernetes:443/TCP tcp", "default/kubia:80/TCP tcp", "kube-system/kube-dns:53/UDP dns", "kube-system/kube-dns:53/TCP tcp", "kube-system/kube-dns:9153/TCP tcp"]);
    // Host-network pods have no port of their own: a ping. CoreDNS's first port is 9153.
    const col = (name: string) => m.columns.find((c) => c.kind === "pod" && c.name === name)!;
    expect(col("etcd-master1")).toMatchObject({ ip: "10.0.2.15", probe: { how: "ping" } });
    expect(col("coredns-ldtqmhzclx-9gnk8")).toMatchObject({ probe: { how: "tcp", port: 9153 } });

    // The API server's endpoint is 10.0.2.15 — every node's own NAT address — so only master1 serves it.
    const api = m.columns.findIndex((c) => c.kind === "service" && c.name === "kubernetes");
    const at = (row: string) => m.cells[rows.indexOf(row)]![api]!;
    expect(at("node/master1").status).toBe("reachable");
    expect(at("node/worker1").probes.map((p) => [p.outcome, p.stderr])).toEqual([["refused", "nc: connect to 10.96.0.1 port 443 (tcp) failed: Connection refused\n"]]);
    // kube-dns over UDP is asked with dig; from a worker pod the CoreDNS pods on master1 are across the broken overlay.
    const dns = m.columns.findIndex((c) => c.kind === "service" && c.name === "kube-dns" && c.protocol === "UDP");
    expect(m.cells[rows.indexOf("node/master1")]![dns]!.probes.map((p) => [p.command, p.reachable])).toEqual([
      ["dig +tries=1 +time=1 @10.96.0.10 -p 53 kubernetes.default.svc.cluster.local", true],
      ["dig +tries=1 +time=1 @10.96.0.10 -p 53 kubernetes.default.svc.cluster.local", true],
    ]);
    expect(m.cells[rows.indexOf("default/kubia-nwjcc")]![dns]!).toMatchObject({ status: "unreachable", answered: 0 });
    expect(m.cells[rows.indexOf("node/worker2")]![dns]!.probes.map((p) => p.outcome)).toEqual(["timeout", "timeout"]);
  });
});

describe("small clusters", () => {
  const HOSTONLY_NODES = `kind: cluster
name: two nodes on the host-only network
nodes:
  - name: master1
    role: control-plane
    nics: [{ adapter: 1, mode: nat }, { adapter: 2, mode: hostonly, address: 192.168.56.101/24 }]
  - name: worker1
    nics: [{ adapter: 1, mode: nat }, { adapter: 2, mode: hostonly, address: 192.168.56.102/24 }]
cluster:
  flannel:
    args: [--ip-masq, --kube-subnet-mgr, --iface=enp0s8]
`;

  it("pings a pod with no port, asks a UDP port for an answer, and finds kube-proxy's REJECT for a Service without endpoints", () => {
    const file = tempCluster(`${HOSTONLY_NODES}pods:
  - { name: web, node: worker1, labels: { app: web }, listen: [{ port: 80 }] }
  - { name: idle, node: master1 }
  - { name: echo, namespace: tools, node: master1, listen: [{ port: 7, protocol: UDP }] }
services:
  - { name: web, ports: [{ port: 80 }], selector: { app: web } }
  - { name: nobody, ports: [{ port: 8080 }], selector: { app: none } }
`);
    const m = computeMatrix(world(file));
    expect(m.rows.map((r) => r.name)).toEqual(["idle", "web", "echo"]);
    expect(m.columns.map((c) => (c.kind === "pod" ? `${c.name} ${JSON.stringify(c.probe)}` : `${c.name}:${c.port} ${c.endpoints.length}`))).toEqual([
      'idle {"how":"ping"}',
      'web {"how":"tcp","port":80}',
      'echo {"how":"udp","port":7}',
      "nobody:8080 0",
      "web:80 1",
    ]);
    expect(letters(m)).toEqual(["rrrur", "rrrur", "rrrur"]);
    const probes = m.cells[1]!.map((c) => c.probes.map((p) => `${p.command} → ${p.outcome}${p.choose ? ` (${p.choose})` : ""}`));
    expect(probes).toEqual([
      ["ping -c 1 -W 1 10.244.0.4 → delivered"],
      ["nc -zv 10.244.1.2 80 → delivered"],
      ["echo podpath | nc -u -w 1 10.244.0.5 7 → delivered"],
      [expect.stringMatching(/^nc -zv 10\.\d+\.\d+\.\d+ 8080 → refused$/)],
      // One endpoint: kube-proxy has no random rule to pin.
      [expect.stringMatching(/^nc -zv 10\.\d+\.\d+\.\d+ 80 → delivered$/)],
    ]);
    expect(m.counts).toEqual({ podPairs: 9, podReachable: 9, serviceCells: 6, serviceFully: 3, servicePartly: 0, notProbed: 0 });
  });

  it("does not probe from or to a pod whose sandbox never got a network", () => {
    const file = tempCluster(`kind: cluster
name: a worker without a default route
nodes:
  - name: master1
    role: control-plane
    nics: [{ adapter: 1, mode: nat }, { adapter: 2, mode: hostonly, address: 192.168.56.101/24 }]
  - name: worker1
    nodeIP: 192.168.56.102
    nics: [{ adapter: 2, mode: hostonly, address: 192.168.56.102/24 }]
pods:
  - { name: web, node: master1, listen: [{ port: 80 }] }
  - { name: stuck, node: worker1, listen: [{ port: 80 }] }
`);
    const m = computeMatrix(world(file));
    expect(letters(m)).toEqual(["--", "-r"]);
    expect(m.cells[0]![1]).toEqual({ status: "not-probed", answered: 0, probes: [], note: "default/stuck has no address (ContainerCreating)" });
    expect(m.counts.notProbed).toBe(3);
  });
});
