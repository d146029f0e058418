/** One rule's verdict on one packet: the IP header part, then each match extension in rule order. */
import type { Match, Rule } from "../rule.js";
import type { PacketCtx, RuleSite } from "../eval/context.js";
import type { Decision } from "../choice.js";
import { ipHeaderMatches } from "./ip-header.js";
import { tcpudpMatches } from "./tcpudp.js";
import { multiportMatches } from "./multiport.js";
import { icmpMatches } from "./icmp.js";
import { markMatches } from "./mark.js";
import { conntrackMatches, stateMatches } from "./conntrack.js";
import { addrtypeMatches } from "./addrtype.js";
import { statisticMatches } from "./statistic.js";
import { recentMatches } from "./recent.js";
import { physdevMatches } from "./physdev.js";

export function matchExtension(m: Match, pc: PacketCtx, site: RuleSite, rule: Rule, onDecision: (d: Decision) => void): boolean {
  switch (m.module) {
    case "tcp":
    case "udp":
      return tcpudpMatches(m, pc);
    case "multiport":
      return multiportMatches(m, pc);
    case "icmp":
      return icmpMatches(m, pc);
    case "comment":
      return true;
    case "mark":
      return markMatches(m, pc);
    case "conntrack":
      return conntrackMatches(m, pc);
    case "state":
      return stateMatches(m, pc);
    case "addrtype":
      return addrtypeMatches(m, pc);
    case "statistic":
      return statisticMatches(m, pc, site, rule.target?.kind === "jump" ? rule.target.chain : undefined, onDecision);
    case "recent":
      return recentMatches(m, pc);
    case "physdev":
      return physdevMatches(m, pc);
  }
}

/** ipt_do_table's per-rule test: header first, then every match; the first miss ends it. */
export function ruleMatches(rule: Rule, pc: PacketCtx, site: RuleSite, onDecision: (d: Decision) => void): boolean {
  if (!ipHeaderMatches(rule, pc)) return false;
  for (const m of rule.matches) if (!matchExtension(m, pc, site, rule, onDecision)) return false;
  return true;
}
