/**
 * The pods kubeadm and the add-ons bring that carry traffic: CoreDNS, a Deployment of
 * `dns.replicas` pods labelled `k8s-app: kube-dns`, serving DNS on 53/UDP and 53/TCP and
 * metrics on 9153 (the names and ports of kubeadm's CoreDNS manifest). The host-network pods
 * (static control-plane pods, kube-proxy, kube-flannel) are only API objects: see view-build.ts.
 */
import type { ListenerSpec } from "../../netns/spec.js";
import type { ClusterModel, ClusterPod } from "./model.js";
import { replicaPodName } from "./names.js";

export interface SystemPods {
  readonly dnsPods: readonly ClusterPod[];
  /** The servers a system pod runs, beyond its `listen` ports. */
  dnsListeners(pod: ClusterPod): ListenerSpec[];
}

export function systemPods(m: ClusterModel): SystemPods {
  const at = { file: m.file, line: 1, column: 1 };
  const dnsPods: ClusterPod[] = [];
  if (m.dns.enabled && m.dns.nodes.length > 0) {
    for (let i = 0; i < m.dns.replicas; i++) {
      dnsPods.push({
        name: replicaPodName(m.seed, "coredns", i),
        namespace: "kube-system",
        node: m.dns.nodes[i % m.dns.nodes.length]!,
        labels: { "k8s-app": "kube-dns" },
        listen: [
          { port: 53, name: "dns", protocol: "UDP", kind: "udp", body: "" },
          { port: 53, name: "dns-tcp", protocol: "TCP", kind: "tcp", body: "" },
          { port: 9153, name: "metrics", protocol: "TCP", kind: "http", body: "# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n" },
        ],
        hostNetwork: false,
        at,
      });
    }
  }
  const isDns = new Set(dnsPods);
  return {
    dnsPods,
    dnsListeners: (pod) => (isDns.has(pod) ? [] : []),
  };
}
