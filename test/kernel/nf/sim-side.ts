/**
 * The simulator's side of a netfilter case: parse the case's ruleset with the project's parser,
 * put it on the router of the topology (`NetnsSpec.iptables = { ruleset, text, file }`), build
 * the world once and run the case's commands in it one after the other (`runOn`), so — as on
 * the kernel — conntrack entries, `recent` lists and nth counters carry from one command to the
 * next within a case, and nothing carries between cases.
 */
import { formatIssue } from "../../../src/core/issue.js";
import type { WorldSpec } from "../../../src/netns/spec.js";
import { buildWorld } from "../../../src/sim/build.js";
import { runOn } from "../../../src/sim/exec.js";
import type { Answer } from "../oracle.js";
import type { NfCase } from "./case.js";
import { withRuleset, type RulesetParser } from "./topology.js";

export type SimCaseAnswer =
  | { readonly ok: true; readonly steps: readonly Answer[] }
  | { readonly ok: false; readonly stage: "parse" | "build" | "run"; readonly error: string };

export function caseFile(c: NfCase): string {
  return `nf-cases/${c.name}.rules`;
}

export function runCaseOnSimulator(parse: RulesetParser, base: WorldSpec, c: NfCase): SimCaseAnswer {
  let parsed;
  try {
    parsed = parse(c.tables, caseFile(c));
  } catch (e) {
    return { ok: false, stage: "parse", error: `the parser threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
  }
  if (!parsed.ok) return { ok: false, stage: "parse", error: parsed.issues.map(formatIssue).join("\n") };
  const spec = withRuleset(base, parsed.value, c.tables, caseFile(c));
  try {
    const built = buildWorld(spec, spec.seed);
    if (!built.ok) return { ok: false, stage: "build", error: built.issues.map(formatIssue).join("\n") };
    const world = built.value;
    const steps: Answer[] = [];
    for (const s of c.steps) {
      const r = runOn(world, s.netns, s.command).result;
      steps.push({ stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode });
    }
    return { ok: true, steps };
  } catch (e) {
    return { ok: false, stage: "run", error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}
