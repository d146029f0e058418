/**
 * A cluster as the cluster builder takes it: every default already applied by the loader
 * (src/scenario/cluster/), every reference checked, each item carrying where it was written.
 * Plain readonly data in Kubernetes' and VirtualBox's own terms; the builder (build.ts) turns it
 * into namespaces, and never reads a file.
 */
import type { Ipv4, Prefix } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import type { KubeProxyFlags } from "../kube-proxy/model.js";
import type { VboxModel } from "../../vbox/model.js";

export interface ClusterModel {
  readonly name: string;
  readonly file: string;
  readonly seed: string;
  /** The VMs (one per node, same name) and VirtualBox's network settings. */
  readonly vbox: VboxModel;
  readonly nodes: readonly ClusterNode[];
  readonly podCIDR: Prefix;
  readonly serviceCIDR: Prefix;
  readonly domain: string;
  readonly apiserverAddress?: Ipv4;
  readonly flannel: FlannelSettings;
  readonly kubeProxy: KubeProxyFlags;
  readonly dns: DnsSettings;
  /** The file's pods and the Deployments' pods (owner set), in creation order. */
  readonly pods: readonly ClusterPod[];
  readonly deployments: readonly ClusterDeployment[];
  readonly services: readonly ClusterService[];
}

/** A Deployment: its pods are made from the template, named and placed as the controllers would (deployments.ts). */
export interface ClusterDeployment {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  /** The pod template's labels (the selector is the same labels). */
  readonly labels: Readonly<Record<string, string>>;
  readonly listen: readonly PodPort[];
  /** Nodes the pods may go to; default every worker (kubeadm taints the control plane). */
  readonly nodes: readonly string[];
  /** How many pods the ReplicaSet has made so far (the next pod's index for its name). */
  readonly made: number;
  readonly at: Position;
}

export interface ClusterNode {
  readonly name: string;
  readonly role: "control-plane" | "worker";
  readonly nodeIP?: Ipv4;
  readonly podCIDR?: Prefix;
  /** `ip`/`bridge`/`sysctl` lines applied after the components, each with where it was written. */
  readonly commands: readonly { readonly text: string; readonly at: (index: number) => Position }[];
  readonly sysctls: Readonly<Record<string, string>>;
  readonly at: Position;
}

export interface FlannelSettings {
  readonly args: readonly string[];
  readonly argsAt: Position;
  readonly argAt?: (index: number) => Position;
  readonly netConf: { readonly text: string; readonly file: string };
  readonly env: Readonly<Record<string, string>>;
  /** The DaemonSet's updateStrategy: RollingUpdate (apps/v1's default) or OnDelete. */
  readonly updateStrategy: "RollingUpdate" | "OnDelete";
}

export interface DnsSettings {
  readonly enabled: boolean;
  readonly clusterIP: Ipv4;
  readonly replicas: number;
  /** Where the CoreDNS pods run, in order (pod i on nodes[i % length]). */
  readonly nodes: readonly string[];
}

export interface ClusterPod {
  readonly name: string;
  readonly namespace: string;
  readonly node: string;
  readonly ip?: Ipv4;
  readonly labels: Readonly<Record<string, string>>;
  readonly listen: readonly PodPort[];
  readonly hostNetwork: boolean;
  /** The Deployment that made the pod, if any. */
  readonly owner?: string;
  readonly at: Position;
}

export interface PodPort {
  readonly port: number;
  readonly name?: string;
  readonly protocol: "TCP" | "UDP";
  readonly kind: "http" | "tcp" | "udp";
  readonly body: string;
}

export interface ClusterServicePort {
  readonly name?: string;
  readonly protocol: "TCP" | "UDP";
  readonly port: number;
  readonly targetPort: number | string;
  readonly nodePort?: number;
}

export interface ClusterService {
  readonly name: string;
  readonly namespace: string;
  readonly type: "ClusterIP" | "NodePort";
  /** An address, `None`, or undefined to allocate the next free one from the service CIDR. */
  readonly clusterIP?: string;
  readonly ports: readonly ClusterServicePort[];
  readonly selector?: Readonly<Record<string, string>>;
  readonly endpoints?: readonly { readonly ip: Ipv4; readonly port?: number; readonly node?: string }[];
  readonly sessionAffinity: "None" | "ClientIP";
  /** Absent: the API default (Cluster) where the field applies. */
  readonly externalTrafficPolicy?: "Cluster" | "Local";
  readonly internalTrafficPolicy?: "Cluster" | "Local";
  readonly externalIPs: readonly string[];
  readonly at: Position;
}
