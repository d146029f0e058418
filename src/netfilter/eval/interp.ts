/**
 * The reference evaluator: ipt_do_table() (net/ipv4/netfilter/ip_tables.c) walking one table's
 * chains for one packet. Rules in order; a rule without a target only counts; a jump pushes a
 * return point, a goto does not; RETURN or the end of a user chain pops (an empty stack falls
 * to the built-in chain's policy); ACCEPT, DROP, REJECT and the NAT targets end the walk;
 * MARK, CONNMARK, LOG, NOTRACK, CT and TRACE continue with the next rule. Every rule that matched
 * is a trace step (`table:chain:rule N`), as the kernel's TRACE target logs it; with `verbose`
 * the rules that did not match are steps too.
 */
import type { Chain, Rule, TableName } from "../rule.js";
import type { PacketCtx, RuleSite } from "./context.js";
import type { TableVerdict } from "./verdict.js";
import { TABLE_ACCEPT } from "./verdict.js";
import { chainEnd, stepRule } from "./steps.js";
import { ruleMatches } from "../match/index.js";
import { runTarget } from "./target-step.js";
import { ipLength } from "../../wire/packet.js";

export type RuleFormatter = (chain: string, rule: Rule) => string;

export interface LoadedTable {
  readonly name: TableName;
  readonly chains: ReadonlyMap<string, Chain>;
  /** Counts a packet of `bytes` against rule `index` (0-based) of `chain`, as ipt_do_table's ADD_COUNTER does for every rule that matched. */
  countRule(chain: string, index: number, bytes: number): void;
  /** Counts a packet that took built-in `chain`'s policy. */
  countPolicy(chain: string, bytes: number): void;
}

export interface WalkOptions {
  readonly formatRule: RuleFormatter;
  /** Record rules that did not match as steps too. */
  readonly verbose: boolean;
}

/** The kernel bounds a walk by its jump stack; a ruleset that passed the load-time loop check cannot hit this. */
const MAX_STEPS = 1_000_000;

export function walkTable(table: LoadedTable, pc: PacketCtx, opts: WalkOptions): TableVerdict {
  const start = table.chains.get(pc.hook);
  if (!start) return TABLE_ACCEPT;
  const stack: { chain: Chain; next: number }[] = [];
  const bytes = ipLength(pc.skb.pkt);
  let chain = start;
  let i = 0;
  for (let guard = 0; guard < MAX_STEPS; guard++) {
    if (i >= chain.rules.length) {
      if (chain.builtin) table.countPolicy(chain.name, bytes);
      const end = chainEnd(pc, chain);
      if (end) return end;
      ({ chain, next: i } = stack.pop() ?? { chain: start, next: start.rules.length });
      continue;
    }
    const rule = chain.rules[i]!;
    const n = i + 1;
    const site: RuleSite = { table: table.name, chain: chain.name, rule: n };
    if (!ruleMatches(rule, pc, site)) {
      if (opts.verbose) stepRule(pc, chain.name, n, opts.formatRule(chain.name, rule), "no match");
      i++;
      continue;
    }
    table.countRule(chain.name, i, bytes);
    // The rule's text only matters to a trace that keeps its steps.
    const text = pc.skb.trace.recording ? opts.formatRule(chain.name, rule) : "";
    const c = runTarget(rule.target, pc, chain.name, n, text);
    if (c.kind === "verdict") return c.verdict;
    if (c.kind === "return") {
      // RETURN with an empty stack falls to the built-in chain's policy.
      ({ chain, next: i } = stack.pop() ?? { chain: start, next: start.rules.length });
      continue;
    }
    if (c.kind === "jump") {
      const to = table.chains.get(c.chain);
      if (!to) return TABLE_ACCEPT; // refused at load; unreachable for a checked ruleset
      if (!c.goto) stack.push({ chain, next: i + 1 });
      chain = to;
      i = 0;
      continue;
    }
    i++;
  }
  return { kind: "drop", rule: `${table.name}: rule walk did not end` };
}
