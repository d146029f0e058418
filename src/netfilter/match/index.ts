/** One rule's verdict on one packet: the IP header part, then each match extension in rule order. */
import type { Match, Rule } from "../rule.js";
import type { PacketCtx, RuleSite } from "../eval/context.js";
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

export function matchExtension(m: Match, pc: PacketCtx, site: RuleSite, rule: Rule): boolean {
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
      return statisticMatches(m, pc, site, rule.target?.kind === "jump" ? rule.target.chain : undefined);
    case "recent":
      return recentMatches(m, pc);
    case "physdev":
      return physdevMatches(m, pc);
  }
}

/** ipt_do_table's per-rule test: header first, then every match; the first miss ends it. */
export function ruleMatches(rule: Rule, pc: PacketCtx, site: RuleSite): boolean {
  if (!ipHeaderMatches(rule, pc)) return false;
  const ms = rule.matches;
  for (let k = 0; k < ms.length; k++) if (!matchExtension(ms[k]!, pc, site, rule)) return false;
  return true;
}
