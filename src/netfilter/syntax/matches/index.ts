/**
 * The match extensions podpath reads (`-m NAME`, or the implicit protocol match after
 * `-p tcp --dport …`), and one place that saves and lists any Match by its module — what
 * iptables' xtables_find_match() plus each extension's save/print callbacks do.
 */
import type { Match } from "../../rule.js";
import type { MatchExt } from "../module.js";
import { addrtypeMatch, printAddrtype, saveAddrtype } from "./addrtype.js";
import { commentMatch, printComment, saveComment } from "./comment.js";
import { conntrackMatch, printConntrack, printState, saveConntrack, saveState, stateMatch } from "./conntrack.js";
import { icmpMatch, printIcmp, saveIcmp } from "./icmp.js";
import { markMatch, printMark, saveMark } from "./mark.js";
import { multiportMatch, printMultiport, saveMultiport } from "./multiport.js";
import { physdevMatch, printPhysdev, savePhysdev } from "./physdev.js";
import { printRecent, recentMatch, saveRecent } from "./recent.js";
import { printStatistic, saveStatistic, statisticMatch } from "./statistic.js";
import { printTcp, saveTcp, tcpMatch } from "./tcp.js";
import { printUdp, saveUdp, udpMatch } from "./udp.js";

export const MATCHES: ReadonlyMap<string, MatchExt> = new Map(
  [tcpMatch, udpMatch, multiportMatch, icmpMatch, commentMatch, markMatch, conntrackMatch, stateMatch, addrtypeMatch, statisticMatch, recentMatch, physdevMatch].map((m) => [m.name, m]),
);

/**
 * Extensions iptables 1.8.9 ships that podpath does not model: naming one gets "not modelled"
 * rather than the real tool's "Couldn't load match".
 */
export const KNOWN_UNMODELLED_MATCHES: ReadonlySet<string> = new Set([
  "ah", "bpf", "cgroup", "cluster", "connbytes", "connlabel", "connlimit", "connmark", "cpu", "dccp", "devgroup", "dscp",
  "ecn", "esp", "hashlimit", "helper", "iprange", "ipvs", "length", "limit", "mac", "nfacct", "osf", "owner", "pkttype",
  "policy", "quota", "rateest", "realm", "rpfilter", "sctp", "set", "socket", "string", "tcpmss", "time", "tos", "ttl", "u32", "udplite",
]);

/** ` -m NAME` is printed by the caller; this is what follows it in iptables-save. */
export function saveMatch(m: Match): string {
  switch (m.module) {
    case "tcp": return saveTcp(m);
    case "udp": return saveUdp(m);
    case "multiport": return saveMultiport(m);
    case "icmp": return saveIcmp(m);
    case "comment": return saveComment(m);
    case "mark": return saveMark(m);
    case "conntrack": return saveConntrack(m);
    case "state": return saveState(m);
    case "addrtype": return saveAddrtype(m);
    case "statistic": return saveStatistic(m);
    case "recent": return saveRecent(m);
    case "physdev": return savePhysdev(m);
  }
}

/** The match's part of an `iptables -L -n` line. */
export function printMatch(m: Match): string {
  switch (m.module) {
    case "tcp": return printTcp(m);
    case "udp": return printUdp(m);
    case "multiport": return printMultiport(m);
    case "icmp": return printIcmp(m);
    case "comment": return printComment(m);
    case "mark": return printMark(m);
    case "conntrack": return printConntrack(m);
    case "state": return printState(m);
    case "addrtype": return printAddrtype(m);
    case "statistic": return printStatistic(m);
    case "recent": return printRecent(m);
    case "physdev": return printPhysdev(m);
  }
}
