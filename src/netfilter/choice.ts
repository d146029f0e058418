/**
 * Where the `statistic --mode random` match gets its coin flips. Three ways, one interface:
 *  - sample: from the run's seeded stream, `(u32 & 0x7fffffff) < p` as the kernel draws it;
 *  - pinned: `--choose KUBE-SEP-…` (or `table:chain:N`) takes the branch leading there and
 *    refuses the other random rules of that chain, so a teacher can show one path on purpose;
 *    random rules elsewhere are still sampled. `dnatEndpoints` says which chains DNAT to an
 *    endpoint, so that the command line can also pin by pod or endpoint address;
 *  - scripted: the decisions come from a list; decisions past its end take the branch. The
 *    enumerator (sim/enumerate.ts) reruns a command with every list that matters, which lists
 *    every reachable outcome with its exact probability.
 */
import type { Rng } from "../core/rng.js";
import type { Ipv4 } from "../core/ip.js";
import type { Rule, Ruleset, TableName } from "./rule.js";

export interface RandomSite {
  readonly table: TableName;
  readonly chain: string;
  /** 1-based rule number. */
  readonly rule: number;
  /** The chain the rule jumps to, if its target is a jump. */
  readonly jumpTo: string | undefined;
  /** The kernel's stored 31-bit probability. */
  readonly probability: number;
}

export interface Decision {
  readonly site: RandomSite;
  readonly taken: boolean;
  readonly how: "sampled" | "pinned" | "scripted";
}

export interface Chooser {
  decide(site: RandomSite): Decision;
}

export const P31 = 0x80000000;

/** The probability of the rule's random test coming out as `taken`. */
export function decisionProbability(d: { readonly site: RandomSite; readonly taken: boolean }): number {
  const p = d.site.probability / P31;
  return d.taken ? p : 1 - p;
}

export class SampleChooser implements Chooser {
  constructor(private readonly rng: Rng) {}
  decide(site: RandomSite): Decision {
    return { site, taken: this.draw(site.probability), how: "sampled" };
  }
  /** decide() without the site: the same draw from the same stream, for walks nobody traces. */
  draw(probability: number): boolean {
    return this.rng.int(0, 0x7fffffff) < probability;
  }
}

/** What `--choose` names: a chain some random rule jumps to, or one rule as `table:chain:N`. */
export type Pin = { readonly kind: "chain"; readonly chain: string } | { readonly kind: "rule"; readonly table: TableName; readonly chain: string; readonly rule: number };

export function parsePin(text: string): Pin | undefined {
  const m = /^(raw|mangle|nat|filter):([^:\s]+):(\d+)$/.exec(text);
  if (m) return { kind: "rule", table: m[1] as TableName, chain: m[2]!, rule: Number(m[3]) };
  return /^[^\s:]+$/.test(text) ? { kind: "chain", chain: text } : undefined;
}

/** The pinned rule per chain ("table:chain" → rule number), or undefined if the pin names nothing reachable by a random rule. */
export function pinnedRules(rs: Ruleset, pin: Pin): Map<string, number> | undefined {
  const out = new Map<string, number>();
  for (const t of rs.tables) {
    for (const c of t.chains) {
      c.rules.forEach((r, i) => {
        const n = i + 1;
        const random = isRandom(r);
        const key = `${t.name}:${c.name}`;
        if (out.has(key)) return;
        if (pin.kind === "rule" ? pin.table === t.name && pin.chain === c.name && pin.rule === n : r.target?.kind === "jump" && r.target.chain === pin.chain) {
          // The pinned rule may itself be the unconditional last one: then every random rule before it is refused.
          if (random || c.rules.slice(0, i).some(isRandom)) out.set(key, n);
        }
      });
    }
  }
  return out.size > 0 ? out : undefined;
}

function isRandom(r: Rule): boolean {
  return r.matches.some((m) => m.module === "statistic" && m.mode === "random");
}

/** A chain that DNATs to one address (kube-proxy's KUBE-SEP-…): where its packets go. */
export interface DnatEndpoint {
  readonly table: TableName;
  readonly chain: string;
  readonly ip: Ipv4;
  /** Absent when the rule keeps the port (`--to-destination 10.0.0.1`) or maps to a range. */
  readonly port?: number;
}

/** Every chain with a DNAT rule to a single address, once per chain (its first such rule). */
export function dnatEndpoints(rs: Ruleset): DnatEndpoint[] {
  const out: DnatEndpoint[] = [];
  for (const t of rs.tables)
    for (const c of t.chains) {
      const r = c.rules.find((x) => x.target?.kind === "DNAT" && x.target.to.minIp !== undefined && (x.target.to.maxIp ?? x.target.to.minIp) === x.target.to.minIp);
      if (r?.target?.kind !== "DNAT") continue;
      const to = r.target.to;
      const port = to.minPort !== undefined && (to.maxPort ?? to.minPort) === to.minPort ? to.minPort : undefined;
      out.push({ table: t.name, chain: c.name, ip: to.minIp!, ...(port !== undefined ? { port } : {}) });
    }
  return out;
}

/**
 * How many ways a chain's random rules can send a packet: one per random rule, plus one when a
 * rule with a target follows the last of them (kube-proxy's unconditional last endpoint).
 * Undefined for a chain without random rules.
 */
export function randomBranches(rs: Ruleset, table: string, chain: string): number | undefined {
  const c = rs.tables.find((t) => t.name === table)?.chains.find((x) => x.name === chain);
  if (!c) return undefined;
  let last = -1;
  let n = 0;
  c.rules.forEach((r, i) => {
    if (isRandom(r)) {
      n++;
      last = i;
    }
  });
  if (n === 0) return undefined;
  return n + (c.rules.slice(last + 1).some((r) => r.target !== undefined) ? 1 : 0);
}

export class PinChooser implements Chooser {
  constructor(
    private readonly pinned: ReadonlyMap<string, number>,
    private readonly fallback: Chooser,
  ) {}
  decide(site: RandomSite): Decision {
    const n = this.pinned.get(`${site.table}:${site.chain}`);
    if (n === undefined) return this.fallback.decide(site);
    return { site, taken: site.rule === n, how: "pinned" };
  }
}

export class ScriptChooser implements Chooser {
  readonly log: Decision[] = [];
  constructor(
    private readonly script: readonly boolean[],
    /** The decision taken once the script has run out. */
    private readonly beyond: (d: { readonly site: RandomSite }) => boolean = () => true,
  ) {}
  decide(site: RandomSite): Decision {
    const i = this.log.length;
    const d: Decision = { site, taken: i < this.script.length ? this.script[i]! : this.beyond({ site }), how: "scripted" };
    this.log.push(d);
    return d;
  }
}
