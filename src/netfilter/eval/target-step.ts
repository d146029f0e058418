/**
 * What a matched rule's target does to the walk, shared by both evaluators: end it with a
 * verdict (ACCEPT, DROP, REJECT, and the NAT targets, which bind the connection and accept),
 * return from the chain, jump or go to another chain, or continue with the next rule after a
 * side effect (MARK, CONNMARK, NOTRACK/CT, LOG, TRACE). `step` records the rule with what it did.
 */
import type { Target } from "../rule.js";
import type { PacketCtx } from "./context.js";
import type { TableVerdict } from "./verdict.js";
import { TABLE_ACCEPT } from "./verdict.js";
import { markTarget, connmarkTarget } from "../target/mark.js";
import { notrackTarget } from "../target/notrack.js";
import { natTarget } from "../target/nat.js";
import { stepRule } from "./steps.js";

export type Control =
  | { readonly kind: "next" }
  | { readonly kind: "verdict"; readonly verdict: TableVerdict }
  | { readonly kind: "return" }
  | { readonly kind: "jump"; readonly chain: string; readonly goto: boolean };

const NEXT: Control = { kind: "next" };
const RETURN: Control = { kind: "return" };
const ACCEPTED: Control = { kind: "verdict", verdict: TABLE_ACCEPT };

/** Runs rule `n` of `chain` (trace text `text`), which matched. */
export function runTarget(t: Target | undefined, pc: PacketCtx, chain: string, n: number, text: string): Control {
  // Verdict texts are only built when someone keeps the steps (they cost more than the walk).
  const rec = pc.skb.trace.recording;
  if (!t) {
    if (rec) stepRule(pc, chain, n, text, "counted (no target)");
    return NEXT;
  }
  switch (t.kind) {
    case "ACCEPT":
      if (rec) stepRule(pc, chain, n, text, "ACCEPT");
      return ACCEPTED;
    case "DROP":
      if (rec) stepRule(pc, chain, n, text, "DROP");
      return { kind: "verdict", verdict: { kind: "drop", rule: ruleWhere(pc, chain, n) } };
    case "REJECT":
      if (rec) stepRule(pc, chain, n, text, `REJECT --reject-with ${t.with}`);
      return { kind: "verdict", verdict: { kind: "reject", rule: ruleWhere(pc, chain, n), with: t.with } };
    case "RETURN":
      if (rec) stepRule(pc, chain, n, text, "RETURN");
      return RETURN;
    case "jump":
      if (rec) stepRule(pc, chain, n, text, `${t.goto ? "goto" : "jump"} ${t.chain}`);
      return { kind: "jump", chain: t.chain, goto: t.goto };
    case "DNAT":
    case "SNAT":
    case "MASQUERADE":
    case "REDIRECT": {
      if (rec) stepRule(pc, chain, n, text, t.kind);
      const bad = natTarget(t, pc);
      return bad ? { kind: "verdict", verdict: { kind: "drop", rule: `${ruleWhere(pc, chain, n)} (${bad})` } } : ACCEPTED;
    }
    case "MARK":
      markTarget(t, pc);
      if (rec) stepRule(pc, chain, n, text, `MARK → 0x${pc.skb.mark.toString(16)}`);
      return NEXT;
    case "CONNMARK":
      connmarkTarget(t, pc);
      if (rec) stepRule(pc, chain, n, text, "CONNMARK");
      return NEXT;
    case "NOTRACK":
    case "CT":
      if (t.kind === "NOTRACK" || t.notrack) notrackTarget(pc);
      if (rec) stepRule(pc, chain, n, text, "NOTRACK");
      return NEXT;
    case "LOG":
    case "TRACE":
      if (rec) stepRule(pc, chain, n, text, t.kind);
      return NEXT;
  }
}

function ruleWhere(pc: PacketCtx, chain: string, n: number): string {
  return `${pc.table}:${chain}:rule ${n}`;
}
