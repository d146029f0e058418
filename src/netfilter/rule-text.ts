/**
 * The `-A CHAIN …` text of a rule for traces. Until the iptables-save printer (syntax/) is in,
 * a short form: the chain, the rule's line in its file and its target.
 */
import type { Rule } from "./rule.js";

export function ruleText(chain: string, rule: Rule): string {
  const t = rule.target;
  const target = !t ? "" : t.kind === "jump" ? ` ${t.goto ? "-g" : "-j"} ${t.chain}` : ` -j ${t.kind}`;
  return `-A ${chain}${rule.at ? ` (line ${rule.at.line})` : ""}${target}`;
}
