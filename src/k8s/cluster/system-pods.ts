/**
 * The pods kubeadm and the add-ons bring that carry traffic: CoreDNS, a Deployment of
 * `dns.replicas` pods labelled `k8s-app: kube-dns`, serving DNS on 53/UDP and 53/TCP and
 * metrics on 9153 (the names and ports of kubeadm's CoreDNS manifest). The host-network pods
 * (static control-plane pods, kube-proxy, kube-flannel) are only API objects: see view-build.ts.
 */
import type { Ipv4 } from "../../core/ip.js";
import { parseIpv4 } from "../../core/ip.js";
import type { DnsZoneSpec, ListenerSpec } from "../../netns/spec.js";
import type { ServiceEndpoint } from "./endpoints.js";
import { serviceKey } from "./endpoints.js";
import type { AllocatedService } from "./services.js";
import type { ClusterModel, ClusterPod } from "./model.js";
import { replicaPodName } from "./names.js";

export interface SystemPods {
  readonly dnsPods: readonly ClusterPod[];
  /** True for the ports CoreDNS's server plugin serves itself (53, UDP and TCP): no plain listener for them. */
  servedByDns(pod: ClusterPod, port: number): boolean;
}

/**
 * What CoreDNS's kubernetes plugin answers: an A record `<svc>.<ns>.svc.<domain>` per Service
 * with a ClusterIP, and for a headless Service its endpoints' addresses.
 */
export function dnsZone(m: ClusterModel, services: readonly AllocatedService[], endpoints: ReadonlyMap<string, readonly ServiceEndpoint[]>): DnsZoneSpec {
  const records: Record<string, Ipv4[]> = {};
  for (const s of services) {
    const name = `${s.name}.${s.namespace}.svc.${m.domain}`.toLowerCase();
    const ip = parseIpv4(s.clusterIP);
    const addrs = ip !== undefined ? [ip] : [...new Set((endpoints.get(serviceKey(s)) ?? []).map((e) => e.ip))];
    if (addrs.length > 0) records[name] = addrs;
  }
  return { domain: m.domain, records };
}

/** The DNS server of a CoreDNS pod, on 53 (UDP and TCP). */
export function dnsListener(zone: DnsZoneSpec): ListenerSpec {
  return { kind: "dns", port: 53, body: "", zone };
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
  return { dnsPods, servedByDns: (pod, port) => isDns.has(pod) && port === 53 };
}
