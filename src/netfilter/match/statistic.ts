/**
 * xt_statistic.c. Random mode: matches when (a random u32 & 0x7fffffff) < the stored 31-bit
 * probability — the choice itself comes from the run's Chooser (sampled from the seed,
 * enumerated, or pinned), with the exact probability the kernel uses. Nth mode: one shared
 * counter per rule that wraps at `every`; matches each time it wraps to 0.
 */
import type { Match } from "../rule.js";
import type { PacketCtx, RuleSite } from "../eval/context.js";
import { stepDecision } from "../eval/steps.js";

export type StatisticMatch = Extract<Match, { module: "statistic" }>;

export function statisticMatches(m: StatisticMatch, pc: PacketCtx, site: RuleSite, jumpTo: string | undefined): boolean {
  if (m.mode === "random") {
    // One literal, no spreads: this runs for every random rule a new connection meets.
    const d = pc.state.chooser.decide({ table: site.table, chain: site.chain, rule: site.rule, probability: m.probability, jumpTo });
    stepDecision(pc, d);
    return d.taken !== m.neg;
  }
  // libxt_statistic stores every-1 and starts the counter at (every-1) - packet.
  const every = m.every - 1;
  const counters = pc.state.nth;
  const old = counters.get(m) ?? every - m.packet;
  const next = old === every ? 0 : old + 1;
  counters.set(m, next);
  return (next === 0) !== m.neg;
}
