/**
 * One Service port and its endpoints as kube-proxy holds them after reading the API objects
 * (pkg/proxy/serviceport.go BaseServicePortInfo, endpoint.go BaseEndpointInfo): validated,
 * addresses in Go's canonical text, chain names computed once. validate.ts builds these; the
 * templates only read them.
 */
import type { Prefix } from "../../core/ip.js";
import type { ServiceChainNames } from "./chain-names.js";

export interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  /** `ip:port` (net.JoinHostPort): the sort key, the DNAT target, and part of the SEP hash. */
  readonly endpoint: string;
  /** KUBE-SEP-… */
  readonly chain: string;
  /** On this node (nodeName equals kube-proxy's node name). */
  readonly local: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

export interface ServicePortInfo {
  /** `<ns>/<name>[:<port name>]`: the comment text and the hash input. */
  readonly name: string;
  /** Lower case, as it appears in `-m tcp -p tcp`. */
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly clusterIP: string;
  readonly port: number;
  /** 0 = none. */
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  readonly loadBalancerVIPs: readonly string[];
  readonly loadBalancerSourceRanges: readonly Prefix[];
  /** 0 = none. */
  readonly healthCheckNodePort: number;
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;
  /** ClientIP affinity's timeout in seconds; undefined = no affinity. */
  readonly stickyMaxAgeSeconds: number | undefined;
  readonly chains: ServiceChainNames;
  /** Every endpoint of this port, sorted by `ip:port` string as kube-proxy's endpoints map keeps them. */
  readonly endpoints: readonly EndpointInfo[];
}

/** Reachable other than by ClusterIP: a NodePort, an external IP or a load-balancer IP. */
export function externallyAccessible(sp: ServicePortInfo): boolean {
  return sp.nodePort !== 0 || sp.loadBalancerVIPs.length > 0 || sp.externalIPs.length > 0;
}

/** Ever sends traffic to Cluster-policy endpoints (even eTP=Local needs them, for short-circuiting). */
export function usesClusterEndpoints(sp: ServicePortInfo): boolean {
  return !sp.internalPolicyLocal || externallyAccessible(sp);
}

export function usesLocalEndpoints(sp: ServicePortInfo): boolean {
  return sp.internalPolicyLocal || (sp.externalPolicyLocal && externallyAccessible(sp));
}
