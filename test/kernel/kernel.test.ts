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
 * The harness itself is probe-suites.ts, shared with cluster.test.ts.
 */
import { describe, expect, test } from "vitest";
import { formatIssue } from "../../src/core/issue.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { defineProbeSuites, skipOrFail, type ProbeSuite } from "./probe-suites.js";
import { projectLoader, scenarioFiles } from "./scenarios.js";
import { kernelAvailability } from "./tools.js";

const SCENARIO_CONCURRENCY = 4;
/** A test may wait for its scenario's turn and then for all earlier probes of it. */
const WAIT_MS = 300_000;
const TITLE = "kernel differential tests";

const avail = kernelAvailability();
const loader = await projectLoader();

type Loaded = { readonly file: string; readonly world: WorldSpec } | { readonly file: string; readonly problems: string };

function loadAll(): Loaded[] {
  if (typeof loader !== "function") return [];
  return scenarioFiles().map((file) => {
    const r = loader(file);
    return r.ok ? { file, world: r.value } : { file, problems: r.issues.map(formatIssue).join("\n") };
  });
}

if (!avail.usable) {
  skipOrFail(TITLE, avail.reason);
} else if (typeof loader !== "function") {
  skipOrFail(TITLE, loader.missing);
} else {
  const suites: ProbeSuite[] = [];
  for (const l of loadAll()) {
    const base = l.file.slice(l.file.lastIndexOf("/") + 1);
    if (!("world" in l)) {
      describe(base, () => {
        test("loads", () => {
          expect.fail(`scenario does not load:\n${l.problems}`);
        });
      });
      continue;
    }
    suites.push({ name: `${base}: ${l.world.name}`, world: l.world, probes: l.world.probes.filter((p) => p.kernel) });
  }
  defineProbeSuites(suites, {
    concurrency: SCENARIO_CONCURRENCY,
    jobs: "per-world",
    waitMs: WAIT_MS,
    expectedIn: "the scenario's expect block",
    withSimulator: process.env["PODPATH_KERNEL_ONLY"] !== "1",
  });
}
