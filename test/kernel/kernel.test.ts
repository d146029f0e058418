/**
 * The kernel is the oracle: every `kernel: true` probe of every `scenarios/lowlevel/*.yaml` is
 * run in real network namespaces and on the simulator, and the two must agree.
 *
 * For each probe two tests:
 *   kernel     the real answer meets the probe's own `expect` block — the scenario's
 *              expectations are the kernel's answers, not anyone's belief
 *   simulator  `execCommand(world, netns, command, { seed })` gives the same exit code and, after
 *              normalizeOutput, the same stdout and stderr as the kernel
 *
 * `PODPATH_KERNEL_ONLY=1` runs the kernel half only (the simulator is not even imported).
 * Without root or a tool the suite is skipped with the reason — under `CI=true` it fails.
 *
 * Each probe runs in a freshly built world (see oracle.ts). Probes of one scenario run one after
 * the other; up to SCENARIO_CONCURRENCY scenarios run side by side (their names never collide).
 */
import { afterAll, beforeAll, describe, expect, test, type RunnerTask } from "vitest";
import { formatIssue } from "../../src/core/issue.js";
import type { ProbeSpec, WorldSpec } from "../../src/netns/spec.js";
import { limited } from "./limit.js";
import { cleanupStale } from "./names.js";
import { describeAnswer, probeTitle, runProbeOnKernel, unmetExpectations, type KernelAnswer } from "./oracle.js";
import { projectLoader, scenarioFiles } from "./scenarios.js";
import { kernelAvailability } from "./tools.js";

const SCENARIO_CONCURRENCY = 4;
/** A test may wait for its scenario's turn and then for all earlier probes of it. */
const WAIT_MS = 300_000;

const avail = kernelAvailability();
const kernelOnly = process.env["PODPATH_KERNEL_ONLY"] === "1";
const loader = await projectLoader();

type Loaded = { readonly file: string; readonly world: WorldSpec } | { readonly file: string; readonly problems: string };

function loadAll(): Loaded[] {
  if (typeof loader !== "function") return [];
  return scenarioFiles().map((file) => {
    const r = loader(file);
    return r.ok ? { file, world: r.value } : { file, problems: r.issues.map(formatIssue).join("\n") };
  });
}

function skipOrFail(reason: string): void {
  if (process.env["CI"] === "true") {
    describe("kernel differential tests", () => {
      test("can run under CI", () => {
        expect.fail(`kernel tests cannot run: ${reason}`);
      });
    });
  } else {
    console.warn(`kernel differential tests skipped: ${reason}`);
    describe("kernel differential tests", () => {
      test.skip(`skipped: ${reason}`, () => undefined);
    });
  }
}

if (!avail.usable) {
  skipOrFail(avail.reason);
} else if (typeof loader !== "function") {
  skipOrFail(loader.missing);
} else {
  const loaded = loadAll();
  const worlds = loaded.flatMap((l) => ("world" in l ? [l.world] : []));

  // One kernel answer per probe: a promise made now, settled by its scenario's run.
  interface Deferred {
    readonly promise: Promise<KernelAnswer>;
    resolve(a: KernelAnswer): void;
    reject(e: unknown): void;
  }
  const answers = new Map<ProbeSpec, Deferred>();
  for (const w of worlds) {
    for (const p of w.probes) {
      if (!p.kernel) continue;
      let resolve!: (a: KernelAnswer) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<KernelAnswer>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined); // reported by the probe's own test
      answers.set(p, { promise, resolve, reject });
    }
  }
  let runs: Promise<void>[] = [];
  const sim = kernelOnly ? undefined : import("./differential.js");
  sim?.catch(() => undefined);

  // Which test asks about which probe, so only probes whose tests will run (`-t` filters,
  // `.only`) are asked of the kernel.
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
    const jobs = worlds.map((world) => async (): Promise<void> => {
      for (const p of world.probes) {
        const d = answers.get(p);
        if (!d) continue;
        if (!wanted.has(p)) {
          d.reject(new Error("not asked of the kernel: its tests were filtered out"));
          continue;
        }
        try {
          d.resolve(await runProbeOnKernel(world, p));
        } catch (e) {
          d.reject(e);
        }
      }
    });
    runs = limited(jobs, SCENARIO_CONCURRENCY);
  });

  afterAll(async () => {
    await Promise.allSettled(runs);
  });

  function kernelAnswer(probe: ProbeSpec): Promise<KernelAnswer> {
    const d = answers.get(probe);
    if (!d) throw new Error(`no kernel run for probe ${probe.name}`);
    return d.promise;
  }

  for (const l of loaded) {
    const base = l.file.slice(l.file.lastIndexOf("/") + 1);
    if (!("world" in l)) {
      describe(base, () => {
        test("loads", () => {
          expect.fail(`scenario does not load:\n${l.problems}`);
        });
      });
      continue;
    }
    const world = l.world;
    const suiteName = `${base}: ${world.name}`;
    describe(suiteName, () => {
      const probes = world.probes.filter((p) => p.kernel);
      if (probes.length === 0) test.skip("no kernel probes", () => undefined);
      for (const probe of probes) {
        const title = probeTitle(world, probe);
        probeOfTest.set(testKey(suiteName, `kernel: ${title}`), probe);
        probeOfTest.set(testKey(suiteName, `simulator ≡ kernel: ${title}`), probe);
        test(`kernel: ${title}`, { timeout: WAIT_MS }, async () => {
          const k = await kernelAnswer(probe);
          expect(k.timedOut, `the probe outlived the harness timeout\n${describeAnswer(k)}`).toBe(false);
          const unmet = unmetExpectations(probe, k);
          expect(unmet, `the kernel does not meet the scenario's expect block:\n  ${unmet.join("\n  ")}\nkernel answered: ${describeAnswer(k)}`).toEqual([]);
        });
        if (sim) {
          test(`simulator ≡ kernel: ${title}`, { timeout: WAIT_MS }, async () => {
            const k = await kernelAnswer(probe);
            const d = await sim;
            const s = d.runProbeOnSimulator(world, probe);
            if (!s.ok) expect.fail(`the simulator threw:\n${s.error}\nkernel answered: ${describeAnswer(k)}`);
            const diffs = d.differences(k, s.answer);
            const msg = `simulator and kernel disagree on ${title}\n${diffs.join("\n")}\n\nkernel answered: ${describeAnswer(k)}\nsimulator answered: ${describeAnswer(s.answer)}\n`;
            expect(d.normalizedAnswer(s.answer), msg).toEqual(d.normalizedAnswer(k));
          });
        }
      }
    });
  }
}
