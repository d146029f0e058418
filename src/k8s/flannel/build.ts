/**
 * The flannel builder: a cluster's flanneld DaemonSet (its args, env and net-conf.json) and its
 * nodes (each one's namespace state, podCIDR and annotations) in; per node, what flanneld
 * leaves behind out — the vxlan device, address, routes, neighbours, FDB entries, iptables
 * rules, /run/flannel/subnet.env, the patched annotations and the pod's log — or the exit it
 * dies with. Two passes, as in a cluster: every flanneld starts (interface, lease, device,
 * annotations), then each running one programs the leases of all flannel nodes it can see.
 *
 * Bad input (unknown flags, a broken net-conf.json) is an Issue; flanneld failing at run time
 * (no default route, no podCIDR) is a result: the node's `exited` outcome with its log.
 * The log holds the lines of the steps modelled here, in flanneld's order; the client-go,
 * informer and subnet-file-recycling lines a real pod prints between them are left out.
 */
import type { Prefix } from "../../core/ip.js";
import type { Issue, Position, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import type { IptablesSpec } from "../../netns/spec.js";
import type { AnnotationKeys } from "./annotations.js";
import { annotationKeys, storedVtepMac } from "./annotations.js";
import type { FlannelOpts } from "./flags.js";
import { cliFlagsEntry, parseFlannelArgs } from "./flags.js";
import type { HostState } from "./host.js";
import type { ExternalInterface } from "./iface.js";
import { selectExternalInterface } from "./iface.js";
import type { KlogClock, LogEntry } from "./klog.js";
import { goMapLiteral, renderLog } from "./klog.js";
import { acquireLease, allocatePodCidrs, patchLeaseAnnotations, vxlanBackendData } from "./lease.js";
import { flannelIptables } from "./masq.js";
import type { NetConf } from "./net-conf.js";
import { parseNetConf } from "./net-conf.js";
import { SITES } from "./sites.js";
import { subnetEnv } from "./subnet-env.js";
import type { FlannelNodeState, RemoteLease } from "./vxlan.js";
import { remoteEntries, remoteFromAnnotations, vtepMac, vxlanConfigEntry, vxlanDevice } from "./vxlan.js";

export interface FlannelNodeInput {
  readonly name: string;
  /** The node's namespace before flannel: devices (ifindex order), addresses, routes. */
  readonly host: HostState;
  /** node.spec.podCIDR; nodes without one get the next free block (lease.ts). */
  readonly podCIDR?: Prefix;
  /** The node's annotations when flanneld starts (a restart finds its earlier ones). */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * The args this node's flanneld was started with, when they differ from the DaemonSet's
   * current ones (an edited OnDelete DaemonSet whose pod here was not deleted yet).
   */
  readonly args?: readonly string[];
  /**
   * The nodes whose leases this flanneld has seen, when its watch stopped (the pod went down):
   * it programs only those. Absent: a running watch, every lease.
   */
  readonly seenLeases?: ReadonlySet<string>;
}

export interface FlannelClusterInput {
  readonly netConf: { readonly text: string; readonly file: string };
  /** The kube-flannel container's `args:`, as written in the manifest. */
  readonly args: readonly string[];
  readonly argsAt?: Position;
  /** Where argument i is written, so a bad flag is pointed at exactly. */
  readonly argAt?: (index: number) => Position;
  readonly env?: Readonly<Record<string, string>>;
  /** In the order the API server lists them (by name); also the order podCIDRs are handed out. */
  readonly nodes: readonly FlannelNodeInput[];
  /** Draws the VTEP MACs of nodes that have none stored. */
  readonly seed: string;
  /** The nodes' iptables supports MASQUERADE --random-fully (iptables ≥ 1.6.2). Default true. */
  readonly randomFully?: boolean;
  /**
   * kube-controller-manager hands out podCIDRs (--allocate-node-cidrs, which kubeadm turns on
   * with --pod-network-cidr). Default true; false leaves nodes without one, and their flanneld fails.
   */
  readonly allocateNodeCidrs?: boolean;
}

interface NodeCommon {
  readonly name: string;
  readonly log: readonly LogEntry[];
  /** The node's annotations after flanneld ran (unchanged if it exited before patching them). */
  readonly annotations: Readonly<Record<string, string>>;
}

export type FlannelNodeResult =
  | (NodeCommon & {
      readonly kind: "running";
      readonly external: ExternalInterface;
      readonly lease: Prefix;
      readonly state: FlannelNodeState;
      readonly subnetEnv: string;
      readonly iptables?: IptablesSpec;
    })
  | (NodeCommon & { readonly kind: "exited"; readonly exitCode: number; readonly reason: string });

export interface FlannelCluster {
  readonly opts: FlannelOpts;
  readonly netConf: NetConf;
  readonly nodes: readonly FlannelNodeResult[];
}

type Started = Extract<FlannelNodeResult, { kind: "running" }> & { readonly host: HostState; readonly ruleIssues: readonly Issue[] };

export function buildFlannel(input: FlannelClusterInput): Result<FlannelCluster> {
  const argsAt = input.argsAt ?? { file: "<flanneld args>", line: 1, column: 1 };
  const issues: Issue[] = [];
  const args = parseFlannelArgs(input.args, input.env, argsAt, input.argAt);
  if (!args.ok) issues.push(...args.issues);
  const conf = parseNetConf(input.netConf.text, input.netConf.file);
  if (!conf.ok) issues.push(...conf.issues);
  const keys = args.ok ? annotationKeys(args.value.opts.kubeAnnotationPrefix, argsAt) : undefined;
  if (keys && !keys.ok) issues.push(...keys.issues);
  if (args.ok && !args.value.opts.kubeSubnetMgr) {
    issues.push({ code: "not-modelled", at: argsAt, message: "without --kube-subnet-mgr flanneld keeps its leases in etcd, which is not modelled" });
  }
  if (!args.ok || !conf.ok || !keys?.ok || issues.length > 0) return fail(issues);
  const opts = args.value.opts;
  const podCidrs = input.allocateNodeCidrs === false
    ? ok(new Map(input.nodes.flatMap((n) => (n.podCIDR ? [[n.name, n.podCIDR] as const] : []))))
    : allocatePodCidrs(conf.value, input.nodes, { file: input.netConf.file, line: 1, column: 1 });
  if (!podCidrs.ok) return fail(podCidrs.issues);

  const optsOf = new Map<string, FlannelOpts>();
  for (const n of input.nodes) {
    if (n.args === undefined) continue;
    const own = parseFlannelArgs(n.args, input.env, argsAt);
    if (own.ok) optsOf.set(n.name, own.value.opts);
    else issues.push(...own.issues);
  }
  if (issues.length > 0) return fail(issues);
  const results = input.nodes.map((n) => startNode(n, optsOf.get(n.name) ?? opts, conf.value, keys.value, podCidrs.value.get(n.name), input));
  // Our own rules text always parses; if it ever does not, say so rather than drop the rules.
  const ruleIssues = results.flatMap((r) => ("ruleIssues" in r ? r.ruleIssues : []));
  if (ruleIssues.length > 0) return fail(ruleIssues);
  const annotationsOf = new Map(results.map((r) => [r.name, r.annotations]));
  const seenBy = new Map(input.nodes.map((n) => [n.name, n.seenLeases] as const));
  const remotesFor = (self: Started): RemoteLease[] =>
    input.nodes.flatMap((n) => {
      if (seenBy.get(self.name)?.has(n.name) === false) return [];
      const lease = remoteFromAnnotations(n.name, podCidrs.value.get(n.name), annotationsOf.get(n.name) ?? {}, keys.value);
      // The lease watcher drops the node's own lease (LeaseWatcher.OwnLease).
      return lease && !(lease.subnet.addr === self.lease.addr && lease.subnet.len === self.lease.len) ? [lease] : [];
    });
  const nodes = results.map((r): FlannelNodeResult => {
    if (r.kind !== "running") return r;
    const { host: _host, ruleIssues: _issues, ...rest } = r;
    const remote = remoteEntries(conf.value.backend, r.host, remotesFor(r));
    return { ...rest, state: { ...r.state, ...remote } };
  });
  return ok({ opts, netConf: conf.value, nodes });
}

/** One flanneld from its first line to `Running backend.` (main.go order). */
function startNode(
  node: FlannelNodeInput,
  opts: FlannelOpts,
  conf: NetConf,
  keys: AnnotationKeys,
  podCIDR: Prefix | undefined,
  input: FlannelClusterInput,
): Started | Extract<FlannelNodeResult, { kind: "exited" }> {
  const annotations = node.annotations ?? {};
  const log: LogEntry[] = [cliFlagsEntry(opts), { severity: "I", site: SITES.foundNetworkConfig, message: "Found network config - Backend type: vxlan" }];
  const exited = (reason: string, site: LogEntry["site"]) => ({
    kind: "exited" as const,
    name: node.name,
    exitCode: 1,
    reason,
    annotations,
    log: [...log, { severity: "E" as const, site, message: reason }],
  });

  const sel = selectExternalInterface({ nodeName: node.name, host: node.host, opts, annotations, keys });
  log.push(...sel.log);
  if (sel.kind === "exited") return { kind: "exited", name: node.name, exitCode: sel.exitCode, reason: sel.reason, annotations, log };
  const ext = sel.ext;

  const backend = conf.backend;
  log.push(vxlanConfigEntry(backend));
  if (Object.keys(annotations).length > 0) {
    log.push({ severity: "I", site: SITES.storedMacAnnotations, message: `List of node(${node.name}) annotations: ${goMapLiteral(annotations)}` });
  }
  const mac = vtepMac(backend, storedVtepMac(annotations, opts.kubeAnnotationPrefix), input.seed, node.name);
  log.push(...mac.log);

  const lease = acquireLease(conf, node.name, podCIDR);
  if (!lease.ok) return exited(`Error registering network: failed to acquire lease: ${lease.error}`, SITES.registerNetworkError);
  const patch = patchLeaseAnnotations(annotations, keys, { publicIp: ext.extAddr, backendData: vxlanBackendData(backend.vni, mac.mac) });
  log.push(...patch.log);

  const ipt = opts.ipMasq || opts.iptablesForwardRules
    ? flannelIptables(
        { network: conf.network, lease: lease.subnet, ipMasq: opts.ipMasq, forwardRules: opts.iptablesForwardRules, randomFully: input.randomFully ?? true },
        `flanneld@${node.name}`,
      )
    : undefined;
  if (opts.ipMasq) log.push({ severity: "I", site: SITES.masqRules, message: "Setting up masking rules" });
  if (opts.iptablesForwardRules) log.push({ severity: "I", site: SITES.forwardPolicy, message: "Changing default FORWARD chain policy to ACCEPT" });
  const mtu = (backend.mtu ?? ext.mtu) - 50;
  log.push({ severity: "I", site: SITES.wroteSubnetFile, message: `Wrote subnet file to ${opts.subnetFile}` });
  log.push({ severity: "I", site: SITES.runningBackend, message: "Running backend." });

  return {
    kind: "running",
    name: node.name,
    host: node.host,
    log,
    external: ext,
    lease: lease.subnet,
    annotations: patch.annotations,
    state: { ...vxlanDevice(backend, ext, lease.subnet, mac.mac), routes: [], neighbours: [], fdb: [] },
    subnetEnv: subnetEnv(conf.network, lease.subnet, mtu, opts.ipMasq),
    ...(ipt?.ok ? { iptables: ipt.value } : {}),
    ruleIssues: ipt && !ipt.ok ? ipt.issues : [],
  };
}

/** The node's log as `kubectl logs` prints it. */
export function podLog(node: FlannelNodeResult, clock: KlogClock): string[] {
  return renderLog(node.log, clock);
}
