/**
 * `podpath run` on a timeline: every phase in order (or the one --at picks), its actions, each
 * probe with that phase's expectation; a repeated probe as label counts and one sample per
 * label, every run with the seed `<seed>:<run>`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Simulate } from "../../src/sim/probes.js";
import { simulate } from "../../src/sim/exec.js";
import { runSeed } from "../../src/cli/run-phases.js";
import { runMain } from "./run-main.js";

const SEED = new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url).pathname;

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** The seed file with `edit` applied, written to a temporary directory. */
function seedVariant(edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "podpath-phases-"));
  tempDirs.push(dir);
  const file = join(dir, "seed.yaml");
  writeFileSync(file, edit(readFileSync(SEED, "utf8")));
  return file;
}

const SAME_NODE = [
  "✓ the pod on the same node answers",
  "  kubia-nwjcc$ curl -s http://10.244.1.27:8080    [exit 0, 0.1 ms]",
  "    You've hit kubia-nwjcc",
  "  exit 0: ✓ passed",
  "  stdout contains \"You've hit kubia-nwjcc\": ✓ passed",
];

const BROKEN = [
  "── phase broken, 0 s — flannel on enp0s3 (10.0.2.15) everywhere",
  "",
  ...SAME_NODE,
  "",
  "✓ the pod on the other node",
  "  kubia-nwjcc$ curl -s --connect-timeout 5 http://10.244.2.11:8080    [exit 7, 0.04 ms]",
  "  outcome no-route-to-host: ✓ passed",
  "",
  "✓ the Service from kubia-nwjcc",
  "  kubia-nwjcc$ curl -s http://10.98.41.49    [25 runs, --seed 1:1 … 1:25]",
  "  14/25 curl: (7), 11/25 ok",
  "  curl: (7) — run 1 (--seed 1:1)    [exit 7, 0.04 ms]",
  "  ok — run 4 (--seed 1:4)    [exit 0, 0.2 ms]",
  "    You've hit kubia-nwjcc",
  "  outcomes ok 20%..80%, curl: (7) 20%..80%: ✓ passed",
  "  seen \"You've hit kubia-nwjcc\": ✓ passed",
];

const FIXED = [
  "── phase fixed, 600 s — the fix the person applied — flannel told to use the host-only adapter",
  "  DaemonSet kube-flannel-ds edited: the rolling update restarts flanneld on every node with --ip-masq --kube-subnet-mgr --iface=enp0s8",
  "  flannel pods deleted; new ones start on master1, worker1, worker2 with --ip-masq --kube-subnet-mgr --iface=enp0s8",
  "",
  ...SAME_NODE,
  "",
  "✓ the pod on the other node",
  "  kubia-nwjcc$ curl -s --connect-timeout 5 http://10.244.2.11:8080    [exit 0, 0.28 ms]",
  "    You've hit kubia-zcpbb",
  "  exit 0: ✓ passed",
  "  stdout contains \"You've hit kubia-zcpbb\": ✓ passed",
  "",
  "✓ the Service from kubia-nwjcc",
  "  kubia-nwjcc$ curl -s http://10.98.41.49    [25 runs, --seed 1:1 … 1:25]",
  "  25/25 ok",
  "  ok — run 1 (--seed 1:1)    [exit 0, 0.28 ms]",
  "    You've hit kubia-zcpbb",
  "  outcomes ok 100%: ✓ passed",
  "  seen \"You've hit kubia-nwjcc\": ✓ passed",
  "  seen \"You've hit kubia-zcpbb\": ✓ passed",
];

