/**
 * The two-tests-per-probe harness shared by kernel.test.ts (low-level scenarios) and
 * cluster.test.ts (generated clusters): for each probe of each world,
 *   kernel                the real answer meets the probe's expect block
 *   simulator ≡ kernel    same exit code, same stdout and stderr after normalizeOutput
 * with every kernel answer asked once, before the tests, in limited parallel, and only for
 * probes whose tests will run (`-t` filters, `.only`). Also the skip-or-fail rule when the
 * kernel cannot be asked: skipped with the reason, failed under `CI=true`.
 */
import { deferred, type Deferred } from "./deferred.js";
import { afterAll, beforeAll, describe, expect, test, type RunnerTask } from "vitest";
import type { ProbeSpec, WorldSpec } from "../../src/netns/spec.js";
import { limited } from "./limit.js";
import { cleanupStale } from "./names.js";
import { describeAnswer, probeTitle, runProbeOnKernel, unmetExpectations, type KernelAnswer } from "./oracle.js";

export interface ProbeSuite {
  /** The describe() name; also the prefix of a known disagreement's key. */
  readonly name: string;
  readonly world: WorldSpec;
  /** The probes asked (a subset of world.probes). */
  readonly probes: readonly ProbeSpec[];
}

export interface ProbeSuiteOptions {
  /** Kernel jobs run side by side. */
  readonly concurrency: number;
  /**
   * `per-world`: one job per suite, its probes one after another (worlds of different suites
   * never collide); `per-probe`: every probe its own job.
   */
  readonly jobs: "per-world" | "per-probe";
  /** How long a test may wait for its kernel answer. */
  readonly waitMs: number;
  /** Says where the recorded answers live, in the kernel test's failure message. */
  readonly expectedIn: string;
  /** `${suite}: ${probe}` → why the simulator disagrees: run as an expected failure, assertions kept. */
  readonly knownDisagreements?: ReadonlyMap<string, string>;
  /** Import the simulator half (false with PODPATH_KERNEL_ONLY=1). */
  readonly withSimulator: boolean;
}

/** The kernel cannot be asked: skipped with the reason, or failed under CI when `mayFail`. */
export function skipOrFail(title: string, reason: string, mayFail = true): void {
  if (mayFail && process.env["CI"] === "true") {
    describe(title, () => {
      test("can run under CI", () => {
        expect.fail(`kernel tests cannot run: ${reason}`);
      });
    });
  } else {
    console.warn(`${title} skipped: ${reason}`);
    describe(title, () => {
      test.skip(`skipped: ${reason}`, () => undefined);
    });
  }
}


export function defineProbeSuites(suites: readonly ProbeSuite[], o: ProbeSuiteOptions): void {
  const answers = new Map<ProbeSpec, Deferred<KernelAnswer>>();
  for (const s of suites) for (const p of s.probes) answers.set(p, deferred<KernelAnswer>());
  const sim = o.withSimulator ? import("./differential.js") : undefined;
  sim?.catch(() => undefined);
  let runs: Promise<void>[] = [];

  // Which test asks about which probe, so only probes whose tests will run are asked.
  const probeOfTest = new Map<string, ProbeSpec>();
  const testKey = (suiteName: string, testName: string): string => `${suiteName}\u0000${testName}`;

  // vitest wants the first argument (the fixture context) destructured; the file is the second.
  beforeAll(async ({}, file) => {
    await cleanupStale();
    const wanted = new Set<ProbeSpec>();
    const visit = (task: RunnerTask): void => {
      if (task.type === "suite") for (const t of task.tasks) visit(t);
      else if (task.mode === "run" || task.mode === "only" || task.mode === "queued") {
        const p = probeOfTest.get(testKey(task.suite?.name ?? "", task.name));
        if (p) wanted.add(p);
      }
    };
    for (const t of file.tasks) visit(t);
    const ask = async (world: WorldSpec, p: ProbeSpec): Promise<void> => {
      const d = answers.get(p)!;
      if (!wanted.has(p)) return d.reject(new Error("not asked of the kernel: its tests were filtered out"));
      try {
        d.resolve(await runProbeOnKernel(world, p));
      } catch (e) {
        d.reject(e);
      }
    };
    const jobs = o.jobs === "per-world"
      ? suites.map((s) => async (): Promise<void> => {
          for (const p of s.probes) await ask(s.world, p);
        })
      : suites.flatMap((s) => s.probes.map((p) => (): Promise<void> => ask(s.world, p)));
    runs = limited(jobs, o.concurrency);
  });

  afterAll(async () => {
    await Promise.allSettled(runs);
  });

  for (const { name, world, probes } of suites) {
    describe(name, () => {
      if (probes.length === 0) test.skip("no kernel probes", () => undefined);
      for (const probe of probes) {
        const title = probeTitle(world, probe);
        const known = o.knownDisagreements?.get(`${name}: ${probe.name}`);
        const kernelTitle = `kernel: ${title}`;
        const simTitle = `simulator ≡ kernel: ${title}${known !== undefined ? ` (known disagreement: ${known})` : ""}`;
        probeOfTest.set(testKey(name, kernelTitle), probe);
        probeOfTest.set(testKey(name, simTitle), probe);
        test(kernelTitle, { timeout: o.waitMs }, async () => {
          const k = await answers.get(probe)!.promise;
          expect(k.timedOut, `the probe outlived the harness timeout\n${describeAnswer(k)}`).toBe(false);
          const unmet = unmetExpectations(probe, k);
          expect(unmet, `the kernel does not answer as recorded in ${o.expectedIn}:\n  ${unmet.join("\n  ")}\nkernel answered: ${describeAnswer(k)}`).toEqual([]);
        });
        if (sim) {
          (known !== undefined ? test.fails : test)(simTitle, { timeout: o.waitMs }, async () => {
            const k = await answers.get(probe)!.promise;
            const d = await sim;
            const s = d.runProbeOnSimulator(world, probe);
            if (!s.ok) expect.fail(`the simulator threw:\n${s.error}\nkernel answered: ${describeAnswer(k)}`);
            const diffs = d.differences(k, s.answer);
            const msg = `simulator and kernel disagree on ${title} (${name})\n${diffs.join("\n")}\n\nkernel answered: ${describeAnswer(k)}\nsimulator answered: ${describeAnswer(s.answer)}\n`;
            expect(d.normalizedAnswer(s.answer), msg).toEqual(d.normalizedAnswer(k));
          });
        }
      }
    });
  }
}
