/**
 * One `statistic --mode random` choice made on purpose, on both sides of the seeds kernel test
 * (seeds.test.ts): the kernel cannot be told which endpoint kube-proxy's random rule picks, so its
 * rules are rewritten to the one choice; the simulator makes the same choice with the chooser
 * `podpath matrix` and `--choose` use (netfilter/choice.ts PinChooser).
 *
 * Owns: pins as data ("table:chain" → the random rule taken, 0 when none of the chain's random
 * rules is), the pins for a KUBE-SEP chain (as `podpath matrix` computes them: pinnedRules of
 * every namespace's ruleset, merged) or for a branch of sim/enumerate.ts (its decisions), the
 * simulator's chooser for them, and the kernel's rules for them — each node's iptables-save text
 * with, in every pinned chain, the random rules not taken deleted and the statistic match of the
 * one taken removed. Both are the same walk: a random rule not taken is a rule that does not match.
 *
 * The rewrite works on the text the kernel is given (not on a printout of the parsed ruleset), and
 * checks it against the parsed ruleset first — the same rules per chain, random where the ruleset
 * says random — so a text it does not understand is an error, never a silently different world.
 * The rewritten world is for the kernel only: its parsed `ruleset` is left as it was.
 */
import type { Decision, Pin } from "../../src/netfilter/choice.js";
import { PinChooser, pinnedRules, SampleChooser } from "../../src/netfilter/choice.js";
import type { Rule } from "../../src/netfilter/rule.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import type { World } from "../../src/sim/world.js";

/** "table:chain" → the 1-based random rule taken there; 0: none of its random rules is taken. */
export type Pins = ReadonlyMap<string, number>;

/** The pins `podpath matrix` uses for a probe of one endpoint: every namespace's random rules leading to `chain`. */
export function pinsForChain(world: WorldSpec, chain: string): Pins | undefined {
  const pin: Pin = { kind: "chain", chain };
  const merged = new Map<string, number>();
  for (const n of world.namespaces) for (const [k, v] of (n.iptables ? pinnedRules(n.iptables.ruleset, pin) : undefined) ?? []) merged.set(k, v);
  return merged.size > 0 ? merged : undefined;
}

/**
 * The pins of one branch of sim/enumerate.ts: the rule taken in each chain where one was, 0 where
 * every decision was "not taken". Undefined when the branch took two different rules of one chain
 * (two connections choosing differently), which no rewrite of the rules can reproduce.
 */
export function pinsForDecisions(decisions: readonly Decision[]): Pins | undefined {
  const out = new Map<string, number>();
  for (const d of decisions) {
    const key = `${d.site.table}:${d.site.chain}`;
    const was = out.get(key);
    if (d.taken) {
      if (was !== undefined && was !== 0 && was !== d.site.rule) return undefined;
      out.set(key, d.site.rule);
    } else if (was === undefined) {
      out.set(key, 0);
    } else if (was === d.site.rule) {
      return undefined;
    }
  }
  return out;
}

export function describePins(p: Pins): string {
  return [...p].map(([k, n]) => (n === 0 ? `${k}: no random rule taken` : `${k}:${n}`)).join(", ");
}

/** The simulator's chooser for the pins: as `--choose` builds it, the rest sampled from the seed. */
export function pinChooser(p: Pins): (world: World) => PinChooser {
  return (world) => new PinChooser(p, new SampleChooser(world.rng.fork("statistic")));
}

const STATISTIC = / -m statistic --mode random --probability \S+/;

function isRandom(r: Rule): boolean {
  return r.matches.some((m) => m.module === "statistic" && m.mode === "random");
}

/** The world with each namespace's iptables text rewritten to the pins (for the kernel only). */
export function pinWorld(world: WorldSpec, p: Pins): WorldSpec {
  return {
    ...world,
    namespaces: world.namespaces.map((n) => {
      if (n.iptables === undefined) return n;
      const text = pinText(n.iptables.text, n.iptables.ruleset.tables, p, `${world.name}: ${n.name}`);
      return text === n.iptables.text ? n : { ...n, iptables: { ...n.iptables, text } };
    }),
  };
}

interface TableRules {
  readonly name: string;
  readonly chains: readonly { readonly name: string; readonly rules: readonly Rule[] }[];
}

/** iptables-save text with the pinned chains' random rules rewritten; checked against the parsed tables. */
export function pinText(text: string, tables: readonly TableRules[], p: Pins, where: string): string {
  let table = "";
  const count = new Map<string, number>();
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("*")) table = line.slice(1).trim();
    const m = /^-A (\S+) /.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const key = `${table}:${m[1]!}`;
    const n = (count.get(key) ?? 0) + 1;
    count.set(key, n);
    const rule = tables.find((t) => t.name === table)?.chains.find((c) => c.name === m[1])?.rules[n - 1];
    if (rule === undefined) throw new Error(`${where}: rule ${n} of ${key} is in the text but not in the parsed ruleset:\n  ${line}`);
    const random = STATISTIC.test(line);
    if (random !== isRandom(rule)) throw new Error(`${where}: rule ${n} of ${key}: the text and the parsed ruleset disagree on its statistic match:\n  ${line}`);
    const pinned = p.get(key);
    if (pinned !== undefined && random && rule.matches.some((x) => x.module === "statistic" && x.neg)) {
      throw new Error(`${where}: rule ${n} of ${key} negates its statistic match, which a pin cannot rewrite:\n  ${line}`);
    }
    if (pinned === undefined || !random) out.push(line);
    else if (pinned === n) out.push(line.replace(STATISTIC, ""));
    // else: a random rule not taken — left out.
  }
  for (const t of tables) {
    for (const c of t.chains) {
      const seen = count.get(`${t.name}:${c.name}`) ?? 0;
      if (seen !== c.rules.length) throw new Error(`${where}: ${t.name}:${c.name} has ${c.rules.length} rules parsed but ${seen} -A lines in the text`);
    }
  }
  return out.join("\n");
}
