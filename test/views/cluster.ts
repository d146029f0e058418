/**
 * A kubeadm cluster on three VirtualBox VMs, as the kubectl, route and cat view tests see it:
 * master1 (control plane), worker1 and worker2, each with a NAT adapter enp0s3 on its own NAT
 * network (so every node is 10.0.2.15 there — and kubelet, choosing the default route's source,
 * reports 10.0.2.15 as every node's InternalIP) and a host-only enp0s8 192.168.56.10x; flannel
 * VXLAN over enp0s8 with 10.244.N.0/24 per node. The API objects are written by hand the way
 * `kubectl get` would find them at scenario start (virtual time 0).
 */
import type { ClusterView, PodView } from "../../src/k8s/cluster/view.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { load } from "./worlds.js";

const DAY = 86_400;
const HOUR = 3_600;

/** Cluster creation: 25 days 3 hours before the scenario starts. */
const CLUSTER_BORN = -(25 * DAY + 3 * HOUR);
const WORKER1_BORN = -(2 * DAY + 3 * HOUR);
const WORKER2_BORN = -(47 * HOUR);

const NODE_INFO = {
  kubeletVersion: "v1.30.2",
  osImage: "Ubuntu 22.04.4 LTS",
  kernelVersion: "5.15.0-112-generic",
  containerRuntime: "containerd://1.7.12",
};

function pod(p: Partial<PodView> & Pick<PodView, "namespace" | "name" | "node" | "createdAt">): PodView {
  return { hostNetwork: false, status: "Running", ready: [1, 1], restarts: 0, labels: {}, netns: p.node, ...p };
}

/** Static pods and DaemonSet pods of the host network carry the node's InternalIP. */
const hostPod = (namespace: string, name: string, node: string, createdAt: number, extra: Partial<PodView> = {}): PodView =>
  pod({ namespace, name, node, createdAt, ip: "10.0.2.15", hostNetwork: true, ...extra });

