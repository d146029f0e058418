/**
 * flanneld's iptables rules (pkg/trafficmngr/iptables, v0.20 and later): with `--ip-masq` the
 * nat chain FLANNEL-POSTRTG, jumped to from POSTROUTING; with `--iptables-forward-rules`
 * (default on) the filter chain FLANNEL-FWD, jumped to from FORWARD. flanneld creates each
 * chain (ClearChain) and feeds the rules, in this order, to `iptables-restore --noflush` with
 * `-A` (buildIPTablesRestorePayload quotes the comment). MASQUERADE carries `--random-fully`
 * when the node's iptables supports it (go-iptables HasRandomFully: iptables ≥ 1.6.2).
 *
 * The result is parsed with the project's iptables-save parser, so the packet path sees these
 * rules exactly as it would see them pasted from `iptables-save` on a node.
 */
import type { Prefix } from "../../core/ip.js";
import { formatPrefix } from "../../core/ip.js";
import type { Position, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import type { IptablesSpec } from "../../netns/spec.js";
import { parseIptablesSave } from "../../netfilter/syntax/index.js";

export interface FlannelRule {
  readonly table: "nat" | "filter";
  readonly chain: string;
  /** The rulespec words as flannel passes them (`-A chain` excluded). */
  readonly spec: readonly string[];
}

/** kube-proxy's masquerade mark: flannel leaves packets carrying it to KUBE-POSTROUTING. */
export const KUBE_PROXY_MARK = "0x4000/0x4000";

const nat = (chain: string, spec: readonly string[]): FlannelRule => ({ table: "nat", chain, spec });
const comment = ["-m", "comment", "--comment", "flanneld masq"];

/** masqRules(cluster CIDR, lease): the order matters — the RETURNs must come before the MASQUERADEs. */
export function masqRules(network: Prefix, lease: Prefix, randomFully: boolean): FlannelRule[] {
  const cluster = formatPrefix(network);
  const pod = formatPrefix(lease);
  const masquerade = randomFully ? ["-j", "MASQUERADE", "--random-fully"] : ["-j", "MASQUERADE"];
  return [
    nat("POSTROUTING", [...comment, "-j", "FLANNEL-POSTRTG"]),
    nat("FLANNEL-POSTRTG", ["-m", "mark", "--mark", KUBE_PROXY_MARK, ...comment, "-j", "RETURN"]),
    nat("FLANNEL-POSTRTG", ["-s", pod, "-d", cluster, ...comment, "-j", "RETURN"]),
    nat("FLANNEL-POSTRTG", ["-s", cluster, "-d", pod, ...comment, "-j", "RETURN"]),
    nat("FLANNEL-POSTRTG", ["!", "-s", cluster, "-d", pod, ...comment, "-j", "RETURN"]),
    nat("FLANNEL-POSTRTG", ["-s", cluster, "!", "-d", "224.0.0.0/4", ...comment, ...masquerade]),
    nat("FLANNEL-POSTRTG", ["!", "-s", cluster, "-d", cluster, ...comment, ...masquerade]),
  ];
}

/** forwardRules(cluster CIDR). */
export function forwardRules(network: Prefix): FlannelRule[] {
  const cluster = formatPrefix(network);
  const c = ["-m", "comment", "--comment", "flanneld forward"];
  return [
    { table: "filter", chain: "FORWARD", spec: [...c, "-j", "FLANNEL-FWD"] },
    { table: "filter", chain: "FLANNEL-FWD", spec: ["-s", cluster, ...c, "-j", "ACCEPT"] },
    { table: "filter", chain: "FLANNEL-FWD", spec: ["-d", cluster, ...c, "-j", "ACCEPT"] },
  ];
}

function ruleLine(r: FlannelRule): string {
  return ["-A", r.chain, ...r.spec.map((w, i) => (i > 0 && r.spec[i - 1] === "--comment" ? `"${w}"` : w))].join(" ");
}

/**
 * buildIPTablesRestorePayload for one setup call on a node that had none of the rules: one
 * `*table` block of `-A` lines and COMMIT, fed to `iptables-restore --noflush`.
 */
export function restorePayload(rules: readonly FlannelRule[]): string {
  const tables = [...new Set(rules.map((r) => r.table))];
  return tables.map((t) => `*${t}\n${rules.filter((r) => r.table === t).map((r) => `${ruleLine(r)}\n`).join("")}COMMIT\n`).join("");
}

export interface FlannelIptablesInput {
  readonly network: Prefix;
  readonly lease: Prefix;
  readonly ipMasq: boolean;
  readonly forwardRules: boolean;
  readonly randomFully: boolean;
}

/** The rules flanneld adds, masquerade set first (main.go's order). */
export function flannelRules(input: FlannelIptablesInput): FlannelRule[] {
  return [
    ...(input.ipMasq ? masqRules(input.network, input.lease, input.randomFully) : []),
    ...(input.forwardRules ? forwardRules(input.network) : []),
  ];
}

/**
 * What a node with no other rules ends up with, as iptables-restore input: each chain declared
 * (flanneld's ClearChain), then flanneld's payload lines.
 */
export function flannelRestoreText(input: FlannelIptablesInput): string {
  const rules = flannelRules(input);
  const blocks: string[] = [];
  for (const [table, chain] of [["nat", "FLANNEL-POSTRTG"], ["filter", "FLANNEL-FWD"]] as const) {
    const mine = rules.filter((r) => r.table === table);
    if (mine.length === 0) continue;
    blocks.push(`*${table}\n:${chain} - [0:0]\n${mine.map((r) => `${ruleLine(r)}\n`).join("")}COMMIT\n`);
  }
  return blocks.join("");
}

/** The same rules as the project's Ruleset (parsed, never built by hand). */
export function flannelIptables(input: FlannelIptablesInput, file: string, at?: Position): Result<IptablesSpec> {
  const text = flannelRestoreText(input);
  const parsed = parseIptablesSave(text, file);
  if (!parsed.ok) return fail(parsed.issues);
  return ok({ ruleset: parsed.value, text, file, ...(at ? { at } : {}) });
}
