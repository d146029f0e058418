/**
 * What the API server of a simulated cluster holds, as plain data: the objects `kubectl get` and
 * `kubectl logs` print. The cluster builder (build.ts) writes it next to the namespaces' state;
 * the packet path never reads it (DESIGN.md principle 2), only the kubectl views do.
 *
 * Times are virtual seconds relative to the scenario's start (0); objects made before the
 * scenario began have negative `createdAt`, so `AGE` is `now - createdAt`.
 */

export interface NodeView {
  readonly name: string;
  /** `node-role.kubernetes.io/<role>` labels, e.g. ["control-plane"]; empty prints `<none>`. */
  readonly roles: readonly string[];
  /** status.addresses InternalIP: kubelet's --node-ip, else the default route's source address. */
  readonly internalIP: string;
  readonly ready: boolean;
  readonly createdAt: number;
  readonly kubeletVersion: string;
  readonly osImage: string;
  readonly kernelVersion: string;
  readonly containerRuntime: string;
  /** spec.podCIDR, if the controller manager gave one. */
  readonly podCIDR?: string;
}

export type PodPhase = "Running" | "Pending" | "CrashLoopBackOff" | "Error" | "ContainerCreating";

export interface PodView {
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  /** status.podIP; the node's InternalIP for host-network pods; absent while none is assigned. */
  readonly ip?: string;
  readonly hostNetwork: boolean;
  readonly status: PodPhase;
  /** Ready containers / containers. */
  readonly ready: readonly [number, number];
  readonly restarts: number;
  /** When a container last terminated (virtual seconds, like createdAt); kubectl prints `RESTARTS` as `2 (96s ago)` when set. */
  readonly lastRestartAt?: number;
  readonly createdAt: number;
  readonly labels: Readonly<Record<string, string>>;
  /** The simulated namespace holding the pod's network (host-network pods: the node's). */
  readonly netns: string;
  /** The container's log lines (`kubectl logs`), e.g. flanneld's klog lines. */
  readonly logs?: readonly string[];
  /** The controller that owns it: `DaemonSet/kube-flannel-ds`, `ReplicaSet/kubia-7d5b9c7f4`… */
  readonly owner?: string;
}

export interface ServicePortView {
  readonly name?: string;
  readonly protocol: "TCP" | "UDP" | "SCTP";
  readonly port: number;
  readonly targetPort: number | string;
  readonly nodePort?: number;
}

export interface ServiceView {
  readonly namespace: string;
  readonly name: string;
  readonly type: "ClusterIP" | "NodePort" | "LoadBalancer";
  /** `None` for a headless Service. */
  readonly clusterIP: string;
  readonly externalIPs: readonly string[];
  readonly ports: readonly ServicePortView[];
  /** Absent: endpoints are given by hand (no selector). */
  readonly selector?: Readonly<Record<string, string>>;
  readonly sessionAffinity: "None" | "ClientIP";
  readonly createdAt: number;
}

export interface EndpointAddressView {
  readonly ip: string;
  readonly nodeName?: string;
  /** `namespace/name` of the pod behind it. */
  readonly pod?: string;
  readonly ready: boolean;
}

/** The core/v1 Endpoints object of a Service (one subset: every address serves every port). */
export interface EndpointsView {
  readonly namespace: string;
  readonly name: string;
  readonly addresses: readonly EndpointAddressView[];
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly protocol: "TCP" | "UDP" | "SCTP" }[];
  readonly createdAt: number;
}

export interface ClusterView {
  readonly nodes: readonly NodeView[];
  readonly pods: readonly PodView[];
  readonly services: readonly ServiceView[];
  readonly endpoints: readonly EndpointsView[];
  /** The cluster's DNS domain (kubelet --cluster-domain), `cluster.local`. */
  readonly domain: string;
}
