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

export type Control =
  | { readonly kind: "next" }
  | { readonly kind: "verdict"; readonly verdict: TableVerdict }
  | { readonly kind: "return" }
  | { readonly kind: "jump"; readonly chain: string; readonly goto: boolean };

const NEXT: Control = { kind: "next" };
const RETURN: Control = { kind: "return" };
const ACCEPTED: Control = { kind: "verdict", verdict: TABLE_ACCEPT };

/** `where` names the rule (`nat:KUBE-SEP-X:rule 2`) for drop and reject dispositions. */
export function runTarget(t: Target | undefined, pc: PacketCtx, where: string, step: (verdict: string) => void): Control {
  if (!t) {
    step("counted (no target)");
    return NEXT;
  }
  switch (t.kind) {
    case "ACCEPT":
      step("ACCEPT");
      return ACCEPTED;
    case "DROP":
      step("DROP");
      return { kind: "verdict", verdict: { kind: "drop", rule: where } };
    case "REJECT":
      step(`REJECT --reject-with ${t.with}`);
      return { kind: "verdict", verdict: { kind: "reject", rule: where, with: t.with } };
    case "RETURN":
      step("RETURN");
      return RETURN;
    case "jump":
      step(`${t.goto ? "goto" : "jump"} ${t.chain}`);
      return { kind: "jump", chain: t.chain, goto: t.goto };
    case "DNAT":
    case "SNAT":
    case "MASQUERADE":
    case "REDIRECT": {
      step(t.kind);
      const bad = natTarget(t, pc);
      return bad ? { kind: "verdict", verdict: { kind: "drop", rule: `${where} (${bad})` } } : ACCEPTED;
    }
    case "MARK":
      markTarget(t, pc);
      step(`MARK → 0x${pc.skb.mark.toString(16)}`);
      return NEXT;
    case "CONNMARK":
      connmarkTarget(t, pc);
      step("CONNMARK");
      return NEXT;
    case "NOTRACK":
    case "CT":
      if (t.kind === "NOTRACK" || t.notrack) notrackTarget(pc);
      step("NOTRACK");
      return NEXT;
    case "LOG":
    case "TRACE":
      step(t.kind);
      return NEXT;
  }
}
