/**
 * The cluster builder: a ClusterModel in, the WorldSpec the real components would leave behind
 * out — VirtualBox's networks and VMs (src/vbox), then on each node what flanneld programs
 * (src/k8s/flannel), what the flannel CNI plugin wires for each pod (src/k8s/cni), and
 * kube-proxy's tables with flannel's rules appended (src/k8s/kube-proxy), plus the API objects
 * kubectl shows (view.ts). Only state is written; the simulator carries the packets.
 *
 * Order, as on a kubeadm cluster: the VMs boot; flanneld starts on every node (the lease of a
 * node is its podCIDR, handed out in node order); CoreDNS pods are created first, then the
 * scenario's pods in file order, so host-local gives .2, .3 … on each node in that order;
 * kube-proxy syncs once every endpoint is known.
 */
import type { Ipv4, Prefix } from "../../core/ip.js";
import { formatIpv4, formatPrefix } from "../../core/ip.js";
import type { Issue, Position, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import type { IptablesSpec, ListenerSpec, NetnsSpec, WorldSpec } from "../../netns/spec.js";
import { appendRuleset } from "../../netfilter/append.js";
import type { Ruleset } from "../../netfilter/rule.js";
import { printIptablesSave } from "../../netfilter/syntax/save.js";
import { buildVboxNetworks } from "../../vbox/build.js";
import { buildCniNode, withNodeState } from "../cni/build.js";
import type { CniNode, PodInput } from "../cni/model.js";
import { buildFlannel, podLog } from "../flannel/build.js";
import type { FlannelNodeResult } from "../flannel/build.js";
import { firstDefaultRoute, ipv4Addrs } from "../flannel/host.js";
import type { KlogClock } from "../flannel/klog.js";
import { kubeProxyTables } from "../kube-proxy/index.js";
import { endpointsOf, kubeProxyServices, type PlacedPod } from "./endpoints.js";
import { nodeHosts, nodeResolvConf, podFiles } from "./files.js";
import type { ClusterModel, ClusterNode, ClusterPod } from "./model.js";
import { allocateServices, type AllocatedService } from "./services.js";
import { dnsListener, dnsZone, systemPods } from "./system-pods.js";
import { clusterView } from "./view-build.js";

/** Seconds before the scenario starts at which things were made (AGE in kubectl). */
export const CREATED = { nodes: -2 * 86400, system: -2 * 86400 + 60, pods: -600 } as const;

/** The wall-clock time of the scenario's start (virtual time 0), for log stamps. */
const SCENARIO_START_MS = Date.UTC(2024, 10, 21, 9, 0, 0);

/** flanneld's lines are stamped from its pod's start (system pods: CREATED.system), a few seconds apart per node, 1 ms per line. */
export function flannelClock(nodeIndex: number, startedAt: number = CREATED.system): KlogClock {
  return { pid: 1, startUs: (SCENARIO_START_MS + startedAt * 1000 + nodeIndex * 7_000) * 1000, stepUs: 1000 };
}

export interface BuiltNode {
  readonly node: ClusterNode;
  readonly internalIP: Ipv4;
  readonly flannel?: FlannelNodeResult;
  readonly lease?: Prefix;
  readonly cni?: CniNode;
  /** kube-proxy's own rules on the node (what its sync writes), before flannel's are appended. */
  readonly kubeProxy?: Ruleset;
}

export interface BuiltCluster {
  readonly world: WorldSpec;
  readonly nodes: readonly BuiltNode[];
  readonly services: readonly AllocatedService[];
}

const issueAt = (at: Position, code: string, message: string): Issue => ({ code, at, message });

/** Where a timeline has taken the components: per node, the args its flanneld runs with and its pod's generation. */
export interface ComponentState {
  readonly flannelArgs?: ReadonlyMap<string, readonly string[]>;
  readonly flannelGen?: ReadonlyMap<string, number>;
  /** When each node's current flannel pod started (virtual seconds; absent = before the scenario). */
  readonly flannelStartedAt?: ReadonlyMap<string, number>;
  /** The virtual time of this state (a phase's start): ages are counted from it. */
  readonly now?: number;
  /** Nodes whose flanneld is down, each with the peers it had programmed before it stopped. */
  readonly flannelFrozen?: ReadonlyMap<string, ReadonlySet<string>>;
}

export function buildCluster(m: ClusterModel, cs: ComponentState = {}): Result<BuiltCluster> {
  const vbox = buildVboxNetworks(m.vbox);
  if (!vbox.ok) return fail(vbox.issues);
  const issues: Issue[] = [];
  const spaces = new Map<string, NetnsSpec>(vbox.value.namespaces.map((n) => [n.name, n]));
  const vm = (name: string): NetnsSpec => spaces.get(name)!;

  // kubelet without --node-ip: the address of the default route's interface (ChooseHostInterface).
  const internalIPs = new Map<string, Ipv4>();
  for (const n of m.nodes) {
    const host = vm(n.name);
    const def = firstDefaultRoute(host);
    const addr = n.nodeIP ?? (def?.dev !== undefined ? (def.src ?? ipv4Addrs(host, def.dev)[0]) : undefined);
    if (addr === undefined) issues.push(issueAt(n.at, "no-node-ip", `node ${n.name}: kubelet finds no node IP (no default route and no nodeIP given)`));
    else internalIPs.set(n.name, addr);
  }

  const flannel = buildFlannel({
    netConf: m.flannel.netConf,
    args: m.flannel.args,
    argsAt: m.flannel.argsAt,
    ...(m.flannel.argAt ? { argAt: m.flannel.argAt } : {}),
    env: m.flannel.env,
    seed: m.seed,
    nodes: m.nodes.map((n) => {
      const args = cs.flannelArgs?.get(n.name);
      const seenLeases = cs.flannelFrozen?.get(n.name);
      return { name: n.name, host: vm(n.name), ...(n.podCIDR ? { podCIDR: n.podCIDR } : {}), ...(args && args !== m.flannel.args ? { args } : {}), ...(seenLeases ? { seenLeases } : {}) };
    }),
  });
  if (!flannel.ok) return fail([...issues, ...flannel.issues]);
  if (issues.length > 0) return fail(issues);
  const flannelOf = new Map(flannel.value.nodes.map((r) => [r.name, r]));

  // kubeadm's preflight wants forwarding and br_netfilter on; the node's own resolver is systemd-resolved.
  for (const n of m.nodes) {
    const base = vm(n.name);
    const f = flannelOf.get(n.name)!;
    const files: Record<string, string> = { ...(base.files ?? {}), "/etc/resolv.conf": nodeResolvConf(), "/etc/hosts": nodeHosts(n.name) };
    let ns: NetnsSpec = { ...base, sysctls: { ...base.sysctls, "net.ipv4.ip_forward": "1", "net.bridge.bridge-nf-call-iptables": "1" }, files };
    if (f.kind === "running") {
      const s = f.state;
      ns = {
        ...ns,
        devices: [...ns.devices, ...s.devices],
        addresses: [...ns.addresses, ...s.addresses],
        routes: [...ns.routes, ...s.routes],
        neighbours: [...ns.neighbours, ...s.neighbours],
        fdb: [...ns.fdb, ...s.fdb],
        files: { ...files, "/run/flannel/subnet.env": f.subnetEnv },
      };
    }
    spaces.set(n.name, ns);
  }

  // Pods: CoreDNS first (kubeadm creates it before anyone's workload), then the file's pods.
  const system = systemPods(m);
  const allPods: ClusterPod[] = [...system.dnsPods, ...m.pods];
  const netnsName = podNetnsNames(allPods, new Set(spaces.keys()));
  const placed: PlacedPod[] = [];
  const cniOf = new Map<string, CniNode>();
  for (const n of m.nodes) {
    const f = flannelOf.get(n.name)!;
    const mine = allPods.filter((p) => p.node === n.name && !p.hostNetwork);
    if (f.kind !== "running") {
      // The flannel plugin cannot read /run/flannel/subnet.env: the sandboxes never get a network.
      for (const p of mine) placed.push({ pod: p, netns: undefined, ip: undefined });
      continue;
    }
    const inputs: PodInput[] = mine.map((p) => ({ name: p.name, namespace: p.namespace, order: allPods.indexOf(p), netns: netnsName.get(p)!, at: p.at, ...(p.ip !== undefined ? { ip: p.ip } : {}) }));
    const cni = buildCniNode({ node: n.name, subnetEnv: { text: f.subnetEnv }, pods: inputs, seed: m.seed });
    if (!cni.ok) {
      issues.push(...cni.issues);
      continue;
    }
    cniOf.set(n.name, cni.value);
    const joined = withNodeState(spaces.get(n.name)!, cni.value);
    if (!joined.ok) {
      issues.push(...joined.issues);
      continue;
    }
    spaces.set(n.name, joined.value);
    for (const att of cni.value.pods) {
      const pod = mine.find((p) => p.namespace === att.pod.namespace && p.name === att.pod.name)!;
      placed.push({ pod, netns: att.netns.name, ip: att.ip });
      const listeners = [...att.netns.listeners, ...podListeners(pod, (port) => system.servedByDns(pod, port))];
      spaces.set(att.netns.name, { ...att.netns, listeners, files: podFiles(m, pod, att.ip) });
    }
  }
  for (const p of allPods) if (p.hostNetwork) placed.push({ pod: p, netns: p.node, ip: internalIPs.get(p.node) });
  if (issues.length > 0) return fail(issues);

  const services = allocateServices(m, internalIPs, CREATED.system, CREATED.pods);
  if (!services.ok) return fail(services.issues);
  const endpoints = endpointsOf(services.value, placed);

  // CoreDNS answers for the Services as they now are.
  const zone = dnsZone(m, services.value, endpoints);
  for (const p of placed) {
    if (p.netns === undefined || !system.dnsPods.includes(p.pod)) continue;
    const ns = spaces.get(p.netns)!;
    spaces.set(p.netns, { ...ns, listeners: [...ns.listeners, dnsListener(zone)] });
  }

  // The API server listens on every control-plane node (its endpoint in the kubernetes Service).
  for (const n of m.nodes.filter((x) => x.role === "control-plane")) {
    const ns = spaces.get(n.name)!;
    spaces.set(n.name, { ...ns, listeners: [...ns.listeners, { kind: "tcp", port: 6443, body: "" }] });
  }

  const kubeProxyOf = new Map<string, Ruleset>();
  for (const n of m.nodes) {
    const f = flannelOf.get(n.name)!;
    const lease = f.kind === "running" ? f.lease : undefined;
    const kp = kubeProxyTables({
      node: { name: n.name, ip: formatIpv4(internalIPs.get(n.name)!), ...(lease ? { podCIDR: formatPrefix(lease) } : {}) },
      services: kubeProxyServices(services.value, endpoints),
      flags: m.kubeProxy,
    }, { file: `kube-proxy@${n.name}` });
    if (!kp.ok) {
      // The same Services go to every node: report each problem once, at the Service it is about.
      for (const i of kp.issues) {
        const svc = i.path[0] === "services" && typeof i.path[1] === "number" ? services.value[i.path[1]] : undefined;
        const path = i.path.slice(svc ? 2 : 0).map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "");
        const message = `${svc ? `service ${svc.namespace}/${svc.name}: ` : ""}${path === "" ? "" : `${path}: `}${i.message}`;
        if (!issues.some((x) => x.message === message)) issues.push(issueAt(svc?.at ?? n.at, i.code, message));
      }
      continue;
    }
    kubeProxyOf.set(n.name, kp.value.nodeRuleset);
    let ruleset: Ruleset = kp.value.nodeRuleset;
    if (f.kind === "running" && f.iptables) ruleset = appendRuleset(ruleset, f.iptables.ruleset);
    const iptables: IptablesSpec = { ruleset, text: printIptablesSave(ruleset), file: `${n.name}:iptables` };
    const ns = spaces.get(n.name)!;
    // kube-proxy turns route_localnet on so that localhost:<nodePort> can be DNATed out of lo.
    const sysctls = kp.value.rules.localhostNodePorts ? { ...ns.sysctls, "net.ipv4.conf.all.route_localnet": "1" } : ns.sysctls;
    spaces.set(n.name, { ...ns, iptables, sysctls });
  }
  if (issues.length > 0) return fail(issues);

  const built: BuiltNode[] = m.nodes.map((n) => {
    const f = flannelOf.get(n.name)!;
    const cni = cniOf.get(n.name);
    const kubeProxy = kubeProxyOf.get(n.name);
    return { node: n, internalIP: internalIPs.get(n.name)!, flannel: f, ...(f.kind === "running" ? { lease: f.lease } : {}), ...(cni ? { cni } : {}), ...(kubeProxy ? { kubeProxy } : {}) };
  });
  const view = clusterView(m, built, placed, services.value, endpoints, (i) => podLog(flannel.value.nodes[i]!, flannelClock(i, cs.flannelStartedAt?.get(m.nodes[i]!.name))), cs);
  // Order: the nodes, their pods, then VirtualBox's own namespaces.
  const nodeNames = new Set(m.nodes.map((n) => n.name));
  const podNames = placed.flatMap((p) => (p.netns !== undefined && !p.pod.hostNetwork ? [p.netns] : []));
  const order = [...m.nodes.map((n) => n.name), ...podNames, ...vbox.value.namespaces.map((n) => n.name).filter((x) => !nodeNames.has(x))];
  const world: WorldSpec = {
    name: m.name,
    file: m.file,
    seed: m.seed,
    segments: vbox.value.segments,
    namespaces: order.map((name) => spaces.get(name)!),
    // Probes belong to the scenario file, not to the cluster: the loader adds them.
    probes: [],
    cluster: view,
  };
  return ok({ world, nodes: built, services: services.value });
}


/** A pod's namespace is named after the pod, or `name.namespace` when that name is taken. */
function podNetnsNames(pods: readonly ClusterPod[], taken: ReadonlySet<string>): Map<ClusterPod, string> {
  const out = new Map<ClusterPod, string>();
  const used = new Set(taken);
  for (const p of pods) {
    if (p.hostNetwork) continue;
    const name = used.has(p.name) ? `${p.name}.${p.namespace}` : p.name;
    used.add(name);
    out.set(p, name);
  }
  return out;
}

function podListeners(pod: ClusterPod, servedElsewhere: (port: number) => boolean): ListenerSpec[] {
  // `{pod}` is filled in now; `{peer_ip}` is left for the listener to fill per connection.
  return pod.listen.filter((l) => !servedElsewhere(l.port)).map((l): ListenerSpec => ({ kind: l.kind, port: l.port, body: l.body.replaceAll("{pod}", pod.name) }));
}
