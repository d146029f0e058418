/**
 * Loading a cluster scenario (docs/cluster-format.md) into a WorldSpec.
 *
 * Owns the pipeline: the YAML (already parsed with positions by load.ts) is checked against
 * schema.ts, references between items are checked (a pod's node, a DNS node, duplicate
 * names), defaults are applied — kubeadm's and the stock kube-flannel.yml's — giving a
 * ClusterModel; the cluster builder (src/k8s/cluster) writes the namespaces; then each node's
 * low-level `commands:` and `sysctls:` are applied on top, and probes are checked against the
 * namespaces that exist. Every problem is collected with its position.
 */
import { formatIpv4, formatPrefix, type Ipv4, type Prefix } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import { buildCluster } from "../../k8s/cluster/build.js";
import { withDeploymentPods } from "../../k8s/cluster/deployments.js";
import type { ClusterDeployment, ClusterModel, ClusterNode, ClusterPod, ClusterService, PodPort } from "../../k8s/cluster/model.js";
import type { WorldSpec } from "../../netns/spec.js";
import { Builder } from "../builder.js";
import type { AdapterSpec, VboxModel } from "../../vbox/model.js";
import type { IssueSink } from "../issues.js";
import type { Path, SourceMap } from "../yaml-positions.js";
import { check } from "../zod-issues.js";
import type { ClusterFile, ListenInput } from "./schema.js";
import { clusterFileSchema } from "./schema.js";
import { frozenPeers, type ClusterState } from "../../k8s/cluster/timeline.js";
import { parsePhases, phaseWorlds } from "./phases.js";
import { replayNodes } from "./replay.js";
import { clusterProbes, type DescribedPhase } from "./probe-schema.js";
import { netnsNameText } from "../values.js";

/** kube-flannel.yml's container args. */
export const DEFAULT_FLANNEL_ARGS = ["--ip-masq", "--kube-subnet-mgr"] as const;
const DEFAULT_POD_CIDR: Prefix = { addr: 0x0af40000 as Ipv4, len: 16 };
const DEFAULT_SERVICE_CIDR: Prefix = { addr: 0x0a600000 as Ipv4, len: 12 };

/** kube-flannel-cfg's net-conf.json with the cluster's pod network. */
export function defaultNetConf(podCIDR: Prefix): string {
  return `{\n  "Network": "${formatPrefix(podCIDR)}",\n  "EnableNFTables": false,\n  "Backend": {\n    "Type": "vxlan"\n  }\n}\n`;
}

export function loadCluster(value: unknown, file: string, src: SourceMap, sink: IssueSink): WorldSpec | undefined {
  const f = check(clusterFileSchema, value, [], src, sink);
  if (f === undefined) return undefined;
  const model = toModel(f, file, src, sink);
  if (model === undefined || sink.count > 0) return undefined;
  const timeline = parsePhases(f, src, sink);
  if (sink.count > 0) return undefined;
  const worlds = phaseWorlds(model, timeline, (s) => worldOf(s, f, file, src, sink));
  if (worlds === undefined || sink.count > 0) return undefined;
  // Probes checked as in the low-level format against the start's namespaces; each phase's world
  // gets them with that phase's expectation (probe-schema.ts), each phase its description.
  const b = new Builder(worlds[0]!.world, src, sink);
  const probes = clusterProbes(b, f.probes ?? [], worlds.map((p) => p.name));
  if (sink.count > 0) return undefined;
  const phases = worlds.map((p): DescribedPhase => {
    const description = f.timeline?.find((t) => t.phase === p.name)?.description;
    return { ...p, world: { ...p.world, probes: probes.get(p.name) ?? [] }, ...(description !== undefined ? { description } : {}) };
  });
  return f.timeline === undefined ? phases[0]!.world : { ...phases[0]!.world, phases };
}

