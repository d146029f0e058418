/**
 * `answers`: how many runs' stdout contains a text — which endpoint answered how often — checked
 * over all of a phase's runs, passing and failing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMain } from "./run-main.js";

const SEED = new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url).pathname;

function withProbe(answers: string): string {
  const t = readFileSync(SEED, "utf8");
  const file = join(mkdtempSync(join(tmpdir(), "podpath-answers-")), "s.yaml");
  writeFileSync(file, `${t.slice(0, t.indexOf("probes:"))}probes:
  - name: the Service
    from: kubia-nwjcc
    run: curl -s http://10.98.41.49
    repeat: 25
    expectAt:
      fixed: { answers: ${answers} }
`);
  return file;
}

describe("answers", () => {
  it("passes when each text's share of the runs is in range, printing the count", async () => {
    const r = await runMain(["run", "--at", "fixed", withProbe(`{ "hit kubia-nwjcc": 20%..80%, "hit kubia-zcpbb": 5..20 }`)]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/answers "hit kubia-nwjcc" 20%\.\.80%: ✓ passed \(\d+ of 25 runs \(\d+\.\d%\)\)/);
    expect(r.out).toMatch(/answers "hit kubia-zcpbb" 5\.\.20: ✓ passed/);
  });

  it("fails when a share is out of range", async () => {
    const r = await runMain(["run", "--at", "fixed", withProbe(`{ "hit kubia-zcpbb": 100% }`)]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/answers "hit kubia-zcpbb" 100%: ✗ failed: got \d+ of 25 runs \(\d+\.\d%\)/);
  });

  it("refuses a range that is not one, at its place", async () => {
    const r = await runMain(["run", withProbe(`{ "hit": lots }`)]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/s\.yaml:\d+:\d+: error: "hit": "lots": expected a count \(25\), a count range \(10\.\.15\), a share \(100%\) or a share range \(20%\.\.80%\)/);
  });
});
