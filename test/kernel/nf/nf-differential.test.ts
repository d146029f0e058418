/**
 * The netfilter differential suite: every case of cases.ts (≥ 300 generated and hand-written
 * (ruleset, commands) pairs) asked of the real kernel and — unless PODPATH_NF_DIFF=0 — of the
 * simulator, which must answer each command with the same exit code and, after normalization
 * (times; ephemeral client ports in listener echoes), the same stdout and stderr.
 *
 * For each case:
 *   kernel               iptables-restore took the ruleset (a `refused-*` case: refused it), no
 *                        command outlived the harness, and a case in save form is what
 *                        iptables-save prints back (so the texts are the kernel's own form)
 *   simulator ≡ kernel   (unless PODPATH_NF_DIFF=0) the project's parser reads the text, the simulator
 *                        runs the commands in one world, and every answer agrees; a ruleset the
 *                        kernel refuses must be refused by the parser too
 *
 * The topology is built once; cases run one after the other (see kernel-world.ts); the whole
 * kernel half takes about 2.5 minutes here. Without root or a tool the suite is skipped with the
 * reason; under CI=true it fails. PODPATH_NF_SEED changes the generated cases.
 */
import { deferred, type Deferred } from "../deferred.js";
import { afterAll, beforeAll, describe, expect, test, type RunnerTask } from "vitest";
import { describeAnswer } from "../oracle.js";
import { cleanupStale } from "../names.js";
import { NF_TOOLS, REQUIRED_TOOLS, kernelAvailability } from "../tools.js";
import type { NfCase } from "./case.js";
import { allCases } from "./cases.js";
import { stepDifferences } from "./compare.js";
import { startNfKernel, type KernelCaseAnswer } from "./kernel-world.js";
import { findParser } from "./parser.js";
import { runCaseOnSimulator } from "./sim-side.js";
import { BR_NETFILTER_MISSING, brNetfilterLoaded, needsBrNetfilter, topology } from "./topology.js";

/** A test may wait for every case before it on the kernel. */
const WAIT_MS = 600_000;

const avail = kernelAvailability([...REQUIRED_TOOLS, ...NF_TOOLS]);
/** PODPATH_NF_DIFF=0 runs the kernel half alone (e.g. while the simulator is being rewritten). */
const simulatorToo = process.env["PODPATH_NF_DIFF"] !== "0";

/**
 * Cases where the simulator is known to disagree with the kernel, and why. Their comparison runs
 * as an expected failure: it keeps every assertion, and turns red the day the simulator agrees,
 * so the entry gets removed.
 */
const KNOWN_DISAGREEMENTS: ReadonlyMap<string, string> = new Map<string, string>();
const parser = simulatorToo ? await findParser() : undefined;
const brNetfilter = brNetfilterLoaded();
const cases = allCases();

/** `tcp-07` → `tcp`; hand-written cases (no numeric suffix) form one group. */
function family(c: NfCase): string {
  const m = /^(.*)-\d+$/.exec(c.name);
  return m?.[1] ?? "hand-written";
}

function skipOrFail(reason: string): void {
  describe("netfilter differential tests", () => {
    if (avail.mustFail) test("can run under CI", () => expect.fail(`netfilter kernel tests cannot run: ${reason}`));
    else test.skip(`skipped: ${reason}`, () => undefined);
  });
  if (!avail.mustFail) console.warn(`netfilter kernel tests skipped: ${reason}`);
}


function describeKernel(a: KernelCaseAnswer): string {
  return a.steps.map((s) => `[${s.netns}]$ ${s.command}\n  ${describeAnswer(s).replace(/\n/g, "\n  ")}`).join("\n");
}

