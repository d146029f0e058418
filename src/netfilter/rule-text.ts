/**
 * The `-A CHAIN …` text of a rule in traces: exactly the line `iptables-save` prints for it
 * (formatRule() of the syntax printer, src/netfilter/syntax/save.ts — nft_ipv4_save_rule() in
 * iptables 1.8.9). Kept under this name for its importers (sim/build.ts, bench, tests).
 */
import type { Rule } from "./rule.js";
import { formatRule } from "./syntax/index.js";

export function ruleText(chain: string, rule: Rule): string {
  return formatRule(chain, rule);
}
