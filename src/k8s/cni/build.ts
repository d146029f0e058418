/**
 * The CNI builder for one node: subnet.env and the node's pods in; per pod, what the flannel
 * plugin → bridge plugin → host-local chain leaves behind out (the node's cni0 and veth host
 * ends, each pod's namespace, host-local's reservations). Pods are added in sandbox creation
 * order; addPod / deletePod continue from a built node, so host-local's last-reserved rule shows
 * across deletes. Bad input is an Issue: a broken subnet.env fails every ADD, a pod the IPAM
 * cannot serve fails that pod only (the others are still wired, and every failure is reported).
 */
import { formatPrefix } from "../../core/ip.js";
import type { Issue, Position, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import type { NetnsSpec } from "../../netns/spec.js";
import { bridgeAdd, bridgeDel, EMPTY_NODE } from "./bridge.js";
import { delegateConf } from "./flannel-plugin.js";
import { allocate, canonicalRange, EMPTY_STATE, release } from "./host-local.js";
import type { CniNode, CniNodeInput, PodInput } from "./model.js";
import { DEFAULT_SUBNET_FILE, parseSubnetEnv } from "./subnet-env.js";
import { hostVethName } from "./veth-name.js";

export const DEFAULT_NETWORK = "cbr0";

export const podKey = (p: Pick<PodInput, "namespace" | "name">): string => `${p.namespace}/${p.name}`;

const nodeAt = (node: string): Position => ({ file: `<cni ${node}>`, line: 1, column: 1 });

export function buildCniNode(input: CniNodeInput): Result<CniNode> {
  const file = input.subnetEnv.file ?? DEFAULT_SUBNET_FILE;
  const env = parseSubnetEnv(input.subnetEnv);
  if (!env.ok) return fail(env.issues);
  const network = input.network ?? DEFAULT_NETWORK;
  const conf = delegateConf(network, env.value, input.delegate);
  const issues: Issue[] = [];
  if (conf.ipMasq) {
    // flanneld without --ip-masq (or an explicit delegate ipMasq): the bridge plugin adds a CNI-<hash> nat chain per pod.
    issues.push({ code: "not-modelled", at: { file, line: 1, column: 1 }, message: "the bridge plugin's ipMasq (FLANNEL_IPMASQ is not true) adds per-pod CNI-… nat chains, which are not modelled" });
  }
  const range = canonicalRange(conf.ipam.subnet);
  if (!range.ok) issues.push({ code: "ipam-range", at: { file, line: 1, column: 1 }, message: `failed to delegate add: ${range.error}` });
  if (issues.length > 0) return fail(issues);

  let node: CniNode = { node: input.node, network, env: env.value, conf, ipam: EMPTY_STATE, state: EMPTY_NODE, pods: [], seed: input.seed, adds: 0 };
  const ordered = input.pods.map((p, i) => ({ p, i })).sort((a, b) => a.p.order - b.p.order || a.i - b.i);
  for (const { p } of ordered) {
    const r = addPod(node, p);
    if (r.ok) node = r.value;
    else issues.push(...r.issues);
  }
  return issues.length > 0 ? fail(issues) : ok(node);
}

/** One CNI ADD on a built node. */
export function addPod(node: CniNode, pod: PodInput): Result<CniNode> {
  const at = pod.at ?? nodeAt(node.node);
  const range = canonicalRange(node.conf.ipam.subnet);
  if (!range.ok) return fail([{ code: "ipam-range", at, message: `pod ${podKey(pod)}: failed to delegate add: ${range.error}` }]);
  const key = podKey(pod);
  const podNetns = pod.netns ?? pod.name;
  if (node.pods.some((x) => (x.pod.netns ?? x.pod.name) === podNetns)) {
    return fail([{ code: "duplicate-netns", at, message: `pod ${key}: namespace ${podNetns} is already wired on ${node.node}` }]);
  }
  const taken = new Set(node.state.devices.map((d) => d.name));
  const veth = hostVethName(node.seed, `cni/veth/${node.node}/${node.adds}`, taken, at);
  if (!veth.ok) return veth;
  const got = allocate(node.ipam, range.range, key, pod.ip);
  // The flannel plugin wraps whatever its delegate returned.
  if (!got.ok) return fail([{ code: got.code, at, message: `pod ${key}: failed to delegate add: ${got.error}` }]);
  const wired = bridgeAdd(node.state, node.conf, { node: node.node, podNetns, hostVeth: veth.value, ip: got.ip, gateway: got.gateway });
  return ok({
    ...node,
    ipam: got.state,
    state: wired.state,
    pods: [...node.pods, { key, pod, ip: got.ip, hostVeth: veth.value, netns: wired.netns }],
    adds: node.adds + 1,
  });
}

/** One CNI DEL: the pod's namespace and host end go, its address is released. */
export function deletePod(node: CniNode, pod: Pick<PodInput, "namespace" | "name">): Result<CniNode> {
  const key = podKey(pod);
  const found = node.pods.find((x) => x.key === key);
  // CNI DEL of something already gone succeeds (spec: DEL must tolerate missing resources).
  if (!found) return ok(node);
  return ok({
    ...node,
    ipam: release(node.ipam, key),
    state: bridgeDel(node.state, node.conf, found.hostVeth),
    pods: node.pods.filter((x) => x !== found),
  });
}

/**
 * The node's namespace with the CNI state added after what it already had (ifindex order). A cni0
 * the node already has is reused, as ensureBridge tolerates EEXIST — unless it is not a bridge, or
 * holds another IPv4 address (ensureAddr without forceAddress: the classic error after a node's
 * flannel subnet changed). Those fail with the bridge plugin's messages.
 */
export function withNodeState(base: NetnsSpec, node: CniNode): Result<NetnsSpec> {
  const at = nodeAt(node.node);
  const br = node.conf.bridge;
  const ours = node.state.devices.find((d) => d.name === br);
  const theirs = base.devices.find((d) => d.name === br);
  const issues: Issue[] = [];
  if (theirs && theirs.kind !== "bridge") issues.push({ code: "bridge-exists", at, message: `failed to create bridge "${br}": "${br}" already exists but is not a bridge` });
  const gw = node.state.addresses.find((a) => a.dev === br);
  const other = gw && base.addresses.find((a) => a.dev === br && (a.addr !== gw.addr || a.len !== gw.len));
  if (other) issues.push({ code: "bridge-address", at, message: `failed to set bridge addr: "${br}" already has an IP address different from ${formatPrefix(gw)}` });
  for (const d of node.state.devices) {
    if (d.name !== br && base.devices.some((x) => x.name === d.name)) issues.push({ code: "device-exists", at, message: `${node.node} already has a device named ${d.name}` });
  }
  if (issues.length > 0) return fail(issues);
  const reuse = theirs?.kind === "bridge" && ours?.kind === "bridge";
  const devices = reuse
    ? [...base.devices.map((d) => (d === theirs ? { ...theirs, hairpin: [...(theirs.hairpin ?? []), ...(ours.hairpin ?? [])] } : d)), ...node.state.devices.filter((d) => d !== ours)]
    : [...base.devices, ...node.state.devices];
  const addresses = [...base.addresses, ...node.state.addresses.filter((a) => !base.addresses.some((b) => b.dev === a.dev && b.addr === a.addr && b.len === a.len))];
  return ok({ ...base, devices, addresses, sysctls: { ...base.sysctls, ...node.state.sysctls } });
}

/** Every pod's namespace, in the order they were added. */
export function podNamespaces(node: CniNode): NetnsSpec[] {
  return node.pods.map((p) => p.netns);
}
