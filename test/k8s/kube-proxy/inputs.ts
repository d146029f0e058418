/**
 * The clusters of research/kube-proxy.md §10 as KubeProxyInput values.
 *
 * Upstream's expected dumps come from its unit-test proxier (NewFakeProxier): node "test-node"
 * with IP 192.168.0.2, pod traffic detected by CIDR 10.0.0.0/8, mark "0x4000" written as is, an
 * iptables without --random-fully, nfacct counters present, localhost NodePorts on.
 */
import type { HostFacts, KubeProxyFlags, KubeProxyInput, NodeInfo, Service } from "../../../src/k8s/kube-proxy/index.js";

export const FAKE_NODE: NodeInfo = { name: "test-node", ip: "192.168.0.2" };
export const FAKE_FLAGS: KubeProxyFlags = { clusterCIDR: "10.0.0.0/8" };
export const FAKE_HOST: HostFacts = { randomFully: false, nfacct: true };

function fake(services: readonly Service[]): KubeProxyInput {
  return { node: FAKE_NODE, flags: FAKE_FLAGS, host: FAKE_HOST, variant: "upstream-test-fake", services };
}

/** §10.1, upstream TestSyncProxyRulesRepeated's first full sync. */
export const syncRepeated: KubeProxyInput = fake([
  { namespace: "ns1", name: "svc1", clusterIP: "172.30.0.41", ports: [{ name: "p80", port: 80 }], endpoints: [{ ip: "10.0.1.1" }] },
  { namespace: "ns2", name: "svc2", clusterIP: "172.30.0.42", ports: [{ name: "p8080", port: 8080 }], endpoints: [{ ip: "10.0.2.1" }] },
]);

/** §10.2, upstream TestOverallIPTablesRules: every feature once. */
export const overall: KubeProxyInput = fake([
  { namespace: "ns1", name: "svc1", clusterIP: "172.30.0.41", ports: [{ name: "p80", port: 80 }], endpoints: [{ ip: "10.180.0.1" }] },
  {
    namespace: "ns2", name: "svc2", type: "LoadBalancer", externalTrafficPolicy: "Local", clusterIP: "172.30.0.42",
    ports: [{ name: "p80", port: 80, nodePort: 3001 }], loadBalancerIPs: ["1.2.3.4"], externalIPs: ["192.168.99.22"], healthCheckNodePort: 30000,
    // No nodeName: not local, so this node has no endpoint for Local policy.
    endpoints: [{ ip: "10.180.0.2" }],
  },
  { namespace: "ns3", name: "svc3", type: "NodePort", clusterIP: "172.30.0.43", ports: [{ name: "p80", port: 80, nodePort: 3003 }], endpoints: [{ ip: "10.180.0.3" }] },
  {
    namespace: "ns4", name: "svc4", type: "NodePort", clusterIP: "172.30.0.44", externalIPs: ["192.168.99.33"],
    ports: [{ name: "p80", port: 80, targetPort: 80 }],
    endpoints: [{ ip: "10.180.0.4" }, { ip: "10.180.0.5", nodeName: "test-node" }],
  },
  {
    namespace: "ns5", name: "svc5", type: "LoadBalancer", externalTrafficPolicy: "Cluster", clusterIP: "172.30.0.45",
    ports: [{ name: "p80", port: 80, nodePort: 3002 }], loadBalancerIPs: ["5.6.7.8"],
    // Leading blank on purpose, as upstream's test has it.
    loadBalancerSourceRanges: [" 203.0.113.0/25"],
    sessionAffinity: "ClientIP", sessionAffinityTimeoutSeconds: 10800,
    endpoints: [{ ip: "10.180.0.3" }],
  },
  { namespace: "ns6", name: "svc6", clusterIP: "172.30.0.46", ports: [{ name: "p80", port: 80, targetPort: 80 }] },
]);

/**
 * §10.3, derived in the notes: flannel's cluster CIDR, an iptables with --random-fully, no
 * nfacct counters; default/web NodePort with three endpoints on two nodes, default/empty with none.
 */
export const flannelWeb: KubeProxyInput = {
  node: { name: "node-a", ip: "192.168.56.10" },
  flags: { clusterCIDR: "10.244.0.0/16" },
  services: [
    {
      namespace: "default", name: "web", type: "NodePort", clusterIP: "10.96.0.100",
      ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30080 }],
      endpoints: [{ ip: "10.244.1.5", nodeName: "node-a" }, { ip: "10.244.2.7", nodeName: "node-b" }, { ip: "10.244.2.9", nodeName: "node-b" }],
    },
    { namespace: "default", name: "empty", clusterIP: "10.96.0.50", ports: [{ name: "http", port: 80 }] },
  ],
};

/** scenarios/lowlevel/kube-proxy-three-endpoints.yaml's node: one ClusterIP Service, three local endpoints. */
export const threeEndpoints: KubeProxyInput = {
  node: { name: "node", ip: "10.0.2.15" },
  flags: { clusterCIDR: "10.244.0.0/16" },
  services: [{
    namespace: "default", name: "web", clusterIP: "10.96.0.50",
    ports: [{ name: "http", port: 80, targetPort: 8080 }],
    endpoints: [{ ip: "10.244.1.11", nodeName: "node" }, { ip: "10.244.1.12", nodeName: "node" }, { ip: "10.244.1.13", nodeName: "node" }],
  }],
};
