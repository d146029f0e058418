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
import { TABLE_ACCEPT, formatProbability } from "./verdict.js";
import { ruleMatches } from "../match/index.js";
import { markTarget, connmarkTarget } from "../target/mark.js";
import { notrackTarget } from "../target/notrack.js";
import { natTarget } from "../target/nat.js";
import type { Decision } from "../choice.js";

export type RuleFormatter = (chain: string, rule: Rule) => string;

export interface LoadedTable {
  readonly name: TableName;
  readonly chains: ReadonlyMap<string, Chain>;
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
  let chain = start;
  let i = 0;
  const node = pc.ns.name;
  const trace = pc.skb.trace;
  const step = (chainName: string, rule: number | undefined, text: string | undefined, verdict: string) =>
    trace.step(node, { kind: "nf", hook: pc.hook, table: table.name, chain: chainName, ...(rule !== undefined ? { rule } : {}), ...(text !== undefined ? { text } : {}), verdict });
  const onDecision = (d: Decision) =>
    trace.step(node, { kind: "nf-random", table: d.site.table, chain: d.site.chain, rule: d.site.rule, probability: formatProbability(d.site.probability), taken: d.taken, how: d.how });
  for (let guard = 0; guard < MAX_STEPS; guard++) {
    if (i >= chain.rules.length) {
      if (chain.builtin) {
        const policy = chain.policy ?? "ACCEPT";
        step(chain.name, undefined, undefined, `policy ${policy}`);
        return policy === "DROP" ? { kind: "drop", rule: `${table.name}:${chain.name}:policy DROP` } : TABLE_ACCEPT;
      }
      step(chain.name, undefined, undefined, "return");
      const back = stack.pop();
      if (back) {
        chain = back.chain;
        i = back.next;
      } else {
        chain = start;
        i = start.rules.length;
      }
      continue;
    }
    const rule = chain.rules[i]!;
    const n = i + 1;
    const site: RuleSite = { table: table.name, chain: chain.name, rule: n };
    if (!ruleMatches(rule, pc, site, onDecision)) {
      if (opts.verbose) step(chain.name, n, opts.formatRule(chain.name, rule), "no match");
      i++;
      continue;
    }
    const t = rule.target;
    const text = opts.formatRule(chain.name, rule);
    const where = `${table.name}:${chain.name}:rule ${n}`;
    if (!t) {
      step(chain.name, n, text, "counted (no target)");
      i++;
      continue;
    }
    switch (t.kind) {
      case "ACCEPT":
        step(chain.name, n, text, "ACCEPT");
        return TABLE_ACCEPT;
      case "DROP":
        step(chain.name, n, text, "DROP");
        return { kind: "drop", rule: where };
      case "REJECT":
        step(chain.name, n, text, `REJECT --reject-with ${t.with}`);
        return { kind: "reject", rule: where, with: t.with };
      case "RETURN": {
        step(chain.name, n, text, "RETURN");
        const back = stack.pop();
        if (back) {
          chain = back.chain;
          i = back.next;
        } else {
          chain = start;
          i = start.rules.length;
        }
        continue;
      }
      case "jump": {
        const to = table.chains.get(t.chain);
        step(chain.name, n, text, `${t.goto ? "goto" : "jump"} ${t.chain}`);
        if (!to) return TABLE_ACCEPT; // refused at load; unreachable for a checked ruleset
        if (!t.goto) stack.push({ chain, next: i + 1 });
        chain = to;
        i = 0;
        continue;
      }
      case "DNAT":
      case "SNAT":
      case "MASQUERADE":
      case "REDIRECT": {
        step(chain.name, n, text, t.kind);
        const bad = natTarget(t, pc);
        return bad ? { kind: "drop", rule: `${where} (${bad})` } : TABLE_ACCEPT;
      }
      case "MARK":
        markTarget(t, pc);
        step(chain.name, n, text, `MARK → 0x${pc.skb.mark.toString(16)}`);
        break;
      case "CONNMARK":
        connmarkTarget(t, pc);
        step(chain.name, n, text, "CONNMARK");
        break;
      case "NOTRACK":
      case "CT":
        if (t.kind === "NOTRACK" || t.notrack) notrackTarget(pc);
        step(chain.name, n, text, "NOTRACK");
        break;
      case "LOG":
      case "TRACE":
        step(chain.name, n, text, t.kind);
        break;
    }
    i++;
  }
  return { kind: "drop", rule: `${table.name}: rule walk did not end` };
}
