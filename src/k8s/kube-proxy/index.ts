/**
 * kube-proxy in iptables mode as a control-plane builder: Services, endpoints, node and flags in
 * (model.ts); kube-proxy's iptables-restore input out, byte-identical to a full sync
 * (sync.ts), plus a fresh node's tables and their parsed Rulesets (ruleset.ts). It only writes
 * state; it never runs packets. Facts and sources: research/kube-proxy.md.
 */
export type * from "./model.js";
export type { KubeProxyIssue, KubeProxyIssueCode, KubeProxyResult } from "./issues.js";
export { formatKubeProxyIssue } from "./issues.js";
export { syncProxyRules, LARGE_CLUSTER_ENDPOINTS } from "./sync.js";
export type { ProxyRules } from "./sync.js";
export { nodeTablesText } from "./node-tables.js";
export type { NodeTablesOptions } from "./node-tables.js";
export { kubeProxyTables } from "./ruleset.js";
export type { KubeProxyTables } from "./ruleset.js";
export { JUMP_RULES, jumpRuleLine, jumpRulesOnFreshNode } from "./jump-rules.js";
export type { JumpRule } from "./jump-rules.js";
export { chainHash, endpointChainName, serviceChainNames, servicePortName } from "./chain-names.js";
export { probability, formatFixedHalfEven } from "./probability.js";
