/**
 * What kube-proxy (iptables mode, IPv4) is given: the cluster's Services with their endpoints,
 * the node it runs on, its command-line flags, and a few facts it discovers on the host.
 *
 * Owns: the input types only, as plain readonly data with Kubernetes' field names and defaults
 * (a cluster-scenario format maps onto them). Fields mirror core/v1 Service and
 * discovery/v1 EndpointSlice, flattened: one `Endpoint` is one address serving one Service port.
 * Everything is IPv4 text as a user would type it; validate.ts checks it and reports every
 * problem at once with the path of the offending field.
 */

export type Protocol = "TCP" | "UDP" | "SCTP";

/** `ExternalName` Services (and headless ones, clusterIP "None") get no rules, as kube-proxy skips them. */
export type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";

export type TrafficPolicy = "Cluster" | "Local";

export interface ServicePort {
  /** Required, and unique, when the Service has more than one port (API validation). */
  readonly name?: string;
  /** Default TCP. */
  readonly protocol?: Protocol;
  readonly port: number;
  /** Default: `port`. A name (a container port's name) needs every endpoint to give its `port`. */
  readonly targetPort?: number | string;
  /** NodePort / LoadBalancer only; omitted or 0 = none allocated (no NodePort rules). */
  readonly nodePort?: number;
}

/** One address of an EndpointSlice serving one port of the Service. */
export interface Endpoint {
  readonly ip: string;
  /** The EndpointSlice port (the resolved targetPort); default: the Service port's numeric targetPort. */
  readonly port?: number;
  /** Which Service port this serves; may be omitted when the Service has exactly one port. */
  readonly portName?: string;
  /** The node the endpoint runs on; an endpoint is "local" when this equals the node's name. */
  readonly nodeName?: string;
  /** EndpointSlice conditions; unset means true for ready/serving and false for terminating, as kube-proxy reads them. */
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}

export interface Service {
  readonly namespace: string;
  readonly name: string;
  /** Default ClusterIP. */
  readonly type?: ServiceType;
  /** `None` = headless: no rules. */
  readonly clusterIP: string;
  readonly ports: readonly ServicePort[];
  readonly externalIPs?: readonly string[];
  /** `status.loadBalancer.ingress[].ip` of VIP-mode ingresses (ipMode Proxy ones get no rules, so leave them out). */
  readonly loadBalancerIPs?: readonly string[];
  /** `spec.loadBalancerSourceRanges`, as written (kube-proxy trims blanks and normalises the prefix). */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** Default Cluster; only meaningful for NodePort, LoadBalancer, or ClusterIP with external IPs. */
  readonly externalTrafficPolicy?: TrafficPolicy;
  /** Default Cluster. */
  readonly internalTrafficPolicy?: TrafficPolicy;
  /** LoadBalancer with externalTrafficPolicy Local only. */
  readonly healthCheckNodePort?: number;
  /** Default None. */
  readonly sessionAffinity?: "None" | "ClientIP";
  /** `sessionAffinityConfig.clientIP.timeoutSeconds`; default 10800 (the API default). */
  readonly sessionAffinityTimeoutSeconds?: number;
  readonly endpoints?: readonly Endpoint[];
}

/** The node kube-proxy runs on. */
export interface NodeInfo {
  readonly name: string;
  /** kube-proxy's node IP (primary address): decides whether LB source ranges admit the node itself. */
  readonly ip: string;
  /**
   * Every IPv4 address on the node's interfaces, in `ip addr` order; default `[ip]`. Used only
   * with `--nodeport-addresses`, where kube-proxy writes one KUBE-NODEPORTS jump per matching
   * address (it lists them in Go map order; here they keep this order).
   */
  readonly addresses?: readonly string[];
  /** `spec.podCIDR`, for `--detect-local-mode=NodeCIDR`. */
  readonly podCIDR?: string;
}

/** How kube-proxy tells pod traffic from the rest (`--detect-local-mode`). */
export type DetectLocalMode = "ClusterCIDR" | "NodeCIDR" | "BridgeInterface" | "InterfaceNamePrefix";

/** kube-proxy's flags that change the rules (defaults as kube-proxy's). */
export interface KubeProxyFlags {
  /** `--cluster-cidr`; without it (and mode ClusterCIDR) no local-traffic detector: no ClusterIP masquerade rule. */
  readonly clusterCIDR?: string;
  /** `--detect-local-mode`, default ClusterCIDR. */
  readonly detectLocalMode?: DetectLocalMode;
  /** `--pod-bridge-interface`, for BridgeInterface. */
  readonly podBridgeInterface?: string;
  /** `--pod-interface-name-prefix`, for InterfaceNamePrefix. */
  readonly podInterfaceNamePrefix?: string;
  /** `--masquerade-all`, default false. */
  readonly masqueradeAll?: boolean;
  /** `--iptables-masquerade-bit`, 0–31, default 14 (mark 0x00004000). */
  readonly masqueradeBit?: number;
  /** `--iptables-localhost-nodeports`, default true. */
  readonly localhostNodePorts?: boolean;
  /** `--nodeport-addresses`: IPv4 CIDRs, or `primary` for the node IP; default all addresses. */
  readonly nodePortAddresses?: readonly string[];
}

/** What kube-proxy finds on the host at start-up, each changing a few rules. */
export interface HostFacts {
  /** iptables supports `MASQUERADE --random-fully` (any iptables since 1.6.2); default true. */
  readonly randomFully?: boolean;
  /**
   * The nfacct counters could be created (kernel nfnetlink_acct); default false. When true the
   * rules carry `-m nfacct`, which podpath's netfilter parser does not model.
   */
  readonly nfacct?: boolean;
  /** `net.netfilter.nf_conntrack_tcp_be_liberal` is non-zero: no INVALID DROP in KUBE-FORWARD; default false. */
  readonly conntrackTcpBeLiberal?: boolean;
}

export interface KubeProxyInput {
  readonly node: NodeInfo;
  readonly services: readonly Service[];
  readonly flags?: KubeProxyFlags;
  readonly host?: HostFacts;
  /**
   * `upstream-test-fake` writes the mark as upstream's unit-test proxier hard-codes it (`0x4000`
   * instead of kube-proxy's `%#08x` form `0x00004000`), so upstream's expected dumps can be
   * compared byte for byte. Default `kube-proxy`.
   */
  readonly variant?: "kube-proxy" | "upstream-test-fake";
}