export const CLUSTER: ClusterView = {
  domain: "cluster.local",
  nodes: [
    { name: "master1", roles: ["control-plane"], internalIP: "10.0.2.15", ready: true, createdAt: CLUSTER_BORN, podCIDR: "10.244.0.0/24", ...NODE_INFO },
    { name: "worker1", roles: [], internalIP: "10.0.2.15", ready: true, createdAt: WORKER1_BORN, podCIDR: "10.244.1.0/24", ...NODE_INFO },
    { name: "worker2", roles: [], internalIP: "10.0.2.15", ready: true, createdAt: WORKER2_BORN, podCIDR: "10.244.2.0/24", ...NODE_INFO },
  ],
  pods: [
    pod({ namespace: "default", name: "kubia-zcpbb", node: "worker2", ip: "10.244.2.11", createdAt: -45, labels: { app: "kubia" }, netns: "kubia-zcpbb" }),
    pod({ namespace: "default", name: "kubia-nwjcc", node: "worker1", ip: "10.244.1.27", createdAt: -600, labels: { app: "kubia" }, netns: "kubia-nwjcc", logs: ["Kubia server starting...", 'Received request from ::ffff:10.244.2.0'] }),
    pod({ namespace: "default", name: "kubia-m4x2t", node: "worker2", status: "ContainerCreating", ready: [0, 1], createdAt: -5, labels: { app: "kubia" }, netns: "worker2" }),
    hostPod("kube-flannel", "kube-flannel-ds-7xk2p", "master1", CLUSTER_BORN, { labels: { app: "flannel" } }),
    hostPod("kube-flannel", "kube-flannel-ds-bq5mz", "worker1", WORKER1_BORN, {
      labels: { app: "flannel" },
      restarts: 2,
      lastRestartAt: -(3 * HOUR + 5 * 60),
      logs: [
        "I0612 10:15:02.123456       1 main.go:212] CLI flags config: {etcdEndpoints:http://127.0.0.1:4001,http://127.0.0.1:2379 etcdPrefix:/coreos.com/network etcdKeyfile: etcdCertfile: etcdCAFile: etcdUsername: etcdPassword: version:false kubeSubnetMgr:true kubeApiUrl: kubeAnnotationPrefix:flannel.alpha.coreos.com kubeConfigFile: iface:[] ifaceRegex:[] ipMasq:true ifaceCanReach: subnetFile:/run/flannel/subnet.env publicIP: publicIPv6: subnetLeaseRenewMargin:60 healthzIP:0.0.0.0 healthzPort:0 iptablesResyncSeconds:5 iptablesForwardRules:true netConfPath:/etc/kube-flannel/net-conf.json setNodeNetworkUnavailable:true}",
        "I0612 10:15:02.234567       1 main.go:353] Using interface with name enp0s3 and address 10.0.2.15",
        "I0612 10:15:02.234601       1 main.go:366] Defaulting external address to interface address (10.0.2.15)",
      ],
    }),
    hostPod("kube-flannel", "kube-flannel-ds-qh8wd", "worker2", WORKER2_BORN, { labels: { app: "flannel" } }),
    pod({ namespace: "kube-system", name: "coredns-7db6d8ff4d-xz9lq", node: "master1", ip: "10.244.0.3", createdAt: CLUSTER_BORN, labels: { "k8s-app": "kube-dns" } }),
    pod({ namespace: "kube-system", name: "coredns-7db6d8ff4d-5k8vx", node: "master1", ip: "10.244.0.2", createdAt: CLUSTER_BORN, labels: { "k8s-app": "kube-dns" } }),
    hostPod("kube-system", "etcd-master1", "master1", CLUSTER_BORN),
    hostPod("kube-system", "kube-apiserver-master1", "master1", CLUSTER_BORN),
    hostPod("kube-system", "kube-controller-manager-master1", "master1", CLUSTER_BORN),
    hostPod("kube-system", "kube-proxy-4xj9w", "master1", CLUSTER_BORN, { labels: { "k8s-app": "kube-proxy" } }),
    hostPod("kube-system", "kube-proxy-8hlnm", "worker1", WORKER1_BORN, { labels: { "k8s-app": "kube-proxy" } }),
    hostPod("kube-system", "kube-proxy-tc2vz", "worker2", WORKER2_BORN, { labels: { "k8s-app": "kube-proxy" } }),
    hostPod("kube-system", "kube-scheduler-master1", "master1", CLUSTER_BORN),
  ],
  services: [
    { namespace: "default", name: "kubernetes", type: "ClusterIP", clusterIP: "10.96.0.1", externalIPs: [], ports: [{ name: "https", protocol: "TCP", port: 443, targetPort: 6443 }], sessionAffinity: "None", createdAt: CLUSTER_BORN },
    {
      namespace: "kube-system",
      name: "kube-dns",
      type: "ClusterIP",
      clusterIP: "10.96.0.10",
      externalIPs: [],
      ports: [
        { name: "dns", protocol: "UDP", port: 53, targetPort: 53 },
        { name: "dns-tcp", protocol: "TCP", port: 53, targetPort: 53 },
        { name: "metrics", protocol: "TCP", port: 9153, targetPort: 9153 },
      ],
      selector: { "k8s-app": "kube-dns" },
      sessionAffinity: "None",
      createdAt: CLUSTER_BORN,
    },
    { namespace: "default", name: "kubia", type: "ClusterIP", clusterIP: "10.98.41.49", externalIPs: [], ports: [{ protocol: "TCP", port: 80, targetPort: 8080 }], selector: { app: "kubia" }, sessionAffinity: "None", createdAt: -HOUR },
    {
      namespace: "default",
      name: "kubia-nodeport",
      type: "NodePort",
      clusterIP: "10.111.254.223",
      externalIPs: [],
      ports: [
        { name: "http", protocol: "TCP", port: 80, targetPort: 8080, nodePort: 30123 },
        { name: "https", protocol: "TCP", port: 443, targetPort: 8443, nodePort: 30443 },
      ],
      selector: { app: "kubia", tier: "web" },
      sessionAffinity: "None",
      createdAt: -121,
    },
  ],
  endpoints: [
    { namespace: "default", name: "kubernetes", addresses: [{ ip: "10.0.2.15", ready: true }], ports: [{ name: "https", port: 6443, protocol: "TCP" }], createdAt: CLUSTER_BORN },
    {
      namespace: "kube-system",
      name: "kube-dns",
      addresses: [
        { ip: "10.244.0.2", nodeName: "master1", pod: "kube-system/coredns-7db6d8ff4d-5k8vx", ready: true },
        { ip: "10.244.0.3", nodeName: "master1", pod: "kube-system/coredns-7db6d8ff4d-xz9lq", ready: true },
      ],
      ports: [
        { name: "dns-tcp", port: 53, protocol: "TCP" },
        { name: "dns", port: 53, protocol: "UDP" },
        { name: "metrics", port: 9153, protocol: "TCP" },
      ],
      createdAt: CLUSTER_BORN,
    },
    {
      namespace: "default",
      name: "kubia",
      addresses: [
        { ip: "10.244.1.27", nodeName: "worker1", pod: "default/kubia-nwjcc", ready: true },
        { ip: "10.244.2.11", nodeName: "worker2", pod: "default/kubia-zcpbb", ready: true },
      ],
      ports: [{ port: 8080, protocol: "TCP" }],
      createdAt: -HOUR,
    },
    { namespace: "default", name: "kubia-nodeport", addresses: [], ports: [], createdAt: -121 },
  ],
};

