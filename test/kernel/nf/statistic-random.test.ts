/**
 * `statistic --mode random`, judged by what can happen and how often (see statistic.ts):
 *
 *   kernel                 CONNECTIONS connections to a kube-proxy-shaped service reach every
 *                          endpoint, each as often as its exact fixed-point probability says,
 *                          within 4.5 σ
 *   simulator (unless PODPATH_NF_DIFF=0)
 *                          the enumerator (sim/enumerate.ts) lists exactly the endpoints the
 *                          kernel reached, with the exact probabilities; CONNECTIONS sampled
 *                          connections in one simulated world meet the same 4.5 σ bound
 *
 * Without root or a tool the suite is skipped with the reason; under CI=true it fails.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cleanupStale } from "../names.js";
import { NF_TOOLS, REQUIRED_TOOLS, kernelAvailability } from "../tools.js";
import { startNfKernel, type NfKernel } from "./kernel-world.js";
import { findParser } from "./parser.js";
import { CONNECTIONS, CONNECTION_LOOP, ONE_CONNECTION, STATISTIC_CASE, checkFrequencies, countEndpoints, describeChecks, endpointProbabilities } from "./statistic.js";
import { caseFile } from "./sim-side.js";
import { brNetfilterLoaded, topology, withRuleset } from "./topology.js";
import type { WorldSpec } from "../../../src/netns/spec.js";

const avail = kernelAvailability([...REQUIRED_TOOLS, ...NF_TOOLS]);
const simulatorToo = process.env["PODPATH_NF_DIFF"] !== "0";
/** The loop of CONNECTIONS connections takes ~15 s here; allow for a loaded machine. */
const LOOP_TIMEOUT_MS = 240_000;

describe("statistic --mode random (kube-proxy service, three endpoints)", () => {
  if (!avail.usable) {
    if (avail.mustFail) test("can run under CI", () => expect.fail(`netfilter kernel tests cannot run: ${avail.reason}`));
    else test.skip(`skipped: ${avail.reason}`, () => undefined);
    return;
  }
  let kernel: NfKernel | undefined;
  let kernelCounts: Map<string, number> | undefined;

  beforeAll(async () => {
    await cleanupStale();
    kernel = await startNfKernel();
  }, 60_000);
  afterAll(async () => {
    await kernel?.teardown();
  });

  test(`kernel: ${CONNECTIONS} connections reach each endpoint within 4.5 σ of its exact probability`, { timeout: LOOP_TIMEOUT_MS + 30_000 }, async () => {
    const k = kernel!;
    const loaded = await k.runCase(STATISTIC_CASE);
    expect(loaded.restore.exitCode, loaded.restore.stderr).toBe(0);
    const r = await k.real.exec("client", CONNECTION_LOOP, LOOP_TIMEOUT_MS);
    expect(r.timedOut, "the connection loop outlived its timeout").toBe(false);
    const counts = countEndpoints(r.stdout);
    kernelCounts = counts;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const checks = checkFrequencies(counts, CONNECTIONS);
    const report = describeChecks(checks, CONNECTIONS);
    console.info(`kernel, ${CONNECTIONS} connections in ${(r.elapsedMs / 1000).toFixed(1)} s:\n${report}`);
    expect(total, `every connection answered (stderr: ${r.stderr.slice(0, 500)})`).toBe(CONNECTIONS);
    expect([...counts.keys()].sort(), "endpoints reached").toEqual([...endpointProbabilities().keys()].sort());
    expect(checks.filter((c) => !c.ok), report).toEqual([]);
  });

  /** The topology with the service's rules parsed by the project's parser (the test fails if it cannot). */
  async function serviceSpec(): Promise<WorldSpec> {
    const parse = await findParser();
    if ("missing" in parse) expect.fail(`no parser: ${parse.missing}`);
    const parsed = parse(STATISTIC_CASE.tables, caseFile(STATISTIC_CASE));
    if (!parsed.ok) expect.fail(`the parser refused the service's rules: ${JSON.stringify(parsed.issues)}`);
    return withRuleset(topology(brNetfilterLoaded()), parsed.value, STATISTIC_CASE.tables, caseFile(STATISTIC_CASE));
  }

  if (simulatorToo) {
    test("simulator: the enumerated outcomes are the endpoints the kernel reached, with the exact probabilities", async () => {
      const spec = await serviceSpec();
      const { enumerate } = await import("../../../src/sim/enumerate.js");
      const e = enumerate(spec, "client", ONE_CONNECTION);
      expect(e.truncated).toBe(false);
      const outcomes = new Map<string, number>();
      for (const b of e.branches) {
        const [endpoint] = [...countEndpoints(b.run.result.stdout).keys()];
        const key = endpoint ?? `(no echo: exit ${b.run.result.exitCode})`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + b.probability);
      }
      const exact = endpointProbabilities();
      expect([...outcomes.keys()].sort(), "reachable outcomes (simulator enumeration)").toEqual([...(kernelCounts ?? exact).keys()].sort());
      for (const [addr, p] of exact) expect(outcomes.get(addr) ?? 0, `probability of ${addr}`).toBeCloseTo(p, 12);
    });

    test(`simulator: ${CONNECTIONS} sampled connections in one world reach each endpoint within 4.5 σ`, { timeout: 120_000 }, async () => {
      const spec = await serviceSpec();
      const { buildWorld } = await import("../../../src/sim/build.js");
      const { runOn } = await import("../../../src/sim/exec.js");
      const built = buildWorld(spec, "statistic-random");
      if (!built.ok) {
        expect.fail(JSON.stringify(built.issues));
        return;
      }
      let out = "";
      for (let i = 0; i < CONNECTIONS; i++) out += runOn(built.value, "client", ONE_CONNECTION).result.stdout;
      const checks = checkFrequencies(countEndpoints(out), CONNECTIONS);
      const report = describeChecks(checks, CONNECTIONS);
      console.info(`simulator, ${CONNECTIONS} connections:\n${report}`);
      expect(checks.filter((c) => !c.ok), report).toEqual([]);
    });
  }
});
