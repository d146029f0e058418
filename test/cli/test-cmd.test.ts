/**
 * `podpath test <path…>`: every scenario's every phase's expectations, one line per scenario in
 * sorted path order; exit 0 when all hold, 1 when one failed, 2 when a file could not be loaded.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Simulate } from "../../src/sim/probes.js";
import { simulate } from "../../src/sim/exec.js";
import { runMain, scenario } from "./run-main.js";

const SEED = new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url).pathname;
const seedText = (): string => readFileSync(SEED, "utf8");

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** A temporary directory holding `files` (relative path → text). */
function dirWith(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "podpath-test-"));
  tempDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const FAILING = seedText().replace(/      fixed: \{ outcomes: .*\n/, "      fixed: { outcomes: { ok: 50% } }\n");
const BROKEN = "kind: cluster\nname: broken\nnodes:\n  - name: n1\n    nics: [{ adapter: 9, mode: nat }]\n";

describe("podpath test", () => {
  it("exit 0: one line per scenario, found recursively in sorted order, then a count", async () => {
    const dir = dirWith({ "b/seed.yml": seedText(), "a.yaml": readFileSync(scenario("ttl.yaml"), "utf8"), "notes.txt": "not a scenario", ".hidden/x.yaml": BROKEN });
    const r = await runMain(["test", dir]);
    expect(r).toEqual({
      code: 0,
      err: "",
      out: [`✓ ${dir}/a.yaml  6 probes, 6 runs`, `✓ ${dir}/b/seed.yml  2 phases, 3 probes, 54 runs`, "", "2 scenarios: 2 passed, 0 failed", ""].join("\n"),
    });
  });

  it("exit 1: a failed expectation is listed under its scenario, with its phase and probe", async () => {
    const dir = dirWith({ "pass.yaml": seedText(), "fail.yaml": FAILING });
    const r = await runMain(["test", dir]);
    expect(r.code).toBe(1);
    expect(r.err).toBe("");
    expect(r.out.split("\n")).toEqual([
      `✗ ${dir}/fail.yaml  1 of 6 expectations failed`,
      "    phase fixed › the Service from kubia-nwjcc: outcomes ok 50%: ✗ failed: expected ok 50%, got 25/25 ok (ok out of range)",
      `✓ ${dir}/pass.yaml  2 phases, 3 probes, 54 runs`,
      "",
      "2 scenarios: 1 passed, 1 failed",
      "",
    ]);
  });

  it("exit 2: a file that does not load is reported as file:line:column, and the others still run", async () => {
    const dir = dirWith({ "a-broken.yaml": BROKEN, "b-fail.yaml": FAILING, "c-pass.yaml": seedText() });
    const r = await runMain(["test", dir]);
    expect(r.code).toBe(2);
    expect(r.out.split("\n").filter((l) => !l.startsWith("    "))).toEqual([
      `✗ ${dir}/a-broken.yaml  could not be loaded: 1 error`,
      `✗ ${dir}/b-fail.yaml  1 of 6 expectations failed`,
      `✓ ${dir}/c-pass.yaml  2 phases, 3 probes, 54 runs`,
      "",
      "3 scenarios: 1 passed, 1 failed, 1 could not be loaded",
      "",
    ]);
    expect(r.err).toBe(`${dir}/a-broken.yaml:5:23: error: "adapter": adapter number 9 is out of range; expected a whole number 1–4 [out-of-range]\n`);
  });

  it("exit 2 for a path that does not exist, or no scenario at all", async () => {
    const dir = dirWith({ "empty/readme.md": "" });
    const missing = await runMain(["test", join(dir, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(new RegExp(`^${dir}/nope:1:1: error: cannot read ${dir}/nope: ENOENT`));
    const none = await runMain(["test", join(dir, "empty")]);
    expect(none).toEqual({ code: 2, out: "", err: `podpath: no scenario files (*.yaml, *.yml) in ${dir}/empty\n` });
  });

  it("--seed applies to every scenario (a repeated probe's runs get <seed>:k)", async () => {
    const dir = dirWith({ "seed.yaml": seedText(), "ttl.yaml": readFileSync(scenario("ttl.yaml"), "utf8") });
    const seeds = new Set<string>();
    const recording: Simulate = (spec, netns, command, options) => {
      seeds.add(options.seed ?? "");
      return simulate(spec, netns, command, options);
    };
    const r = await runMain(["test", "--seed", "5", dir], { simulate: recording });
    expect(r.code).toBe(0);
    expect([...seeds].sort()).toEqual(["5", ...Array.from({ length: 25 }, (_, i) => `5:${i + 1}`)].sort());
  });

  it("the bundled scenarios all pass", async () => {
    const root = new URL("../../scenarios/", import.meta.url).pathname;
    const r = await runMain(["test", root]);
    expect(r.err).toBe("");
    expect(r.out).toContain(`✓ ${join(root, "seeds/000-nat-iface-same-node-only.yaml")}  2 phases, 3 probes, 54 runs\n`);
    // Every seed of the issue, each with its timeline.
    for (const seed of ["001-nodeport-cross-node-timeout.yaml", "001-nodeport-cross-node-timeout.bridged.yaml", "002-missing-flannel-routes.yaml", "003-stale-node-rules.yaml", "004-virtualbox-three-nodes-service.yaml"]) {
      expect(r.out).toMatch(new RegExp(`^✓ ${join(root, "seeds", seed).replace(/[.]/g, "\\.")}  \\d+ phases?, \\d+ probes, \\d+ runs$`, "m"));
    }
    expect(r.code).toBe(0);
  }, 120_000);
});
