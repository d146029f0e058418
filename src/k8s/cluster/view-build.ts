/**
 * The API objects of a built cluster (view.ts), as a kubeadm cluster with flannel lists them:
 * each node; the static control-plane pods and the kube-proxy and kube-flannel DaemonSet pods
 * (host network: their IP is the node's); CoreDNS and the scenario's pods with the addresses the
 * CNI gave them; Services and their Endpoints. Versions are those of a kubeadm 1.30 cluster on
 * Ubuntu 22.04 with containerd, the setup of the failures podpath reproduces.
 */
import { formatIpv4, formatPrefix } from "../../core/ip.js";
import type { BuiltNode } from "./build.js";
import { CREATED, type ComponentState } from "./build.js";
import type { PlacedPod, ServiceEndpoint } from "./endpoints.js";
import { serviceKey } from "./endpoints.js";
import type { ClusterModel } from "./model.js";
import { daemonSetPodName, flannelPodName, replicaSetName } from "./names.js";
import type { AllocatedService } from "./services.js";
import type { ClusterView, EndpointsView, NodeView, PodView, ServiceView } from "./view.js";

export const VERSIONS = {
  kubelet: "v1.30.2",
  osImage: "Ubuntu 22.04.4 LTS",
  kernel: "5.15.0-113-generic",
  runtime: "containerd://1.7.12",
} as const;

/** A crash-looping container has restarted about this often by the time someone looks. */
const CRASH_RESTARTS = 5;

export function clusterView(
  m: ClusterModel,
  nodes: readonly BuiltNode[],
  placed: readonly PlacedPod[],
  services: readonly AllocatedService[],
  endpoints: ReadonlyMap<string, readonly ServiceEndpoint[]>,
  flannelLog: (nodeIndex: number) => string[],
  cs: ComponentState,
): ClusterView {
  // Times are stored relative to this state's own moment, so AGE counts from it.
  const now = cs.now ?? 0;
  const rel = (t: number): number => t - now;
  const nodeViews = nodes.map((b): NodeView => ({
    name: b.node.name,
    roles: b.node.role === "control-plane" ? ["control-plane"] : [],
    internalIP: formatIpv4(b.internalIP),
    ready: true,
    createdAt: rel(CREATED.nodes),
    kubeletVersion: VERSIONS.kubelet,
    osImage: VERSIONS.osImage,
    kernelVersion: VERSIONS.kernel,
    containerRuntime: VERSIONS.runtime,
    ...(b.lease ? { podCIDR: formatPrefix(b.lease) } : {}),
  }));
  const pods: PodView[] = [];
  const hostPod = (namespace: string, name: string, b: BuiltNode, labels: Record<string, string>, owner: string | undefined, extra: Partial<PodView> = {}): PodView => ({
    namespace, name, node: b.node.name, ip: formatIpv4(b.internalIP), hostNetwork: true, status: "Running", ready: [1, 1], restarts: 0,
    createdAt: rel(CREATED.system), labels, netns: b.node.name, ...(owner ? { owner } : {}), ...extra,
  });
  nodes.forEach((b, i) => {
    if (b.node.role === "control-plane") {
      for (const c of ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]) {
        pods.push(hostPod("kube-system", `${c}-${b.node.name}`, b, { component: c, tier: "control-plane" }, `Node/${b.node.name}`));
      }
    }
    pods.push(hostPod("kube-system", daemonSetPodName(m.seed, "kube-proxy", b.node.name), b, { "k8s-app": "kube-proxy" }, "DaemonSet/kube-proxy"));
    const f = b.flannel;
    const crashed = f?.kind === "exited" || cs.flannelFrozen?.has(b.node.name) === true;
    pods.push(hostPod("kube-flannel", flannelPodName(m.seed, b.node.name, cs.flannelGen?.get(b.node.name) ?? 0), b, { app: "flannel", "k8s-app": "flannel", tier: "node" }, "DaemonSet/kube-flannel-ds", {
      status: crashed ? "CrashLoopBackOff" : "Running",
      ready: crashed ? [0, 1] : [1, 1],
      restarts: crashed ? CRASH_RESTARTS : 0,
      logs: flannelLog(i),
      createdAt: rel(cs.flannelStartedAt?.get(b.node.name) ?? CREATED.system),
    }));
  });
  for (const p of placed) {
    if (p.pod.hostNetwork && p.ip === undefined) continue;
    const owner = p.pod.namespace === "kube-system" && p.pod.labels["k8s-app"] === "kube-dns" ? `ReplicaSet/${replicaSetName(m.seed, "coredns")}` : undefined;
    const networked = p.ip !== undefined;
    pods.push({
      namespace: p.pod.namespace,
      name: p.pod.name,
      node: p.pod.node,
      ...(networked ? { ip: formatIpv4(p.ip!) } : {}),
      hostNetwork: p.pod.hostNetwork,
      status: networked ? "Running" : "ContainerCreating",
      ready: networked ? [1, 1] : [0, 1],
      restarts: 0,
      createdAt: rel(owner ? CREATED.system : CREATED.pods),
      labels: p.pod.labels,
      netns: p.netns ?? p.pod.node,
      ...(owner ? { owner } : {}),
    });
  }
  // The API server lists objects by key: namespace, then name.
  const byKey = <T extends { namespace: string; name: string }>(a: T, b: T): number => {
    const ka = `${a.namespace}/${a.name}`;
    const kb = `${b.namespace}/${b.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
  const serviceViews = services.map((s): ServiceView => ({
    namespace: s.namespace,
    name: s.name,
    type: s.type,
    clusterIP: s.clusterIP,
    externalIPs: s.externalIPs,
    ports: s.ports.map((p) => ({ protocol: p.protocol, port: p.port, targetPort: p.targetPort, ...(p.name !== undefined ? { name: p.name } : {}), ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}) })),
    ...(s.selector ? { selector: s.selector } : {}),
    sessionAffinity: s.sessionAffinity,
    createdAt: rel(s.createdAt),
  }));
  const endpointViews = services.map((s): EndpointsView => {
    const list = endpoints.get(serviceKey(s)) ?? [];
    const ips = [...new Map(list.map((e) => [e.ip, e])).values()];
    return {
      namespace: s.namespace,
      name: s.name,
      addresses: ips.map((e) => ({ ip: formatIpv4(e.ip), ready: true, ...(e.node !== undefined ? { nodeName: e.node } : {}), ...(e.pod !== undefined ? { pod: e.pod } : {}) })),
      ports: [...new Map(list.map((e) => [`${e.portName ?? ""}/${e.port}/${e.protocol}`, { port: e.port, protocol: e.protocol, ...(e.portName !== undefined ? { name: e.portName } : {}) }])).values()],
      createdAt: rel(s.createdAt),
    };
  });
  return { nodes: nodeViews, pods: pods.sort(byKey), services: serviceViews.sort(byKey), endpoints: endpointViews.sort(byKey), domain: m.domain };
}
