/**
 * A fresh node's iptables after kube-proxy's first full sync, as one iptables-restore file: what
 * the simulator loads for a node. Per table: the built-in chains (policy ACCEPT), kube-proxy's
 * chain lines, the chains it ensures outside the restore (KUBE-FIREWALL when the restore input
 * lacks it, the KUBE-PROXY-CANARY chain its iptables monitor creates in mangle, nat and filter),
 * the jump rules in the order prepending left them (jump-rules.ts), then kube-proxy's rules.
 * Loading it into empty tables gives what `iptables-restore --noflush` of the sync plus the
 * `iptables -I` calls give on a node without other rules.
 */
import { jumpRuleLine, jumpRulesOnFreshNode } from "./jump-rules.js";
import type { ProxyRules } from "./sync.js";

export interface NodeTablesOptions {
  /** The empty KUBE-PROXY-CANARY chains (and so a mangle table); default true, as on a real node. */
  readonly canary?: boolean;
}

const CANARY = ":KUBE-PROXY-CANARY - [0:0]\n";

export function nodeTablesText(rules: ProxyRules, options: NodeTablesOptions = {}): string {
  const canary = options.canary ?? true;
  const s = rules.sections;
  const jumps = (table: "filter" | "nat"): string => jumpRulesOnFreshNode(table).map((r) => `${jumpRuleLine(r)}\n`).join("");
  // kube-proxy ensures the chain every sync; the restore input declares it only with localhost NodePorts.
  const kubeletFirewall = s.filterChains.includes(":KUBE-FIREWALL ") ? "" : ":KUBE-FIREWALL - [0:0]\n";
  const filter = `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${s.filterChains}${kubeletFirewall}${canary ? CANARY : ""}${jumps("filter")}${s.filterRules}COMMIT\n`;
  const nat = `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${s.natChains}${canary ? CANARY : ""}${jumps("nat")}${s.natRules}COMMIT\n`;
  const mangle = canary ? `*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${CANARY}COMMIT\n` : "";
  return filter + nat + mangle;
}
