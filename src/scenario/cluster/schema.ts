/**
 * The shape of a cluster scenario file (docs/cluster-format.md): a cluster described the way it
 * was built — VirtualBox VMs and their adapters, flannel's DaemonSet args and net-conf.json,
 * kube-proxy's flags, pods, Services — as one zod schema. The same schema is published as JSON
 * Schema (schema/cluster-scenario.schema.json, written by `npm run schema`) so editors complete
 * and check the file; a test keeps the two in step.
 *
 * Addresses are checked with the low-level format's parsers (values.ts), so a bad address reads
 * the same in both formats. Defaults are applied by the builder, not here, so the JSON Schema
 * shows what may be left out.
 */
import * as z from "zod";
import { fromNumber, fromText, ipv4, ifaddr, strict } from "../schema.js";
import { clusterProbeSchema } from "./probe-schema.js";
import { intInRange, portValue } from "../values.js";
import { prefixText } from "./values.js";

const name = z.string().min(1);
const labels = z.record(z.string(), z.string());
const prefix = fromText(prefixText);

export const nicSchema = strict({
  adapter: fromNumber((n) => intInRange(n, 1, 4, "adapter number")),
  mode: z.enum(["nat", "natnetwork", "hostonly", "bridged", "internal"]),
  /** natnetwork / hostonly (default vboxnet0) / internal: the network's name; bridged: the LAN's name. */
  network: name.optional(),
  /** Static `a.b.c.d/len` as netplan configures it; omitted = DHCP. */
  address: ifaddr.optional(),
  /** With a static address: the default route's gateway (netplan `routes: [{to: default, via: …}]`). */
  gateway: ipv4.optional(),
  mac: z.string().optional(),
});

export const nodeSchema = strict({
  name,
  /** `control-plane` nodes run the API server and, by kubeadm's tolerations, CoreDNS. */
  role: z.enum(["control-plane", "worker"]).optional(),
  /** kubelet --node-ip; default: the source address of the node's default route. */
  nodeIP: ipv4.optional(),
  nics: z.array(nicSchema).min(1),
  /** Low-level state added after the components ran: `ip …`, `bridge …`, `sysctl -w …` lines. */
  commands: z.array(z.string()).optional(),
  sysctls: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** node.spec.podCIDR; default: the next free block of the pod network, in node order. */
  podCIDR: prefix.optional(),
});

export const flannelSchema = strict({
  /** The kube-flannel container's args; default kube-flannel.yml's `--ip-masq --kube-subnet-mgr`. */
  args: z.array(z.string()).optional(),
  /** net-conf.json as in the kube-flannel-cfg ConfigMap; default Network = podCIDR, Backend vxlan. */
  netConf: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  /** The DaemonSet's updateStrategy: RollingUpdate (default) restarts every flannel pod when the args are edited; OnDelete waits for each pod to be deleted. */
  updateStrategy: z.enum(["RollingUpdate", "OnDelete"]).optional(),
});

export const kubeProxySchema = strict({
  mode: z.literal("iptables").optional(),
  /** --cluster-cidr; kubeadm sets it from podSubnet (default: the cluster's podCIDR). */
  clusterCIDR: z.string().optional(),
  masqueradeAll: z.boolean().optional(),
  detectLocalMode: z.enum(["ClusterCIDR", "NodeCIDR", "BridgeInterface", "InterfaceNamePrefix"]).optional(),
  nodePortAddresses: z.array(z.string()).optional(),
});

export const dnsSchema = strict({
  /** Default true: a kube-dns Service backed by CoreDNS pods, as kubeadm installs it. */
  enabled: z.boolean().optional(),
  /** Default: the tenth address of the service CIDR (10.96.0.10). */
  clusterIP: ipv4.optional(),
  replicas: fromNumber((n) => intInRange(n, 0, 10, "replicas")).optional(),
  /** Nodes the CoreDNS pods run on, in order; default the first control-plane node. */
  nodes: z.array(name).optional(),
});

export const clusterSettingsSchema = strict({
  podCIDR: prefix.optional(),
  serviceCIDR: prefix.optional(),
  /** kubelet --cluster-domain, default cluster.local. */
  domain: z.string().optional(),
  /** The API server's address for the `kubernetes` Service; default the control plane's node IP. */
  apiserverAddress: ipv4.optional(),
  flannel: flannelSchema.optional(),
  kubeProxy: kubeProxySchema.optional(),
  dns: dnsSchema.optional(),
});

export const listenSchema = strict({
  /** containerPort */
  port: fromNumber(portValue),
  name: z.string().optional(),
  protocol: z.enum(["TCP", "UDP"]).optional(),
  /** What the server answers; `{pod}` is the pod's name, `{peer_ip}` the client address it sees. Default `You've hit {pod}\n` over HTTP. */
  body: z.string().optional(),
  /** http (default for TCP), or a bare tcp server that sends the body on accept. */
  kind: z.enum(["http", "tcp"]).optional(),
});

