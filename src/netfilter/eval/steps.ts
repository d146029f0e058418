/**
 * The trace steps a chain walk records, shared by both evaluators so their traces are identical.
 * Plain functions of the packet context (no per-packet closures: this runs for every rule hit).
 */
import type { PacketCtx } from "./context.js";
import type { Decision } from "../choice.js";
import type { Chain } from "../rule.js";
import type { TableVerdict } from "./verdict.js";
import { TABLE_ACCEPT, formatProbability } from "./verdict.js";

/** A rule (by 1-based number) or, with `rule` undefined, a chain's end (`policy …`, `return`). */
export function stepRule(pc: PacketCtx, chain: string, rule: number | undefined, text: string | undefined, verdict: string): void {
  if (!pc.skb.trace.recording) return;
  const base = { kind: "nf" as const, hook: pc.hook, table: pc.table, chain, verdict };
  pc.skb.trace.step(pc.ns.name, rule === undefined ? base : text === undefined ? { ...base, rule } : { ...base, rule, text });
}

export function stepDecision(pc: PacketCtx, d: Decision): void {
  if (!pc.skb.trace.recording) return;
  const s = d.site;
  pc.skb.trace.step(pc.ns.name, { kind: "nf-random", table: s.table, chain: s.chain, rule: s.rule, probability: formatProbability(s.probability), taken: d.taken, how: d.how });
}

/**
 * The walk ran off the end of `chain`: a built-in chain's policy decides (returned), a user
 * chain returns to its caller (undefined). Records the `policy …` / `return` step either way.
 */
export function chainEnd(pc: PacketCtx, chain: Chain): TableVerdict | undefined {
  if (!chain.builtin) {
    stepRule(pc, chain.name, undefined, undefined, "return");
    return undefined;
  }
  const policy = chain.policy ?? "ACCEPT";
  stepRule(pc, chain.name, undefined, undefined, `policy ${policy}`);
  return policy === "DROP" ? { kind: "drop", rule: `${pc.table}:${chain.name}:policy DROP` } : TABLE_ACCEPT;
}