/** The nodes' and two pods' network state: enough for `route -n` and for `cat` of their files. */
const NET = load(`
name: views cluster
seed: 11
segments: [nat-master1, nat-worker1, nat-worker2, hostonly]
namespaces:
  master1:
    sysctls: { net.ipv4.ip_forward: 1 }
    devices:
      enp0s3: { type: nic, segment: nat-master1, mac: "08:00:27:6e:01:03" }
      enp0s8: { type: nic, segment: hostonly, mac: "08:00:27:6e:01:08" }
      cni0: { type: bridge, mac: "02:c0:00:00:00:01" }
      flannel.1: { type: vxlan, id: 1, local: 192.168.56.101, dev: enp0s8, dstport: 8472, learning: false, mac: "02:fa:00:00:00:01" }
    addresses:
      enp0s3: [{ addr: 10.0.2.15/24, brd: + }]
      enp0s8: [{ addr: 192.168.56.101/24, brd: + }]
      cni0: [{ addr: 10.244.0.1/24, brd: + }]
      flannel.1: [10.244.0.0/32]
    routes:
      - { dst: default, via: 10.0.2.2, dev: enp0s3, metric: 100, proto: dhcp, src: 10.0.2.15 }
      - { dst: 10.0.2.2/32, dev: enp0s3, metric: 100, proto: dhcp, scope: link, src: 10.0.2.15 }
      - { dst: 10.244.1.0/24, via: 10.244.1.0, dev: flannel.1, onlink: true }
      - { dst: 10.244.2.0/24, via: 10.244.2.0, dev: flannel.1, onlink: true }
  worker1:
    sysctls: { net.ipv4.ip_forward: 1 }
    devices:
      enp0s3: { type: nic, segment: nat-worker1, mac: "08:00:27:6e:02:03" }
      enp0s8: { type: nic, segment: hostonly, mac: "08:00:27:6e:02:08" }
    addresses:
      enp0s3: [{ addr: 10.0.2.15/24, brd: + }]
      enp0s8: [{ addr: 192.168.56.102/24, brd: + }]
    routes:
      - { dst: default, via: 10.0.2.2, dev: enp0s3, metric: 100, proto: dhcp, src: 10.0.2.15 }
  worker2:
    devices:
      enp0s3: { type: nic, segment: nat-worker2, mac: "08:00:27:6e:03:03" }
    addresses:
      enp0s3: [{ addr: 10.0.2.15/24, brd: + }]
  kubia-nwjcc:
    devices:
      eth0: { type: nic, segment: hostonly, mac: "0a:58:0a:f4:01:1b" }
    addresses:
      eth0: [{ addr: 10.244.1.27/24, brd: + }]
    routes:
      - { dst: 10.244.0.0/16, via: 10.244.1.1 }
      - { dst: default, via: 10.244.1.1 }
  lab:
    devices:
      eth0: { type: nic, segment: hostonly, mac: "02:00:00:00:0a:01" }
      a-very-long-if: { type: bridge, mac: "02:00:00:00:0a:02" }
    addresses:
      eth0: [{ addr: 192.0.2.1/24, brd: + }]
      a-very-long-if: [{ addr: 198.18.0.1/24, brd: + }]
    routes:
      - { dst: 203.0.113.7/32, via: 192.0.2.254, metric: 5 }
      - { dst: 203.0.113.8/32, dev: eth0, scope: link }
      - { dst: 198.51.100.0/26, type: unreachable }
      - { dst: 198.51.100.64/26, type: prohibit }
      - { dst: 198.51.100.128/26, type: blackhole }
      - { dst: 198.51.100.192/26, type: throw }
      - { dst: 198.51.100.255/32, type: unreachable, metric: 7 }
      - { dst: 10.0.0.0/8, via: 192.0.2.254, table: 100 }
`);

const FILES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  master1: {
    "/run/flannel/subnet.env": "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.0.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n",
    "/etc/resolv.conf": "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n",
  },
  "kubia-nwjcc": {
    "/etc/resolv.conf": "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
  },
};

export const CLUSTER_WORLD: WorldSpec = {
  ...NET,
  namespaces: NET.namespaces.map((n) => (FILES[n.name] ? { ...n, files: FILES[n.name]! } : n)),
  cluster: CLUSTER,
};

/** The same namespaces with no API server behind them (a low-level scenario). */
export const NO_CLUSTER_WORLD: WorldSpec = { ...NET };