export const podSchema = strict({
  name,
  namespace: name.optional(),
  node: name,
  /** A requested address (host-local's `ips`); default the next free one on the node. */
  ip: ipv4.optional(),
  labels: labels.optional(),
  listen: z.array(listenSchema).optional(),
  hostNetwork: z.boolean().optional(),
});

export const deploymentSchema = strict({
  name,
  namespace: name.optional(),
  /** Default 1. */
  replicas: fromNumber((n) => intInRange(n, 0, 100, "replicas")).optional(),
  /** The pod template's labels; the selector is the same. Default `app: <name>`. */
  labels: labels.optional(),
  listen: z.array(listenSchema).optional(),
  /** Nodes the pods may be scheduled on; default every worker node. */
  nodes: z.array(name).optional(),
});

export const servicePortSchema = strict({
  name: z.string().optional(),
  protocol: z.enum(["TCP", "UDP"]).optional(),
  port: fromNumber(portValue),
  targetPort: z.union([fromNumber(portValue), z.string()]).optional(),
  nodePort: fromNumber((n) => intInRange(n, 30000, 32767, "nodePort")).optional(),
});

export const endpointSchema = strict({
  ip: ipv4,
  port: fromNumber(portValue).optional(),
  node: name.optional(),
});

export const serviceSchema = strict({
  name,
  namespace: name.optional(),
  type: z.enum(["ClusterIP", "NodePort"]).optional(),
  /** Default: the next free address of the service CIDR; `None` = headless. */
  clusterIP: z.string().optional(),
  ports: z.array(servicePortSchema).min(1),
  selector: labels.optional(),
  /** Endpoints given by hand (a Service without selector). */
  endpoints: z.array(endpointSchema).optional(),
  sessionAffinity: z.enum(["None", "ClientIP"]).optional(),
  externalTrafficPolicy: z.enum(["Cluster", "Local"]).optional(),
  internalTrafficPolicy: z.enum(["Cluster", "Local"]).optional(),
  externalIPs: z.array(z.string()).optional(),
});

export const hostOnlyNetworkSchema = strict({ name, hostAddress: ifaddr.optional(), dhcp: z.boolean().optional() });
export const natNetworkSchema = strict({ name, network: prefix.optional(), dhcp: z.boolean().optional() });
export const lanSchema = strict({ name, network: prefix.optional(), dhcpFirst: fromNumber((n) => intInRange(n, 2, 254, "first DHCP address")).optional() });

export const virtualboxSchema = strict({
  hostOnly: z.array(hostOnlyNetworkSchema).optional(),
  natNetworks: z.array(natNetworkSchema).optional(),
  lans: z.array(lanSchema).optional(),
});

export const actionSchema = strict({
  /** The node the command is typed on (kubectl on a control-plane node). */
  on: name,
  /** What the person typed: `kubectl …`, `sudo reboot`, `ip route add …`, `sysctl -w …`. */
  run: z.string().min(1).optional(),
  /** Instead of `run`, something that happened: `flannel-down` (the node's flanneld stops). */
  fault: z.enum(["flannel-down"]).optional(),
  /** For `kubectl edit ds kube-flannel-ds`: the container args as saved in the editor. */
  args: z.array(z.string()).optional(),
});

export const phaseSchema = strict({
  phase: z.string().min(1),
  /** Virtual seconds from the start; default 60 after the previous phase (0 for the first). */
  at: fromNumber((n) => intInRange(n, 0, 10_000_000, "time in seconds")).optional(),
  description: z.string().optional(),
  actions: z.array(actionSchema).optional(),
});

/** The whole file. `kind: cluster` tells it from a low-level scenario. */
export const clusterFileSchema = strict({
  kind: z.literal("cluster"),
  name: z.string(),
  description: z.string().optional(),
  seed: z.union([z.string(), z.number()]).optional(),
  virtualbox: virtualboxSchema.optional(),
  nodes: z.array(nodeSchema).min(1),
  cluster: clusterSettingsSchema.optional(),
  pods: z.array(podSchema).optional(),
  deployments: z.array(deploymentSchema).optional(),
  services: z.array(serviceSchema).optional(),
  timeline: z.array(phaseSchema).optional(),
  /** As in the low-level format, plus `repeat`, `expectAt`, and `outcomes` / `seen` (probe-schema.ts). */
  probes: z.array(clusterProbeSchema).optional(),
});

export type ClusterFile = z.output<typeof clusterFileSchema>;
export type NodeInput = z.output<typeof nodeSchema>;
export type PodFileInput = z.output<typeof podSchema>;
export type ListenInput = z.output<typeof listenSchema>;
export type ServiceFileInput = z.output<typeof serviceSchema>;