/** The namespaces for one state of the cluster: the builders' output, then what was typed on each node. */
function worldOf(state: ClusterState, f: ClusterFile, file: string, src: SourceMap, sink: IssueSink): WorldSpec | undefined {
  // Only the nodes that have joined are in the cluster, in the order they joined (their pod
  // subnets are handed out in that order); pods bound to the others do not exist yet.
  const byName = new Map(state.model.nodes.map((n) => [n.name, n] as const));
  const members = new Set(state.members);
  const m = { ...state.model, nodes: state.members.map((n) => byName.get(n)!), pods: state.model.pods.filter((p) => members.has(p.node)) };
  const built = buildCluster(m, { flannelArgs: state.flannelArgs, flannelGen: state.flannelGen, flannelStartedAt: state.flannelStartedAt, now: state.now, flannelFrozen: frozenPeers(state) });
  if (!built.ok) {
    const inNetConf = src.scalarLocator(["cluster", "flannel", "netConf"]);
    const text = f.cluster?.flannel?.netConf ?? "";
    for (const i of built.issues) {
      // net-conf.json problems are placed inside the JSON text; move them into the YAML file.
      if (i.at.file === netConfMarker(file) && inNetConf) sink.addIssue({ ...i, at: inNetConf(offsetOf(text, i.at.line, i.at.column)) });
      else sink.addIssue(i);
    }
    return undefined;
  }
  return replayNodes(built.value.world, state, built.value.nodes, sink);
}

function listenOf(list: readonly ListenInput[] | undefined): PodPort[] {
  return (list ?? []).map((l): PodPort => {
    const protocol = l.protocol ?? "TCP";
    return {
      port: l.port,
      ...(l.name !== undefined ? { name: l.name } : {}),
      protocol,
      kind: protocol === "UDP" ? "udp" : (l.kind ?? "http"),
      body: l.body ?? "You've hit {pod}\n",
    };
  });
}

