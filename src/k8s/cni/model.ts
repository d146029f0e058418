/**
 * The CNI builder's input and output: what kubelet/containerd hands the flannel CNI plugin on one
 * node (the node, /run/flannel/subnet.env, the pods in the order their sandboxes were created),
 * and the plain namespace state the plugins leave behind — written in the spec's own types
 * (netns/spec.ts), so the simulator reads it like any hand-written scenario.
 */
import type { Ipv4, Prefix } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import type { NetnsSpec } from "../../netns/spec.js";

/** One pod sandbox as the runtime asks the plugin to wire it. */
export interface PodInput {
  readonly name: string;
  /** The Kubernetes namespace; with `name` it keys the pod's host-local reservation. */
  readonly namespace: string;
  /** Sandbox creation order on the node; pods are added lowest first (ties keep list order). */
  readonly order: number;
  /** A requested address (host-local's `ips` capability / CNI_ARGS IP=…). */
  readonly ip?: Ipv4;
  /** The simulated namespace's name; default `name`. */
  readonly netns?: string;
  readonly at?: Position;
}

export interface SubnetEnvText {
  /** The file's content, as flanneld wrote it (flannel/subnet-env.ts). */
  readonly text: string;
  /** Where it was read from; default /run/flannel/subnet.env. */
  readonly file?: string;
}

/**
 * The `delegate` object of the flannel CNI config (10-flannel.conflist). Omitted: kube-flannel.yml's
 * `{ "hairpinMode": true, "isDefaultGateway": true }`. Keys left out here are filled in by the
 * flannel plugin as it does (ipMasq, mtu, isGateway).
 */
export interface FlannelDelegate {
  readonly bridge?: string;
  readonly hairpinMode?: boolean;
  readonly isGateway?: boolean;
  readonly isDefaultGateway?: boolean;
  readonly ipMasq?: boolean;
  readonly mtu?: number;
}

export interface CniNodeInput {
  /** The node's namespace name in the world. */
  readonly node: string;
  readonly subnetEnv: SubnetEnvText;
  readonly pods: readonly PodInput[];
  /** Draws the host-side veth names (ip.RandomVethName reads crypto/rand). */
  readonly seed: string;
  /** The network name (`name` of the conflist); host-local keeps its state under it. Default cbr0. */
  readonly network?: string;
  readonly delegate?: FlannelDelegate;
}

/** subnet.env as the flannel plugin reads it (loadFlannelSubnetEnv), IPv4 only. */
export interface FlannelEnv {
  readonly network: Prefix;
  /** Parsed with net.ParseCIDR, so the host bits are cleared: 10.244.1.1/24 → 10.244.1.0/24. */
  readonly subnet: Prefix;
  readonly mtu: number;
  readonly ipMasq: boolean;
}

/** The bridge plugin's config as the flannel plugin renders it for its delegate. */
export interface BridgeConf {
  readonly name: string;
  readonly type: "bridge";
  readonly bridge: string;
  readonly isGateway: boolean;
  readonly isDefaultGateway: boolean;
  readonly hairpinMode: boolean;
  readonly ipMasq: boolean;
  readonly mtu: number;
  readonly ipam: HostLocalConf;
}

export interface HostLocalConf {
  readonly type: "host-local";
  /** One range set with one range, the node's subnet (flannel's `ranges: [[{subnet}]]`). */
  readonly subnet: Prefix;
  /** `routes`: the cluster network, without a gateway (ConfigureIface fills in the range's). */
  readonly routes: readonly Prefix[];
}

/** host-local's files under /var/lib/cni/networks/<network>/ for the node's one range. */
export interface HostLocalState {
  /** One file per reserved address, naming its owner (the real file holds container ID + ifname). */
  readonly reserved: ReadonlyMap<Ipv4, string>;
  /** last_reserved_ip.0: where the next search starts; releasing never changes it. */
  readonly lastReserved?: Ipv4;
}

/** What the plugins leave in the node's namespace: cni0, the host veth ends, cni0's address, ip_forward. */
export type NodeCniState = Pick<NetnsSpec, "devices" | "addresses" | "sysctls">;

export interface PodAttachment {
  /** `namespace/name`. */
  readonly key: string;
  readonly pod: PodInput;
  readonly ip: Ipv4;
  readonly hostVeth: string;
  /** The pod's namespace: lo, eth0 with its address, and the routes the plugin adds. */
  readonly netns: NetnsSpec;
}

export interface CniNode {
  readonly node: string;
  readonly network: string;
  readonly env: FlannelEnv;
  readonly conf: BridgeConf;
  readonly ipam: HostLocalState;
  /** Empty until the first pod (the bridge plugin creates cni0 on its first ADD). */
  readonly state: NodeCniState;
  readonly pods: readonly PodAttachment[];
  readonly seed: string;
  /** ADDs so far on this node; each draws its own veth name. */
  readonly adds: number;
}
