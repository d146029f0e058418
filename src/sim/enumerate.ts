/**
 * Every outcome a command can have, with its probability: the command is rerun on a fresh world
 * once per combination of `statistic --mode random` decisions that matters. The first run takes
 * every random rule it meets; each decision it met opens the alternative as a new run (a
 * depth-first walk of the decision tree), so rules that are never reached on a branch never
 * multiply it. A branch's probability is the product of its decisions' exact probabilities, as
 * the kernel's 31-bit fixed-point values give them (1/3, 1/2, rest for kube-proxy's three
 * endpoints: 0.33333333349, then 0.5 of the remaining 0.66666666651 twice).
 */
import type { WorldSpec } from "../netns/spec.js";
import type { Decision } from "../netfilter/choice.js";
import { ScriptChooser, decisionProbability } from "../netfilter/choice.js";
import type { ExecOptions, SimRun } from "./exec.js";
import { simulate } from "./exec.js";

export interface Branch {
  readonly decisions: readonly Decision[];
  readonly probability: number;
  readonly run: SimRun;
}

export interface Enumeration {
  readonly branches: readonly Branch[];
  /** True when `limit` stopped the walk before every branch was run. */
  readonly truncated: boolean;
}

export const DEFAULT_BRANCH_LIMIT = 256;

export function enumerate(spec: WorldSpec, netns: string, command: string, options: ExecOptions = {}, limit = DEFAULT_BRANCH_LIMIT): Enumeration {
  const branches: Branch[] = [];
  const pending: boolean[][] = [[]];
  while (pending.length > 0) {
    if (branches.length >= limit) return { branches, truncated: true };
    const script = pending.pop()!;
    let chooser: ScriptChooser | undefined;
    const run = simulate(spec, netns, command, { ...options, chooser: () => (chooser = new ScriptChooser(script, firstPossible)) });
    const decisions = chooser!.log;
    const probability = decisions.reduce((p, d) => p * decisionProbability(d), 1);
    // Alternatives for the decisions this run made beyond its script, last first so branches come out in rule order.
    const alternatives: boolean[][] = [];
    for (let i = script.length; i < decisions.length; i++) {
      const alt = [...decisions.slice(0, i).map((d) => d.taken), !decisions[i]!.taken];
      if (decisionProbability({ site: decisions[i]!.site, taken: !decisions[i]!.taken }) > 0) alternatives.push(alt);
    }
    pending.push(...alternatives);
    if (probability > 0) branches.push({ decisions, probability, run });
  }
  return { branches, truncated: false };
}

/** A decision past the script takes the branch when it can happen at all. */
function firstPossible(d: Omit<Decision, "taken" | "how">): boolean {
  return decisionProbability({ site: d.site, taken: true }) > 0;
}