function toModel(f: ClusterFile, file: string, src: SourceMap, sink: IssueSink): ClusterModel | undefined {
  const at = (path: Path): Position => src.at(path);
  const c = f.cluster ?? {};
  const podCIDR = c.podCIDR ?? DEFAULT_POD_CIDR;
  const serviceCIDR = c.serviceCIDR ?? DEFAULT_SERVICE_CIDR;
  const seed = f.seed === undefined ? "1" : String(f.seed);

  const nodeNames = new Set<string>();
  const nodes: ClusterNode[] = f.nodes.map((n, i) => {
    const path: Path = ["nodes", i];
    const bad = netnsNameText(n.name);
    if (!bad.ok) sink.add(bad.code, bad.message, at([...path, "name"]));
    if (nodeNames.has(n.name)) sink.add("duplicate-device", `node "${n.name}" is listed twice`, at([...path, "name"]));
    nodeNames.add(n.name);
    const adapters = new Set<number>();
    n.nics.forEach((nic, j) => {
      if (adapters.has(nic.adapter)) sink.add("duplicate-device", `node ${n.name}: adapter ${nic.adapter} is listed twice`, at([...path, "nics", j, "adapter"]));
      adapters.add(nic.adapter);
    });
    return {
      name: n.name,
      // kubeadm's first node is the control plane; say `role:` to change that.
      role: n.role ?? (i === 0 ? "control-plane" : "worker"),
      ...(n.nodeIP !== undefined ? { nodeIP: n.nodeIP } : {}),
      ...(n.podCIDR !== undefined ? { podCIDR: n.podCIDR } : {}),
      commands: (n.commands ?? []).map((text, j) => {
        const p: Path = [...path, "commands", j];
        return { text, at: src.scalarLocator(p) ?? (() => src.at(p)) };
      }),
      sysctls: Object.fromEntries(Object.entries(n.sysctls ?? {}).map(([k, v]) => [k, String(v)])),
      at: at(path),
    };
  });

  const vbox: VboxModel = {
    file,
    seed,
    vms: f.nodes.map((n, i) => ({
      name: n.name,
      at: at(["nodes", i]),
      adapters: n.nics.map((nic, j): AdapterSpec => {
        const base = { adapter: nic.adapter, at: at(["nodes", i, "nics", j]), ...(nic.address ? { address: formatPrefix(nic.address) } : {}), ...(nic.gateway !== undefined ? { gateway: formatIpv4(nic.gateway) } : {}), ...(nic.mac ? { mac: nic.mac } : {}) };
        switch (nic.mode) {
          case "nat":
            return { ...base, mode: "nat" };
          case "hostonly":
            return { ...base, mode: "hostonly", ...(nic.network ? { network: nic.network } : {}) };
          case "natnetwork":
            return { ...base, mode: "natnetwork", network: nic.network ?? "NatNetwork" };
          case "bridged":
            return { ...base, mode: "bridged", lan: nic.network ?? "lan" };
          case "internal":
            return { ...base, mode: "internal", network: nic.network ?? "intnet" };
        }
      }),
    })),
    ...(f.virtualbox?.hostOnly ? { hostOnly: f.virtualbox.hostOnly.map((h) => ({ name: h.name, ...(h.hostAddress ? { hostAddress: formatPrefix(h.hostAddress) } : {}), ...(h.dhcp !== undefined ? { dhcp: h.dhcp } : {}) })) } : {}),
    ...(f.virtualbox?.natNetworks ? { natNetworks: f.virtualbox.natNetworks.map((x) => ({ name: x.name, ...(x.network ? { network: formatPrefix(x.network) } : {}), ...(x.dhcp !== undefined ? { dhcp: x.dhcp } : {}) })) } : {}),
    ...(f.virtualbox?.lans ? { lans: f.virtualbox.lans.map((x) => ({ name: x.name, ...(x.network ? { network: formatPrefix(x.network) } : {}), ...(x.dhcpFirst !== undefined ? { dhcpFirst: x.dhcpFirst } : {}) })) } : {}),
  };

  const controlPlanes = nodes.filter((n) => n.role === "control-plane").map((n) => n.name);
  const dnsNodes = c.dns?.nodes ?? (controlPlanes.length > 0 ? [controlPlanes[0]!] : [nodes[0]!.name]);
  (c.dns?.nodes ?? []).forEach((n, i) => {
    if (!nodeNames.has(n)) sink.add("unknown-namespace", `"dns.nodes": unknown node "${n}"; expected one of: ${[...nodeNames].join(", ")}`, at(["cluster", "dns", "nodes", i]));
  });

  const podKeys = new Set<string>();
  const pods: ClusterPod[] = (f.pods ?? []).map((p, i) => {
    const path: Path = ["pods", i];
    const namespace = p.namespace ?? "default";
    if (!nodeNames.has(p.node)) sink.add("unknown-namespace", `"node": unknown node "${p.node}"; expected one of: ${[...nodeNames].join(", ")}`, at([...path, "node"]));
    const bad = netnsNameText(p.name);
    if (!bad.ok) sink.add(bad.code, bad.message, at([...path, "name"]));
    if (podKeys.has(`${namespace}/${p.name}`)) sink.add("duplicate-device", `pod ${namespace}/${p.name} is listed twice`, at([...path, "name"]));
    podKeys.add(`${namespace}/${p.name}`);
    return { name: p.name, namespace, node: p.node, ...(p.ip !== undefined ? { ip: p.ip } : {}), labels: p.labels ?? {}, listen: listenOf(p.listen), hostNetwork: p.hostNetwork ?? false, at: at(path) };
  });

  const workers = nodes.filter((n) => n.role === "worker").map((n) => n.name);
  const deployments: ClusterDeployment[] = (f.deployments ?? []).map((d, i) => {
    const path: Path = ["deployments", i];
    const namespace = d.namespace ?? "default";
    (d.nodes ?? []).forEach((n, j) => {
      if (!nodeNames.has(n)) sink.add("unknown-namespace", `"nodes": unknown node "${n}"; expected one of: ${[...nodeNames].join(", ")}`, at([...path, "nodes", j]));
    });
    const allowed = d.nodes ?? (workers.length > 0 ? workers : nodes.map((n) => n.name));
    if (allowed.length === 0) sink.add("bad-value", `deployment ${d.name}: no node to schedule its pods on`, at([...path, "nodes"]));
    return { name: d.name, namespace, replicas: d.replicas ?? 1, labels: d.labels ?? { app: d.name }, listen: listenOf(d.listen), nodes: allowed, made: 0, at: at(path) };
  });

  const services: ClusterService[] = (f.services ?? []).map((s, i) => {
    const path: Path = ["services", i];
    if (s.ports.length > 1) {
      s.ports.forEach((p, j) => {
        if (p.name === undefined) sink.add("missing-key", `service ${s.name}: spec.ports[${j}].name: Required value (a Service with more than one port names each)`, at([...path, "ports", j]));
      });
    }
    if (s.selector !== undefined && s.endpoints !== undefined) sink.add("bad-value", `service ${s.name}: give either "selector" (endpoints from pods) or "endpoints" (by hand), not both`, at([...path, "endpoints"]));
    return {
      name: s.name,
      namespace: s.namespace ?? "default",
      type: s.type ?? "ClusterIP",
      ...(s.clusterIP !== undefined ? { clusterIP: s.clusterIP } : {}),
      ports: s.ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), protocol: p.protocol ?? "TCP", port: p.port, targetPort: p.targetPort ?? p.port, ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}) })),
      ...(s.selector !== undefined ? { selector: s.selector } : {}),
      ...(s.endpoints !== undefined ? { endpoints: s.endpoints.map((e) => ({ ip: e.ip, ...(e.port !== undefined ? { port: e.port } : {}), ...(e.node !== undefined ? { node: e.node } : {}) })) } : {}),
      sessionAffinity: s.sessionAffinity ?? "None",
      ...(s.externalTrafficPolicy !== undefined ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
      ...(s.internalTrafficPolicy !== undefined ? { internalTrafficPolicy: s.internalTrafficPolicy } : {}),
      externalIPs: s.externalIPs ?? [],
      at: at(path),
    };
  });



  const argsPath: Path = c.flannel?.args ? ["cluster", "flannel", "args"] : ["cluster"];
  return withDeploymentPods({
    name: f.name,
    file,
    seed,
    vbox,
    nodes,
    podCIDR,
    serviceCIDR,
    domain: c.domain ?? "cluster.local",
    ...(c.apiserverAddress !== undefined ? { apiserverAddress: c.apiserverAddress } : {}),
    flannel: {
      args: c.flannel?.args ?? [...DEFAULT_FLANNEL_ARGS],
      argsAt: src.at(argsPath),
      ...(c.flannel?.args ? { argAt: (i: number) => src.at(["cluster", "flannel", "args", i]) } : {}),
      // net-conf.json errors point into the ConfigMap text; its own file name says where it sits.
      netConf: { text: c.flannel?.netConf ?? defaultNetConf(podCIDR), file: c.flannel?.netConf !== undefined ? netConfMarker(file) : "net-conf.json" },
      env: c.flannel?.env ?? {},
      updateStrategy: c.flannel?.updateStrategy ?? "RollingUpdate",
    },
    kubeProxy: {
      clusterCIDR: c.kubeProxy?.clusterCIDR ?? formatPrefix(podCIDR),
      ...(c.kubeProxy?.masqueradeAll !== undefined ? { masqueradeAll: c.kubeProxy.masqueradeAll } : {}),
      ...(c.kubeProxy?.detectLocalMode !== undefined ? { detectLocalMode: c.kubeProxy.detectLocalMode } : {}),
      ...(c.kubeProxy?.nodePortAddresses !== undefined ? { nodePortAddresses: c.kubeProxy.nodePortAddresses } : {}),
    },
    dns: {
      enabled: c.dns?.enabled ?? true,
      clusterIP: c.dns?.clusterIP ?? (((serviceCIDR.addr + 10) >>> 0) as Ipv4),
      replicas: c.dns?.replicas ?? 2,
      nodes: dnsNodes,
    },
    pods,
    deployments,
    services,
  });
}

/** The name net-conf.json problems carry until the loader places them in the scenario file. */
const netConfMarker = (file: string): string => `${file}#net-conf.json`;

/** The string offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return Math.min(off + column - 1, text.length);
}
