/**
 * The files a user cats on a node or in a pod that the network depends on: the pod's
 * /etc/resolv.conf and /etc/hosts as kubelet writes them (dnsPolicy ClusterFirst; kubelet's
 * hosts file for a pod not on the host network), and an Ubuntu node's systemd-resolved stub
 * resolv.conf. /run/flannel/subnet.env comes from flanneld (flannel/subnet-env.ts).
 */
import { formatIpv4, type Ipv4 } from "../../core/ip.js";
import type { ClusterModel, ClusterPod } from "./model.js";

/** Ubuntu 22.04's /etc/resolv.conf (a link to systemd-resolved's stub file), without its comment header. */
export function nodeResolvConf(): string {
  return "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n";
}

/** An Ubuntu node's /etc/hosts: localhost, the installer's 127.0.1.1 line for its own name, the IPv6 names. */
export function nodeHosts(node: string): string {
  return [
    "127.0.0.1 localhost",
    `127.0.1.1 ${node}`,
    "",
    "# The following lines are desirable for IPv6 capable hosts",
    "::1     ip6-localhost ip6-loopback",
    "fe00::0 ip6-localnet",
    "ff00::0 ip6-mcastprefix",
    "ff02::1 ip6-allnodes",
    "ff02::2 ip6-allrouters",
    "",
  ].join("\n");
}

/** kubelet's resolv.conf for ClusterFirst: the pod's namespace first, then svc and the domain; ndots 5. */
export function podResolvConf(m: ClusterModel, pod: ClusterPod): string {
  const d = m.domain;
  return `search ${pod.namespace}.svc.${d} svc.${d} ${d}\nnameserver ${formatIpv4(m.dns.clusterIP)}\noptions ndots:5\n`;
}

/** kubelet's managed hosts file (pkg/kubelet/kubelet_pods.go managedHostsFileContent). */
export function podHosts(pod: ClusterPod, ip: Ipv4): string {
  return [
    "# Kubernetes-managed hosts file.",
    "127.0.0.1\tlocalhost",
    "::1\tlocalhost ip6-localhost ip6-loopback",
    "fe00::0\tip6-localnet",
    "fe00::0\tip6-mcastprefix",
    "fe00::1\tip6-allnodes",
    "fe00::2\tip6-allrouters",
    `${formatIpv4(ip)}\t${pod.name}`,
    "",
  ].join("\n");
}

export function podFiles(m: ClusterModel, pod: ClusterPod, ip: Ipv4): Record<string, string> {
  return { "/etc/resolv.conf": podResolvConf(m, pod), "/etc/hosts": podHosts(pod, ip) };
}