describe("podpath run on seed 000's timeline", () => {
  it("prints every phase, what its actions did, each probe with that phase's expectations, and exits 0", async () => {
    const r = await runMain(["run", SEED]);
    expect(r.err).toBe("");
    expect(r.out.split("\n")).toEqual([
      `flannel on the NAT adapter — a Service answers only from its own node — ${SEED}, seed 1, 2 phases, 3 probes, 54 runs`,
      "",
      ...BROKEN,
      "",
      ...FIXED,
      "",
      "6 passed, 0 failed (phases broken, fixed)",
      "",
    ]);
    expect(r.code).toBe(0);
  });

  it("--at runs that phase only", async () => {
    const r = await runMain(["run", "--at", "broken", SEED]);
    expect(r.out.split("\n")).toEqual([
      `flannel on the NAT adapter — a Service answers only from its own node — ${SEED}, seed 1, 1 phase, 3 probes, 27 runs`,
      "",
      ...BROKEN,
      "",
      "3 passed, 0 failed (phase broken)",
      "",
    ]);
    expect(r.code).toBe(0);
  });

  it("is the same output every time, and another seed gives other runs", async () => {
    const a = await runMain(["run", SEED]);
    const b = await runMain(["run", SEED]);
    expect(b).toEqual(a);
    const other = await runMain(["run", "--seed", "2", SEED]);
    expect(other.out).toContain("  kubia-nwjcc$ curl -s http://10.98.41.49    [25 runs, --seed 2:1 … 2:25]\n  18/25 ok, 7/25 curl: (7)\n");
    expect(other.code).toBe(0);
  });

  it("derives run k's seed as <seed>:k, and exec with that seed repeats the run", async () => {
    expect(runSeed("1", 1, 1)).toBe("1");
    expect(runSeed("1", 4, 25)).toBe("1:4");
    expect(runSeed("abc", 25, 25)).toBe("abc:25");
    const seeds: string[] = [];
    const recording: Simulate = (spec, netns, command, options) => {
      if (command === "curl -s http://10.98.41.49") seeds.push(options.seed ?? "");
      return simulate(spec, netns, command, options);
    };
    await runMain(["run", "--at", "fixed", "--seed", "9", SEED], { simulate: recording });
    expect(seeds).toEqual(Array.from({ length: 25 }, (_, i) => `9:${i + 1}`));
    // Run 4 of the broken phase, the sample of "ok" above, on its own.
    const run4 = await runMain(["exec", "--at", "broken", "--seed", "1:4", SEED, "kubia-nwjcc", "--", "curl", "-s", "http://10.98.41.49"]);
    expect(run4).toEqual({ code: 0, out: "You've hit kubia-nwjcc\n", err: "" });
    const run1 = await runMain(["exec", "--at", "broken", "--seed", "1:1", SEED, "kubia-nwjcc", "--", "curl", "-s", "http://10.98.41.49"]);
    expect(run1.code).toBe(7);
  });

  it("reports failed expectations over runs and in every run, and exits 1", async () => {
    const f = seedVariant((t) =>
      t
        .replace(/      broken: \{ outcomes: .*\n/, "      broken: { exit: 0, outcomes: { ok: 0..10, \"curl: (7)\": 0..25 } }\n")
        .replace(/      fixed: \{ outcomes: .*\n/, "      fixed: { outcomes: { ok: 50% }, seen: [nobody] }\n"),
    );
    const r = await runMain(["run", f]);
    expect(r.code).toBe(1);
    const lines = r.out.split("\n");
    expect(lines.filter((l) => l.startsWith("✗") || l.includes("✗ failed"))).toEqual([
      "✗ the Service from kubia-nwjcc",
      "  exit 0 in every run: ✗ failed: expected 0, got 7 in 14 of 25 runs",
      "  outcomes ok 0..10, curl: (7) 0..25: ✗ failed: expected ok 0..10, curl: (7) 0..25, got 14/25 curl: (7), 11/25 ok (ok out of range)",
      "✗ the Service from kubia-nwjcc",
      "  outcomes ok 50%: ✗ failed: expected ok 50%, got 25/25 ok (ok out of range)",
      "  seen \"nobody\": ✗ failed: expected it in the stdout of at least one run, got it in none of 25 runs",
    ]);
    expect(lines.at(-2)).toBe("4 passed, 2 failed (phases broken, fixed)");
  });

  it("says when a label that occurs is not listed", async () => {
    const f = seedVariant((t) => t.replace(/      broken: \{ outcomes: .*\n/, "      broken: { outcomes: { ok: 0..25 } }\n"));
    const r = await runMain(["run", "--at", "broken", f]);
    expect(r.out).toContain("  outcomes ok 0..25: ✗ failed: expected ok 0..25, got 14/25 curl: (7), 11/25 ok (curl: (7) not listed)\n");
    expect(r.code).toBe(1);
  });

  it("--json: per phase, per probe, the runs' labels with a sample each and the checks", async () => {
    const r = await runMain(["run", "--json", SEED]);
    expect(r.code).toBe(0);
    interface Doc {
      seed: string;
      runs: number;
      passed: number;
      failed: number;
      phases: {
        name: string;
        time: number;
        description: string;
        said: string[];
        probes: { name: string; repeat: number; runs: { total: number; labels: { label: string; count: number; sample: { run: number; seed: string; exitCode: number } }[] }; checks: { what: string; ok: boolean }[]; passed: boolean }[];
      }[];
    }
    const doc = JSON.parse(r.out) as Doc;
    expect([doc.seed, doc.runs, doc.passed, doc.failed]).toEqual(["1", 54, 6, 0]);
    expect(doc.phases.map((p) => [p.name, p.time, p.said.length, p.probes.length])).toEqual([["broken", 0, 0, 3], ["fixed", 600, 2, 3]]);
    const service = doc.phases[0]!.probes[2]!;
    expect(service.runs.labels.map((l) => [l.label, l.count, l.sample.run, l.sample.seed, l.sample.exitCode])).toEqual([["curl: (7)", 14, 1, "1:1", 7], ["ok", 11, 4, "1:4", 0]]);
    expect(service.checks.map((c) => [c.what, c.ok])).toEqual([["outcomes", true], ["seen", true]]);
  });
});
