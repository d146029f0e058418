/**
 * The rules kube-proxy puts into the built-in chains (proxier.go iptablesJumpChains, then
 * iptablesKubeletJumpChains). They are not part of the restore input: on every full sync each is
 * ensured with `iptables -C` / `iptables -I` (insert at the top), in this list's order — so on a
 * fresh node each built-in chain ends up holding them in reverse order. Argument order: extra
 * matches, `-m comment --comment <c>`, `-j <chain>`.
 */
import { quoted } from "./lines.js";

export interface JumpRule {
  readonly table: "filter" | "nat";
  /** The built-in chain the rule goes into. */
  readonly from: "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING";
  readonly to: string;
  /** Undefined for kubelet's KUBE-FIREWALL jumps, which carry none. */
  readonly comment: string | undefined;
  readonly extra: readonly string[];
}

const NEW = ["-m", "conntrack", "--ctstate", "NEW"] as const;

/** In kube-proxy's insertion order. */
export const JUMP_RULES: readonly JumpRule[] = [
  { table: "filter", from: "INPUT", to: "KUBE-EXTERNAL-SERVICES", comment: "kubernetes externally-visible service portals", extra: NEW },
  { table: "filter", from: "FORWARD", to: "KUBE-EXTERNAL-SERVICES", comment: "kubernetes externally-visible service portals", extra: NEW },
  { table: "filter", from: "INPUT", to: "KUBE-NODEPORTS", comment: "kubernetes health check service ports", extra: [] },
  { table: "filter", from: "FORWARD", to: "KUBE-SERVICES", comment: "kubernetes service portals", extra: NEW },
  { table: "filter", from: "OUTPUT", to: "KUBE-SERVICES", comment: "kubernetes service portals", extra: NEW },
  { table: "filter", from: "FORWARD", to: "KUBE-FORWARD", comment: "kubernetes forwarding rules", extra: [] },
  { table: "filter", from: "INPUT", to: "KUBE-PROXY-FIREWALL", comment: "kubernetes load balancer firewall", extra: NEW },
  { table: "filter", from: "OUTPUT", to: "KUBE-PROXY-FIREWALL", comment: "kubernetes load balancer firewall", extra: NEW },
  { table: "filter", from: "FORWARD", to: "KUBE-PROXY-FIREWALL", comment: "kubernetes load balancer firewall", extra: NEW },
  { table: "nat", from: "OUTPUT", to: "KUBE-SERVICES", comment: "kubernetes service portals", extra: [] },
  { table: "nat", from: "PREROUTING", to: "KUBE-SERVICES", comment: "kubernetes service portals", extra: [] },
  { table: "nat", from: "POSTROUTING", to: "KUBE-POSTROUTING", comment: "kubernetes postrouting rules", extra: [] },
  // Duplicates of kubelet's own jumps to its anti-martian chain.
  { table: "filter", from: "INPUT", to: "KUBE-FIREWALL", comment: undefined, extra: [] },
  { table: "filter", from: "OUTPUT", to: "KUBE-FIREWALL", comment: undefined, extra: [] },
];

/** `-A <from> …` as a restore line (comments quoted, as iptables-save would print them). */
export function jumpRuleLine(r: JumpRule): string {
  const comment = r.comment === undefined ? [] : ["-m", "comment", "--comment", quoted(r.comment)];
  return ["-A", r.from, ...r.extra, ...comment, "-j", r.to].join(" ");
}

const CHAIN_ORDER = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];

/** A table's jump rules as a fresh node holds them: built-in chains in iptables-save order, each reversed (every one was prepended). */
export function jumpRulesOnFreshNode(table: JumpRule["table"]): JumpRule[] {
  const mine = JUMP_RULES.filter((r) => r.table === table);
  return CHAIN_ORDER.flatMap((c) => mine.filter((r) => r.from === c).reverse());
}
