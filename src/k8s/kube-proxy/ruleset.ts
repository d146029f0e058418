/**
 * kube-proxy's rules as the simulator's Ruleset values, by way of the project's one
 * iptables-restore parser (src/netfilter/syntax) — the text stays the single source of truth.
 * Anything the parser refuses (e.g. `-m nfacct`, which it does not model) comes back as a
 * `restore-rejected` issue carrying the parser's own message.
 */
import type { Ruleset } from "../../netfilter/rule.js";
import { parseIptablesSave } from "../../netfilter/syntax/index.js";
import { formatIssue } from "../../core/issue.js";
import type { KubeProxyIssue, KubeProxyResult } from "./issues.js";
import type { KubeProxyInput } from "./model.js";
import type { NodeTablesOptions } from "./node-tables.js";
import { nodeTablesText } from "./node-tables.js";
import type { ProxyRules } from "./sync.js";
import { syncProxyRules } from "./sync.js";

export interface KubeProxyTables {
  readonly rules: ProxyRules;
  /** The restore input alone, parsed into empty tables (no jumps from the built-in chains). */
  readonly restoreRuleset: Ruleset;
  /** A fresh node's tables after the sync (node-tables.ts): the text and its parse. */
  readonly nodeText: string;
  readonly nodeRuleset: Ruleset;
}

function parse(text: string, file: string, path: string, issues: KubeProxyIssue[]): Ruleset | undefined {
  const r = parseIptablesSave(text, file);
  if (r.ok) return r.value;
  for (const i of r.issues) issues.push({ code: "restore-rejected", message: `podpath's iptables-restore parser refused kube-proxy's rules: ${formatIssue(i)}`, path: [path] });
  return undefined;
}

/** `file` names the text in parser messages (default `kube-proxy:<node name>`). */
export function kubeProxyTables(input: KubeProxyInput, options: NodeTablesOptions & { readonly file?: string } = {}): KubeProxyResult<KubeProxyTables> {
  const synced = syncProxyRules(input);
  if (!synced.ok) return synced;
  const rules = synced.value;
  const file = options.file ?? `kube-proxy:${input.node.name}`;
  const issues: KubeProxyIssue[] = [];
  const restoreRuleset = parse(rules.restoreInput, file, "restoreInput", issues);
  const nodeText = nodeTablesText(rules, options);
  // The node text repeats the restore input's lines: report its problems only if the input had none.
  const nodeRuleset = restoreRuleset ? parse(nodeText, file, "nodeText", issues) : undefined;
  if (!restoreRuleset || !nodeRuleset) return { ok: false, issues };
  return { ok: true, value: { rules, restoreRuleset, nodeText, nodeRuleset } };
}
