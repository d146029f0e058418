/**
 * The two-tests-per-probe harness shared by kernel.test.ts (low-level scenarios) and
 * cluster.test.ts (generated clusters): for each probe of each world,
 *   kernel                the real answer meets the probe's expect block
 *   simulator ≡ kernel    same exit code, same stdout and stderr after normalizeOutput
 * with every kernel answer asked once, before the tests, in limited parallel, and only for
 * probes whose tests will run (`-t` filters, `.only`). Also the skip-or-fail rule when the
 * kernel cannot be asked: skipped with the reason, failed under `CI=true`.
 *
 * A suite may also say, per probe, which world the kernel builds (`kernelWorld`: e.g. its rules
 * rewritten to one random choice), how the simulator makes the same choice (`simulate`), and
 * which probes are the same question (`kernelKey`: asked of the kernel once, the answer shared) —
 * seeds.test.ts uses all three; without them every probe is asked in the suite's world.
 */
import { deferred, type Deferred } from "./deferred.js";
import { afterAll, beforeAll, describe, expect, test, type RunnerTask } from "vitest";
import type { ProbeSpec, WorldSpec } from "../../src/netns/spec.js";
import type { SimAnswer } from "./differential.js";
import { limited } from "./limit.js";
import { cleanupStale } from "./names.js";
import { describeAnswer, probeTitle, runProbeOnKernel, unmetExpectations, type KernelAnswer } from "./oracle.js";

export interface ProbeSuite {
  /** The describe() name; also the prefix of a known disagreement's key. */
  readonly name: string;
  readonly world: WorldSpec;
  /** The probes asked (a subset of world.probes, or probes made for the suite). */
  readonly probes: readonly ProbeSpec[];
  /** The world the kernel builds for a probe; default `world`. */
  readonly kernelWorld?: (probe: ProbeSpec) => WorldSpec;
  /**
   * The simulator's answer to a probe, when it is asked otherwise than `runProbeOnSimulator(world,
   * probe)` (e.g. with a chooser making the kernel world's random choice).
   */
  readonly simulate?: (probe: ProbeSpec) => SimAnswer;
  /**
   * Probes with equal keys (across all suites) are one question — the same kernel world, netns
   * and command — asked of the kernel once; default: every probe its own question.
   */
  readonly kernelKey?: (probe: ProbeSpec) => string;
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
  /** Checks of a kernel answer beyond the probe's expect block: one line per problem. */
  readonly moreExpectations?: (probe: ProbeSpec, answer: KernelAnswer) => string[];
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
    // One kernel run per question: the first wanted probe with a key asks, the others wait for its answer.
    const shared = new Map<string, Deferred<KernelAnswer>>();
    const asks = (s: ProbeSuite, p: ProbeSpec): boolean => {
      const key = wanted.has(p) ? s.kernelKey?.(p) : undefined;
      if (key === undefined) return true;
      if (shared.has(key)) return false;
      shared.set(key, deferred<KernelAnswer>());
      return true;
    };
    const ask = async (s: ProbeSuite, p: ProbeSpec): Promise<void> => {
      const d = answers.get(p)!;
      if (!wanted.has(p)) return d.reject(new Error("not asked of the kernel: its tests were filtered out"));
      const key = s.kernelKey?.(p);
      const same = key === undefined ? undefined : shared.get(key);
      try {
        const a = await runProbeOnKernel(s.kernelWorld?.(p) ?? s.world, p);
        d.resolve(a);
        same?.resolve(a);
      } catch (e) {
        d.reject(e);
        same?.reject(e);
      }
    };
    const follow = async (s: ProbeSuite, p: ProbeSpec): Promise<void> => {
      const d = answers.get(p)!;
      try {
        d.resolve(await shared.get(s.kernelKey!(p))!.promise);
      } catch (e) {
        d.reject(e);
      }
    };
    const followers: (() => Promise<void>)[] = [];
    const jobs = o.jobs === "per-world"
      ? suites.map((s) => async (): Promise<void> => {
          for (const p of s.probes) await (asks(s, p) ? ask(s, p) : follow(s, p));
        })
      : suites.flatMap((s) =>
          s.probes.flatMap((p) => {
            if (asks(s, p)) return [(): Promise<void> => ask(s, p)];
            followers.push(() => follow(s, p)); // needs no slot: it only waits
            return [];
          }),
        );
    runs = [...limited(jobs, o.concurrency), ...followers.map((f) => f())];
  });

  afterAll(async () => {
    await Promise.allSettled(runs);
  });

  for (const suite of suites) {
    const { name, world, probes } = suite;
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
          const unmet = [...unmetExpectations(probe, k), ...(o.moreExpectations?.(probe, k) ?? [])];
          expect(unmet, `the kernel does not answer as recorded in ${o.expectedIn}:\n  ${unmet.join("\n  ")}\nkernel answered: ${describeAnswer(k)}`).toEqual([]);
        });
        if (sim) {
          (known !== undefined ? test.fails : test)(simTitle, { timeout: o.waitMs }, async () => {
            const k = await answers.get(probe)!.promise;
            const d = await sim;
            const s = suite.simulate ? suite.simulate(probe) : d.runProbeOnSimulator(world, probe);
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
