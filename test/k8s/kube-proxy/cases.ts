/** Inputs covering every shape of Service and every flag, for the parser and kernel checks. */
import type { KubeProxyInput, Service } from "../../../src/k8s/kube-proxy/index.js";
import { onNodeA } from "./helpers.js";
import { flannelWeb, overall, syncRepeated, threeEndpoints } from "./inputs.js";

const eps = [{ ip: "10.244.1.5", nodeName: "node-a" }, { ip: "10.244.2.7", nodeName: "node-b" }, { ip: "10.244.2.9", nodeName: "node-b", ready: false, serving: true, terminating: true }];
const lb = (extra: Partial<Service>): Service => ({
  namespace: "default", name: "lb", type: "LoadBalancer", clusterIP: "10.96.0.7", externalIPs: ["192.168.56.200"], loadBalancerIPs: ["203.0.113.7"],
  loadBalancerSourceRanges: ["192.168.56.0/24"], ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30080 }, { name: "dns", port: 53, protocol: "UDP", nodePort: 30053 }],
  endpoints: eps.flatMap((e) => [{ ...e, portName: "http" }, { ...e, portName: "dns", port: 5353 }]), ...extra,
});

/** The upstream clusters without the unit-test proxier's nfacct counters (the parser does not model nfacct). */
const real = (i: KubeProxyInput): KubeProxyInput => ({ ...i, host: { randomFully: true, nfacct: false }, variant: "kube-proxy" });

export const CASES: readonly (readonly [string, KubeProxyInput])[] = [
  ["§10.1 services", real(syncRepeated)],
  ["§10.2 services", real(overall)],
  ["§10.3 flannel", flannelWeb],
  ["three endpoints", threeEndpoints],
  ["LB, eTP Cluster, affinity", onNodeA([lb({ sessionAffinity: "ClientIP" })])],
  ["LB, eTP Local, health check", onNodeA([lb({ externalTrafficPolicy: "Local", healthCheckNodePort: 32000 })])],
  ["LB, eTP Local, no local endpoint", onNodeA([lb({ externalTrafficPolicy: "Local", endpoints: [{ ip: "10.244.2.7", portName: "http" }, { ip: "10.244.2.7", portName: "dns" }] })])],
  ["iTP Local", onNodeA([lb({ internalTrafficPolicy: "Local", type: "ClusterIP", externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [], ports: [{ name: "http", port: 80 }, { name: "dns", port: 53, protocol: "UDP" }] })])],
  ["no endpoints", onNodeA([lb({ endpoints: [] })])],
  ["masquerade-all, no localhost NodePorts, no tcp_be_liberal INVALID rule", onNodeA([lb({})], { flags: { clusterCIDR: "10.244.0.0/16", masqueradeAll: true, localhostNodePorts: false }, host: { conntrackTcpBeLiberal: true, randomFully: false } })],
  ["no cluster CIDR", onNodeA([lb({ externalTrafficPolicy: "Local" })], { flags: {} })],
  ["bridge detector", onNodeA([lb({ externalTrafficPolicy: "Local" })], { flags: { detectLocalMode: "BridgeInterface", podBridgeInterface: "cni0" } })],
  ["interface-prefix detector", onNodeA([lb({ externalTrafficPolicy: "Local" })], { flags: { detectLocalMode: "InterfaceNamePrefix", podInterfaceNamePrefix: "veth" } })],
  ["nodeport addresses", onNodeA([lb({})], { node: { name: "node-a", ip: "192.168.56.10", addresses: ["127.0.0.1", "10.0.2.15", "192.168.56.10"] }, flags: { clusterCIDR: "10.244.0.0/16", nodePortAddresses: ["127.0.0.0/8", "192.168.56.0/24"], masqueradeBit: 0 } })],
  ["large cluster", onNodeA([lb({ endpoints: Array.from({ length: 1100 }, (_, i) => ({ ip: `10.244.${i >> 8}.${i & 255}`, portName: "http" })) })])],
];