if (!avail.usable) {
  skipOrFail(avail.reason);
} else {
  const answers = new Map<NfCase, Deferred<KernelCaseAnswer>>(cases.map((c) => [c, deferred<KernelCaseAnswer>()]));
  const caseOfTest = new Map<string, NfCase>();
  let run: Promise<void> = Promise.resolve();

  beforeAll(async ({}, file) => {
    await cleanupStale();
    const wanted = new Set<NfCase>();
    const visit = (task: RunnerTask): void => {
      if (task.type === "suite") for (const t of task.tasks) visit(t);
      else if (task.mode === "run" || task.mode === "only" || task.mode === "queued") {
        const c = caseOfTest.get(task.name);
        if (c) wanted.add(c);
      }
    };
    for (const t of file.tasks) visit(t);
    run = (async () => {
      let kernel;
      try {
        kernel = await startNfKernel();
      } catch (e) {
        for (const d of answers.values()) d.reject(e);
        return;
      }
      try {
        for (const [c, d] of answers) {
          if (!wanted.has(c)) {
            d.reject(new Error("not asked of the kernel: its tests were filtered out"));
            continue;
          }
          try {
            d.resolve(await kernel.runCase(c));
          } catch (e) {
            d.reject(e);
          }
        }
      } finally {
        await kernel.teardown();
      }
    })();
  });

  afterAll(async () => {
    await run;
  });

  const base = topology(brNetfilter);
  const families = [...new Set(cases.map(family))];
  for (const fam of families) {
    describe(fam, () => {
      for (const c of cases.filter((x) => family(x) === fam)) {
        const kernelTitle = `kernel: ${c.name}`;
        const known = KNOWN_DISAGREEMENTS.get(c.name);
        const simTitle = `simulator ≡ kernel: ${c.name}${known !== undefined ? ` (known disagreement: ${known})` : ""}`;
        caseOfTest.set(kernelTitle, c);
        caseOfTest.set(simTitle, c);
        const refused = c.name.startsWith("refused-");
        if (!brNetfilter && needsBrNetfilter(c)) {
          test.skip(`${kernelTitle} (${BR_NETFILTER_MISSING})`, () => undefined);
          continue;
        }

        test(kernelTitle, { timeout: WAIT_MS }, async () => {
          const k = await answers.get(c)!.promise;
          if (refused) {
            expect(k.restore.exitCode, `the kernel took a ruleset this case expects it to refuse:\n${c.tables}`).not.toBe(0);
            return;
          }
          expect(k.restore.exitCode, `iptables-restore refused the case's ruleset:\n${k.restore.stderr}\n${c.tables}`).toBe(0);
          const late = k.steps.filter((s) => s.timedOut);
          expect(late.map((s) => s.command), `commands outlived the harness timeout:\n${describeKernel(k)}`).toEqual([]);
          if (c.form === "save") expect(k.saved, "iptables-save prints this ruleset differently: write the case in the kernel's form").toBe(c.tables);
        });

        if (simulatorToo) {
          (known !== undefined ? test.fails : test)(simTitle, { timeout: WAIT_MS }, async () => {
            const k = await answers.get(c)!.promise;
            if (parser === undefined || "missing" in parser) {
              expect.fail(`no parser to read the case's ruleset: ${parser?.missing ?? "not looked for"}`);
              return;
            }
            const s = runCaseOnSimulator(parser, base, c);
            const header = `case ${c.name} (${c.exercises.join(", ")})${c.note !== undefined ? `\n${c.note}` : ""}\n${c.tables}`;
            if (k.restore.exitCode !== 0) {
              expect(s.ok ? "accepted" : s.stage, `${header}\nthe kernel refused this ruleset (${k.restore.stderr.trim()}), the simulator's parser did not`).toBe("parse");
              return;
            }
            if (!s.ok) expect.fail(`${header}\nthe simulator failed at ${s.stage}:\n${s.error}\n\nkernel answered:\n${describeKernel(k)}`);
            const diffs = k.steps.flatMap((ks, i) => {
              const ss = s.steps[i];
              if (!ss) return [`[${ks.netns}]$ ${ks.command}: no simulator answer`];
              const d = stepDifferences(ks, ss, c.ports);
              return d.length === 0 ? [] : [`[${ks.netns}]$ ${ks.command}\n  ${d.join("\n  ")}\n  kernel:    ${describeAnswer(ks).replace(/\n/g, "\n  ")}\n  simulator: ${describeAnswer(ss).replace(/\n/g, "\n  ")}`];
            });
            expect(diffs, `${header}\nsimulator and kernel disagree:\n${diffs.join("\n\n")}`).toEqual([]);
          });
        }
      }
    });
  }
}
