/**
 * The decisions syncProxyRules makes for one Service port before writing anything
 * (proxier.go, the top of the per-service loop): which endpoints, which chains exist, where
 * internal (ClusterIP) and external (NodePort / external IP / LB IP) traffic goes, and what the
 * filter table does when there is nowhere to send it. research/kube-proxy.md §6.14 tabulates it.
 */
import type { Categorized } from "./categorize.js";
import { categorizeEndpoints } from "./categorize.js";
import type { ServicePortInfo } from "./service-port.js";
import { externallyAccessible, usesClusterEndpoints, usesLocalEndpoints } from "./service-port.js";

/** A filter-table rule for traffic with no endpoint to go to. */
export interface FilterVerdict {
  readonly target: "REJECT" | "DROP";
  /** Quoted, as written. */
  readonly comment: string;
}

export interface ServicePlan {
  readonly endpoints: Categorized;
  /** KUBE-SVC- exists (non-empty cluster endpoints and the port uses Cluster policy). */
  readonly usesClusterPolicyChain: boolean;
  /** KUBE-SVL- exists. */
  readonly usesLocalPolicyChain: boolean;
  /** Where ClusterIP traffic goes: KUBE-SVC-, or KUBE-SVL- with internalTrafficPolicy Local. */
  readonly internalTrafficChain: string;
  readonly hasInternalEndpoints: boolean;
  /** What KUBE-EXT- ends in: KUBE-SVC-, or KUBE-SVL- with externalTrafficPolicy Local. */
  readonly externalPolicyChain: string;
  readonly hasExternalEndpoints: boolean;
  /** KUBE-EXT- exists: endpoints somewhere, and reachable other than by ClusterIP. */
  readonly usesExternalTrafficChain: boolean;
  /** KUBE-FW- exists: endpoints, LB IPs and source ranges. */
  readonly usesFirewallChain: boolean;
  /** Where LB-IP traffic goes: KUBE-FW- when source ranges apply, else KUBE-EXT-. */
  readonly loadBalancerTrafficChain: string;
  /** Set when ClusterIP traffic has nowhere to go. */
  readonly internalFilter: FilterVerdict | undefined;
  /** Set when external traffic has nowhere to go (no endpoints, or eTP=Local and none here). */
  readonly externalFilter: FilterVerdict | undefined;
}

export function planServicePort(sp: ServicePortInfo): ServicePlan {
  const endpoints = categorizeEndpoints(sp);
  const { cluster, local, hasAny } = endpoints;
  const c = sp.chains;
  const hasInternalEndpoints = hasAny && !(sp.internalPolicyLocal && local.length === 0);
  const hasExternalEndpoints = hasAny && !(sp.externalPolicyLocal && local.length === 0);
  const usesFirewallChain = hasAny && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
  const none: FilterVerdict = { target: "REJECT", comment: `"${sp.name} has no endpoints"` };
  const noLocal: FilterVerdict = { target: "DROP", comment: `"${sp.name} has no local endpoints"` };
  return {
    endpoints,
    usesClusterPolicyChain: cluster.length > 0 && usesClusterEndpoints(sp),
    usesLocalPolicyChain: local.length > 0 && usesLocalEndpoints(sp),
    internalTrafficChain: sp.internalPolicyLocal ? c.local : c.cluster,
    hasInternalEndpoints,
    externalPolicyChain: sp.externalPolicyLocal ? c.local : c.cluster,
    hasExternalEndpoints,
    usesExternalTrafficChain: hasAny && externallyAccessible(sp),
    usesFirewallChain,
    loadBalancerTrafficChain: usesFirewallChain ? c.firewall : c.external,
    internalFilter: !hasAny ? none : hasInternalEndpoints ? undefined : noLocal,
    externalFilter: !hasAny ? none : hasExternalEndpoints ? undefined : noLocal,
  };
}
