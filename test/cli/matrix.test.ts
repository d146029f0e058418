/**
 * `podpath matrix`: the exact table for the seed-000 cluster before and after its fix, the JSON
 * document, -A and --nodes, and the exit codes (0 once printed; 2 for a scenario that cannot be
 * used, an unknown point of the timeline, or a scenario without a cluster).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runMain, scenario } from "./run-main.js";

const SEED = fileURLToPath(new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url));
const NAME = "flannel on the NAT adapter — a Service answers only from its own node";

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

const KEY = [
  " 1  default/kubia-nwjcc  10.244.1.27  tcp 8080  on worker1",
  " 2  default/kubia-zcpbb  10.244.2.11  tcp 8080  on worker2",
  " 3  default/kubia:80     10.98.41.49  tcp 80 → 10.244.1.27:8080, 10.244.2.11:8080",
];

const RULE = "+---------------------+---+---+---+";

describe("podpath matrix", () => {
  it("at broken: same-node pairs reach, cross-node pairs have no route to host, the Service answers through one endpoint of two", async () => {
    const r = await runMain(["matrix", "--at", "broken", SEED]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        NAME,
        `${SEED} at broken (0 s), seed 1`,
        "",
        RULE,
        "| from \\ to           | 1 | 2 | 3 |",
        RULE,
        "| default/kubia-nwjcc | . | X | ~ |",
        "| default/kubia-zcpbb | X | . | ~ |",
        RULE,
        "",
        ...KEY,
        "",
        ".  reachable",
        "X  no route to host: kubia-nwjcc→kubia-zcpbb, kubia-nwjcc→kubia:80 via 10.244.2.11:8080,",
        "                     kubia-zcpbb→kubia-nwjcc, kubia-zcpbb→kubia:80 via 10.244.1.27:8080",
        "     e.g. kubia-nwjcc$ nc -zv 10.244.2.11 8080",
        "          exit 1: nc: connect to 10.244.2.11 port 8080 (tcp) failed: No route to host",
        "~  some of the Service's endpoints answer: kubia-nwjcc→kubia:80 1/2, kubia-zcpbb→kubia:80 1/2",
        "",
        "pods: 2 of 4 pairs reachable; services: 0 of 2 fully, 2 partly",
        "",
      ].join("\n"),
    );
  });

  it("at fixed: everything is reachable", async () => {
    const r = await runMain(["matrix", SEED, "--at", "fixed"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        NAME,
        `${SEED} at fixed (600 s), seed 1`,
        "",
        RULE,
        "| from \\ to           | 1 | 2 | 3 |",
        RULE,
        "| default/kubia-nwjcc | . | . | . |",
        "| default/kubia-zcpbb | . | . | . |",
        RULE,
        "",
        ...KEY,
        "",
        ".  reachable",
        "",
        "pods: 4 of 4 pairs reachable; services: 2 of 2 fully, 0 partly",
        "",
      ].join("\n"),
    );
  });

  it("starts at the timeline's start by default and is the same for the same seed", async () => {
    const start = await runMain(["matrix", SEED]);
    const broken = await runMain(["matrix", SEED, "--at", "broken"]);
    expect(start).toEqual(broken);
    const seeded = await runMain(["matrix", SEED, "--at", "broken", "--seed", "42"]);
    expect(seeded.out).toBe(broken.out.replace("seed 1\n", "seed 42\n"));
  });

  it("--json: rows, numbered columns, the table as strings, every cell with its probes and why, and the counts", async () => {
    const r = await runMain(["matrix", SEED, "--at", "broken", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(["scenario", "name", "seed", "at", "rows", "columns", "table", "cells", "counts"]);
    expect(doc).toMatchObject({ scenario: SEED, name: NAME, seed: "1", at: { phase: "broken", time: 0 } });
    expect(doc.rows).toEqual([
      { kind: "pod", namespace: "default", name: "kubia-nwjcc", node: "worker1", ip: "10.244.1.27", netns: "kubia-nwjcc" },
      { kind: "pod", namespace: "default", name: "kubia-zcpbb", node: "worker2", ip: "10.244.2.11", netns: "kubia-zcpbb" },
    ]);
    expect(doc.columns).toEqual([
      { id: 1, kind: "pod", namespace: "default", name: "kubia-nwjcc", node: "worker1", ip: "10.244.1.27", probe: { how: "tcp", port: 8080 } },
      { id: 2, kind: "pod", namespace: "default", name: "kubia-zcpbb", node: "worker2", ip: "10.244.2.11", probe: { how: "tcp", port: 8080 } },
      {
        id: 3,
        kind: "service",
        namespace: "default",
        name: "kubia",
        clusterIP: "10.98.41.49",
        port: 80,
        protocol: "TCP",
        probe: { how: "tcp", port: 80 },
        endpoints: [
          { ip: "10.244.1.27", port: 8080, pod: "default/kubia-nwjcc", chain: "KUBE-SEP-J5YLFMHJAYVOG7TW" },
          { ip: "10.244.2.11", port: 8080, pod: "default/kubia-zcpbb", chain: "KUBE-SEP-XNY6V7T63BV6ODAO" },
        ],
      },
    ]);
    expect(doc.table).toEqual([".X~", "X.~"]);
    const cells = doc.cells as Record<string, unknown>[];
    expect(cells.map((c) => `${c.row},${c.column} ${c.symbol} ${c.status} ${c.answered} ${JSON.stringify(c.why)}`)).toEqual([
      "1,1 . reachable 1/1 []",
      '1,2 X unreachable 0/1 ["no-route-to-host"]',
      '1,3 ~ partly 1/2 ["no-route-to-host"]',
      '2,1 X unreachable 0/1 ["no-route-to-host"]',
      "2,2 . reachable 1/1 []",
      '2,3 ~ partly 1/2 ["no-route-to-host"]',
    ]);
    expect(cells[2]).toMatchObject({ from: "default/kubia-nwjcc", to: "default/kubia:80" });
    expect(cells[2]!.probes).toEqual([
      {
        command: "nc -zv 10.98.41.49 80",
        endpoint: "10.244.1.27:8080",
        choose: "KUBE-SEP-J5YLFMHJAYVOG7TW",
        reachable: true,
        outcome: "delivered",
        exitCode: 0,
        stdout: "",
        stderr: "Connection to 10.98.41.49 80 port [tcp/http] succeeded!\n",
        elapsedMs: expect.any(Number),
        rerun: `podpath exec --seed 1 --at broken --choose KUBE-SEP-J5YLFMHJAYVOG7TW ${SEED} kubia-nwjcc -- nc -zv 10.98.41.49 80`,
      },
      {
        command: "nc -zv 10.98.41.49 80",
        endpoint: "10.244.2.11:8080",
        choose: "KUBE-SEP-XNY6V7T63BV6ODAO",
        reachable: false,
        outcome: "no-route-to-host",
        exitCode: 1,
        stdout: "",
        stderr: "nc: connect to 10.98.41.49 port 80 (tcp) failed: No route to host\n",
        elapsedMs: expect.any(Number),
        rerun: `podpath exec --seed 1 --at broken --choose KUBE-SEP-XNY6V7T63BV6ODAO ${SEED} kubia-nwjcc -- nc -zv 10.98.41.49 80`,
      },
    ]);
    expect(doc.counts).toEqual({ pods: { pairs: 4, reachable: 2 }, services: { cells: 2, fully: 0, partly: 2, none: 0 }, notProbed: 0 });
  });

  it("a cell's rerun line, run by podpath exec, gives the same answer", async () => {
    const args = (chain: string) => ["exec", "--seed", "1", "--at", "broken", "--choose", chain, SEED, "kubia-nwjcc", "--", "nc", "-zv", "10.98.41.49", "80"];
    expect(await runMain(args("KUBE-SEP-J5YLFMHJAYVOG7TW"))).toEqual({ code: 0, out: "", err: "Connection to 10.98.41.49 80 port [tcp/http] succeeded!\n" });
    expect(await runMain(args("KUBE-SEP-XNY6V7T63BV6ODAO"))).toEqual({ code: 1, out: "", err: "nc: connect to 10.98.41.49 port 80 (tcp) failed: No route to host\n" });
  });

  it("-A adds the system pods and Services, --nodes each node as a source", async () => {
    const r = await runMain(["matrix", SEED, "-A", "--nodes", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { rows: { kind: string; name: string }[]; columns: { kind: string; name: string }[]; table: string[] };
    expect(doc.rows).toHaveLength(17);
    expect(doc.rows.slice(-3).map((x) => `${x.kind} ${x.name}`)).toEqual(["node master1", "node worker1", "node worker2"]);
    expect(doc.columns.filter((c) => c.kind === "service").map((c) => c.name)).toEqual(["kubernetes", "kubia", "kube-dns", "kube-dns", "kube-dns"]);
    expect(doc.table).toHaveLength(17);
    expect(doc.table.every((row) => row.length === 14 + 5)).toBe(true);
  });

  it("exits 2 for an unknown point of the timeline", async () => {
    const r = await runMain(["matrix", SEED, "--at", "nowhere"]);
    expect(r).toEqual({ code: 2, out: "", err: "podpath: --at nowhere: no such phase; expected start, end, a time such as 90s or 5m, or one of: broken (0 s), fixed (600 s)\n" });
  });

  it("exits 2 for a scenario without a cluster, saying what it needs", async () => {
    const file = scenario("vxlan-underlay-nat.yaml");
    const r = await runMain(["matrix", file]);
    expect(r).toEqual({ code: 2, out: "", err: `podpath: ${file} is a low-level scenario; matrix needs a cluster scenario (kind: cluster) to know its pods and Services — try podpath run or exec\n` });
  });

  it("exits 2 for a scenario that cannot be loaded, with each problem placed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "podpath-matrix-cli-"));
    tempDirs.push(dir);
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "kind: cluster\nname: no nodes\nnodes: 3\n");
    const bad = await runMain(["matrix", file]);
    expect(bad.code).toBe(2);
    expect(bad.out).toBe("");
    expect(bad.err).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:8: error: `));

    const missing = await runMain(["matrix", join(dir, "missing.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("cannot read scenario file");
  });
});
