/**
 * Every seed scenario (scenarios/seeds/*.yaml, found when the test runs), at every phase of its
 * timeline, on the real kernel and on the simulator: the phase's world materialised from the
 * generated node state (materialize.ts: devices, addresses, routes, neighbours, FDB, sysctls and
 * each node's iptables-restore), asked
 *   - every probe `podpath matrix` runs at that phase (pod → pod, pod → Service port once per
 *     endpoint, the endpoint's KUBE-SEP chain pinned), and
 *   - each of the file's probes once, once per random branch when kube-proxy has a choice to make
 * (seed-probes.ts says how the list is made, what is changed — short timeouts — and what is not
 * asked: probes that need cluster DNS). A random choice is pinned on both sides: the kernel's
 * rules rewritten to it, the simulator's chooser making it (seed-pin.ts).
 *
 * For each probe two tests (probe-suites.ts):
 *   kernel                the kernel answers within the harness timeout and meets the phase's
 *                         expectation for every run (exit, stdout, stderr; the outcome class when
 *                         the output says it); matrix probes have none of their own
 *   simulator ≡ kernel    same exit code, same stdout and stderr after normalizeOutput — so the
 *                         same outcome (ok, refused, no route to host, timed out …) in the same words
 *
 * Every probe gets a fresh world (oracle.ts), four built side by side; a question asked twice —
 * the same world, netns and command in two phases — is asked of the kernel once. Seeds 000–004
 * (16 phases, 280 probes, 211 kernel worlds) took 3 min 44 s here on two shared cores (4 min 49 s
 * three at a time). Filter with -t: `-t "001-nodeport"` runs one seed, `-t "@ broken"` one phase
 * of each, and only the probes whose tests run are asked.
 *
 * Needs root, the kernel tools, iptables-restore and br_netfilter, as cluster.test.ts. A seed file
 * that does not load is reported as a skipped test with the loader's message (`podpath test`
 * fails on it). `PODPATH_KERNEL_ONLY=1` runs the kernel half only (the probe list still comes from
 * the simulator's matrix and enumerator).
 */
import { basename } from "node:path";
import { describe, test } from "vitest";
import { BR_NETFILTER_MISSING, brNetfilterLoaded } from "./nf/topology.js";
import { defineProbeSuites, skipOrFail } from "./probe-suites.js";
import { loadSeed, outcomeExpectation, seedFiles, seedPhases, seedSuite, type SeedSuite } from "./seed-probes.js";
import { kernelAvailability, REQUIRED_TOOLS } from "./tools.js";

/** Worlds built and probed side by side. */
const CONCURRENCY = 4;
/** A test may wait for every probe before it. */
const WAIT_MS = 600_000;

/**
 * `${suite}: ${probe}` → why the simulator is known to disagree; run as an expected failure (every
 * assertion kept; the test turns red once the simulator agrees).
 */
const KNOWN_DISAGREEMENTS: ReadonlyMap<string, string> = new Map<string, string>();

const TITLE = "seed scenarios kernel differential test";
const avail = kernelAvailability([...REQUIRED_TOOLS, "iptables-restore"]);

if (!avail.usable) {
  skipOrFail(TITLE, avail.reason);
} else if (!brNetfilterLoaded()) {
  skipOrFail(TITLE, BR_NETFILTER_MISSING, false);
} else {
  const suites: SeedSuite[] = [];
  for (const file of seedFiles()) {
    const loaded = loadSeed(file);
    if (!loaded.ok) {
      console.warn(`${basename(file)} not asked: it does not load\n${loaded.reason}`);
      describe(basename(file, ".yaml"), () => {
        test.skip(`does not load: ${loaded.reason.split("\n")[0] ?? ""}`, () => undefined);
      });
      continue;
    }
    for (const phase of seedPhases(loaded.world)) suites.push(seedSuite(file, phase));
  }
  defineProbeSuites(suites, {
    concurrency: CONCURRENCY,
    jobs: "per-probe",
    waitMs: WAIT_MS,
    expectedIn: "the seed file (the phase's expectation)",
    knownDisagreements: KNOWN_DISAGREEMENTS,
    withSimulator: process.env["PODPATH_KERNEL_ONLY"] !== "1",
    moreExpectations: outcomeExpectation,
  });
  for (const s of suites) {
    if (s.notAsked.length === 0) continue;
    describe(`${s.name} (not asked)`, () => {
      for (const n of s.notAsked) test.skip(`${n.name}${n.command !== "" ? ` [${n.command}]` : ""}: ${n.reason}`, () => undefined);
    });
  }
}
