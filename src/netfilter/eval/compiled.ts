/**
 * The fast evaluator: the same walk as interp.ts, over chains compiled once per ruleset. Each
 * rule becomes one predicate (header tests with masks precomputed, then the same match
 * functions the interpreter calls, so the two cannot disagree on what a match means), and its
 * trace text is formatted once. A chain of many rules whose header names one destination
 * (`-d 10.96.0.50/32`, kube-proxy's KUBE-SERVICES) gets an index from destination address to the
 * rules that name it; a walk visits only those rules and the rules the index cannot rule out,
 * in rule order — which is exactly the set of rules whose destination test could pass, so
 * verdicts, NAT, random draws and matched-rule steps are the interpreter's. In verbose mode
 * (every rule a step, matched or not) the index is not used.
 *
 * This is the O(1) service lookup of nftables' verdict maps, with iptables' first-match semantics.
 */
import type { Chain, Rule } from "../rule.js";
import type { PacketCtx, RuleSite } from "./context.js";
import type { LoadedTable, WalkOptions } from "./interp.js";
import { walkTable } from "./interp.js";
import type { TableVerdict } from "./verdict.js";
import { TABLE_ACCEPT } from "./verdict.js";
import { ruleMatches } from "../match/index.js";
import { chainEnd } from "./steps.js";
import { runTarget } from "./target-step.js";
import type { RuleFormatter } from "./interp.js";

/** Chains shorter than this are scanned; an index does not pay for itself below it. */
export const INDEX_MIN_RULES = 16;

interface CRule {
  readonly rule: Rule;
  readonly n: number;
  readonly text: string;
  /** Where the rule sits, made once (the statistic match hands it to the chooser). */
  readonly site: RuleSite;
  /** Destination this rule's header requires (`-d a/32`, not negated), if any. */
  readonly dst?: number;
  /** The compiled chain a jump/goto target leads to, resolved once (set after every chain is compiled). */
  to?: CChain;
}

interface CChain {
  readonly chain: Chain;
  readonly rules: readonly CRule[];
  /** Destination → indexes of the rules naming it; `rest`: rules the index cannot rule out. */
  readonly byDst?: ReadonlyMap<number, Int32Array>;
  readonly rest?: Int32Array;
}

export interface CompiledStats {
  /** Chain visits served by the destination index. */
  indexedVisits: number;
}

const EMPTY = new Int32Array(0);

export class CompiledTable implements LoadedTable {
  readonly chains: ReadonlyMap<string, Chain>;
  readonly compiled: ReadonlyMap<string, CChain>;
  readonly stats: CompiledStats = { indexedVisits: 0 };

  constructor(
    readonly name: LoadedTable["name"],
    chains: readonly Chain[],
    formatRule: RuleFormatter,
  ) {
    this.chains = new Map(chains.map((c): [string, Chain] => [c.name, c]));
    const compiled = new Map(chains.map((c): [string, CChain] => [c.name, compileChain(name, c, formatRule)]));
    for (const cc of compiled.values())
      for (const r of cc.rules) {
        const t = r.rule.target;
        if (t?.kind === "jump") {
          const to = compiled.get(t.chain);
          if (to) r.to = to;
        }
      }
    this.compiled = compiled;
  }
}

function compileChain(table: LoadedTable["name"], c: Chain, formatRule: RuleFormatter): CChain {
  const rules = c.rules.map((rule, i): CRule => {
    const exact = rule.dst && !rule.dst.neg && rule.dst.len === 32 ? rule.dst.addr : undefined;
    return { rule, n: i + 1, text: formatRule(c.name, rule), site: { table, chain: c.name, rule: i + 1 }, ...(exact !== undefined ? { dst: exact } : {}) };
  });
  if (rules.length < INDEX_MIN_RULES) return { chain: c, rules };
  const byDst = new Map<number, number[]>();
  const rest: number[] = [];
  rules.forEach((r, i) => {
    if (r.dst === undefined) rest.push(i);
    else {
      const list = byDst.get(r.dst);
      if (list) list.push(i);
      else byDst.set(r.dst, [i]);
    }
  });
  // An index that rules out little is not worth the merge.
  if (byDst.size < 2) return { chain: c, rules };
  return { chain: c, rules, byDst: new Map([...byDst].map(([k, v]): [number, Int32Array] => [k, Int32Array.from(v)])), rest: Int32Array.from(rest) };
}

/** One chain being walked: the candidate rules as two sorted index lists merged on the fly. */
interface Frame {
  cc: CChain;
  a: Int32Array;
  ai: number;
  b: Int32Array;
  bi: number;
  /** Plain scan position when the chain has no index. */
  i: number;
}

function enter(cc: CChain, dst: number, stats: CompiledStats): Frame {
  if (!cc.byDst) return { cc, a: EMPTY, ai: 0, b: EMPTY, bi: 0, i: 0 };
  stats.indexedVisits++;
  const a = cc.byDst.get(dst) ?? EMPTY;
  const b = cc.rest!;
  return { cc, a, ai: 0, b, bi: 0, i: -1 };
}

/** A frame positioned at the end of the built-in chain: RETURN with an empty stack takes the policy. */
function atPolicy(start: CChain): Frame {
  return { cc: start, a: EMPTY, ai: 0, b: EMPTY, bi: 0, i: start.rules.length };
}

/** The next candidate rule index of the frame, or -1 at the end of the chain. */
function next(f: Frame): number {
  if (f.i >= 0) return f.i < f.cc.rules.length ? f.i++ : -1;
  const x = f.ai < f.a.length ? f.a[f.ai]! : Infinity;
  const y = f.bi < f.b.length ? f.b[f.bi]! : Infinity;
  if (x === Infinity && y === Infinity) return -1;
  if (x < y) {
    f.ai++;
    return x;
  }
  f.bi++;
  return y;
}

export function walkCompiled(table: CompiledTable, pc: PacketCtx, opts: WalkOptions): TableVerdict {
  if (opts.verbose) return walkTable(table, pc, opts);
  const start = table.compiled.get(pc.hook);
  if (!start) return TABLE_ACCEPT;
  const stack: Frame[] = [];
  let f = enter(start, pc.skb.pkt.dst, table.stats);
  for (;;) {
    const idx = next(f);
    const cc = f.cc;
    if (idx < 0) {
      const end = chainEnd(pc, cc.chain);
      if (end) return end;
      f = stack.pop() ?? atPolicy(start);
      continue;
    }
    const r = cc.rules[idx]!;
    if (!ruleMatches(r.rule, pc, r.site)) continue;
    const c = runTarget(r.rule.target, pc, cc.chain.name, r.n, r.text);
    if (c.kind === "verdict") return c.verdict;
    if (c.kind === "return") f = stack.pop() ?? atPolicy(start);
    else if (c.kind === "jump") {
      const to = r.to;
      if (!to) return TABLE_ACCEPT;
      if (!c.goto) stack.push(f);
      f = enter(to, pc.skb.pkt.dst, table.stats);
    }
  }
}
