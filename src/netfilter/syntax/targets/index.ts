/**
 * The targets podpath reads, and how each is saved and listed: the standard verdicts and
 * chain jumps (iptables' standard target, libxt_standard.c) plus the extensions in this
 * folder. `targetName` is the word after `-j` in iptables-save and in the `target` column of
 * `iptables -L` (they differ for NOTRACK, which the kernel holds as CT).
 */
import type { Target } from "../../rule.js";
import type { TargetExt } from "../module.js";
import { ctTarget, notrackTarget, printCt, saveCt, traceTarget } from "./conntrack-targets.js";
import { dnatTarget, printDnat, printRedirect, redirectTarget, saveDnat, saveRedirect } from "./dnat.js";
import { logTarget, printLog, saveLog } from "./log.js";
import { connmarkTarget, markTarget, printMarkTarget, saveMarkTarget } from "./mark.js";
import { printReject, rejectTarget, saveReject } from "./reject.js";
import { masqueradeTarget, printMasquerade, printSnat, saveMasquerade, saveSnat, snatTarget } from "./snat.js";

export const TARGETS: ReadonlyMap<string, TargetExt> = new Map(
  [rejectTarget, markTarget, connmarkTarget, dnatTarget, redirectTarget, snatTarget, masqueradeTarget, logTarget, notrackTarget, ctTarget, traceTarget].map((t) => [t.name, t]),
);

/** The verdicts iptables treats as the standard target. */
export const STANDARD_VERDICTS: ReadonlySet<string> = new Set(["ACCEPT", "DROP", "RETURN", "QUEUE"]);

/**
 * Target extensions iptables 1.8.9 ships: a user chain may not be created with one of these
 * names (`-N`), and `-j` with one that podpath does not model is "not modelled", not "no such
 * chain".
 */
export const KNOWN_TARGET_NAMES: ReadonlySet<string> = new Set([
  ...TARGETS.keys(), "AUDIT", "CHECKSUM", "CLASSIFY", "CLUSTERIP", "CONNSECMARK", "DSCP", "ECN", "HL", "HMARK", "IDLETIMER",
  "LED", "NETMAP", "NFLOG", "NFQUEUE", "RATEEST", "SECMARK", "SET", "SYNPROXY", "TCPMSS", "TCPOPTSTRIP", "TEE", "TOS",
  "TPROXY", "TTL", "ULOG", "MIRROR", "SAME", "DNPT", "SNPT",
]);

export function targetName(t: Target): string {
  return t.kind === "jump" ? t.chain : t.kind;
}

/** The `target` column of `iptables -L`. */
export function listTargetName(t: Target): string {
  return t.kind === "NOTRACK" ? "CT" : targetName(t);
}

/** What follows `-j NAME` in iptables-save. */
export function saveTarget(t: Target): string {
  switch (t.kind) {
    case "ACCEPT": case "DROP": case "RETURN": case "jump": case "NOTRACK": case "TRACE": return "";
    case "REJECT": return saveReject(t);
    case "MARK": case "CONNMARK": return saveMarkTarget(t);
    case "DNAT": return saveDnat(t);
    case "SNAT": return saveSnat(t);
    case "MASQUERADE": return saveMasquerade(t);
    case "REDIRECT": return saveRedirect(t);
    case "LOG": return saveLog(t);
    case "CT": return saveCt(t);
  }
}

/** The target's part of an `iptables -L -n` line. */
export function printTarget(t: Target): string {
  switch (t.kind) {
    case "ACCEPT": case "DROP": case "RETURN": case "jump": case "TRACE": return "";
    case "NOTRACK": return " NOTRACK";
    case "REJECT": return printReject(t);
    case "MARK": case "CONNMARK": return printMarkTarget(t);
    case "DNAT": return printDnat(t);
    case "SNAT": return printSnat(t);
    case "MASQUERADE": return printMasquerade(t);
    case "REDIRECT": return printRedirect(t);
    case "LOG": return printLog(t);
    case "CT": return printCt(t);
  }
}
