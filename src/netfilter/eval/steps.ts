/** The trace steps a chain walk records, shared by both evaluators so their traces are identical. */
import type { PacketCtx } from "./context.js";
import type { Decision } from "../choice.js";
import { formatProbability } from "./verdict.js";

export interface WalkSteps {
  /** A rule (by 1-based number) or a chain's end (`policy …`, `return`). */
  rule(chain: string, rule: number | undefined, text: string | undefined, verdict: string): void;
  decision(d: Decision): void;
}

export function walkSteps(pc: PacketCtx): WalkSteps {
  const node = pc.ns.name;
  const trace = pc.skb.trace;
  return {
    rule: (chain, rule, text, verdict) =>
      trace.step(node, { kind: "nf", hook: pc.hook, table: pc.table, chain, ...(rule !== undefined ? { rule } : {}), ...(text !== undefined ? { text } : {}), verdict }),
    decision: (d) =>
      trace.step(node, { kind: "nf-random", table: d.site.table, chain: d.site.chain, rule: d.site.rule, probability: formatProbability(d.site.probability), taken: d.taken, how: d.how }),
  };
}
