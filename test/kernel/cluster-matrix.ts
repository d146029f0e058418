/**
 * The pod × service probe matrix the cluster kernel test (cluster.test.ts) asks of a generated
 * cluster, and the worlds it asks it in.
 *
 * Owns: the variants of scenarios/seeds/000-nat-iface-same-node-only.yaml (made by replacing
 * one line of its text and loading the result with `loadScenario`, so the variant goes through
 * the same loader and cluster builder as the file), and the list of probes per variant.
 *
 *   flannel   broken  the file as it is: flanneld picks enp0s3 (10.0.2.15, the NAT adapter every
 *                     VM shares), so every node's FDB points the other VTEPs at itself
 *             fixed   `--iface=enp0s8` added to flannel's args: VTEPs on the host-only network
 *   service   both    the Service as the file has it (selector app=kubia, two endpoints, one
 *                     `statistic --mode random` rule between them) — used for the pod and node
 *                     probes only, never for a probe of the Service
 *             <pod>   the Service's selector replaced by the one endpoint of that pod, so the
 *                     kernel and the simulator have the same deterministic rules
 *
 * Probes come from the two kubia pods and from the node worker1: curl to each pod IP:8080,
 * one ping to each pod IP, and curl to the Service's ClusterIP:80 in each one-endpoint variant.
 *
 * Each variant is the world the file starts in; its `timeline` (whose phase `fixed` sets the same
 * flag with `kubectl edit`) is not used.
 *
 * The CoreDNS pods' `dns` listeners are left out of every variant, on both sides: listener.mjs
 * has no name server, and no probe of the matrix asks CoreDNS (curl is given addresses, never
 * names). Everything else — nodes, NAT engines, flannel, CNI, kube-proxy and flannel rules — is
 * the loader's WorldSpec unchanged.
 *
 * Nothing here imports the simulator (the loader only builds the WorldSpec).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatIssue } from "../../src/core/issue.js";
import type { ExpectSpec, ProbeSpec, WorldSpec } from "../../src/netns/spec.js";
import { loadScenario } from "../../src/scenario/load.js";

export const SEED_FILE = fileURLToPath(new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url));

export const SERVICE_IP = "10.98.41.49";

export interface KubiaPod {
  readonly name: string;
  readonly node: string;
  readonly ip: string;
}

export const PODS: readonly KubiaPod[] = [
  { name: "kubia-nwjcc", node: "worker1", ip: "10.244.1.27" },
  { name: "kubia-zcpbb", node: "worker2", ip: "10.244.2.11" },
];

/** Where the probes start: each kubia pod, and a node. */
export const SOURCES: readonly string[] = ["kubia-nwjcc", "kubia-zcpbb", "worker1"];

export type Flannel = "broken" | "fixed";
export const FLANNEL_SETUPS: readonly Flannel[] = ["broken", "fixed"];

/** The flannel args line of the file, and what the fixed variant has instead. */
const FLANNEL_ARGS = "args: [--ip-masq, --kube-subnet-mgr]";
const FIXED_FLANNEL_ARGS = "args: [--ip-masq, --kube-subnet-mgr, --iface=enp0s8]";
const SELECTOR = "selector: { app: kubia }";

export const curlPod = (ip: string): string => `curl -s --connect-timeout 3 -m 5 http://${ip}:8080`;
export const pingPod = (ip: string): string => `ping -c 1 -W 2 ${ip}`;
export const curlService = (): string => `curl -s --connect-timeout 3 -m 5 http://${SERVICE_IP}`;

/** `text` with `from` replaced by `to`; `from` must occur exactly once. */
function replaceOnce(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first < 0 || text.indexOf(from, first + from.length) >= 0) {
    throw new Error(`${SEED_FILE}: expected exactly one occurrence of ${JSON.stringify(from)}`);
  }
  return text.slice(0, first) + to + text.slice(first + from.length);
}

export interface VariantSpec {
  readonly flannel: Flannel;
  /** The Service's only endpoint; undefined: the file's selector (both pods). */
  readonly endpoint?: KubiaPod;
}

export function variantName(v: VariantSpec): string {
  return `${v.flannel} flannel, Service ${v.endpoint === undefined ? "by selector" : `→ ${v.endpoint.name} only`}`;
}

/** The file's text for a variant. */
export function variantText(v: VariantSpec, text = readFileSync(SEED_FILE, "utf8")): string {
  let out = text;
  if (v.flannel === "fixed") out = replaceOnce(out, FLANNEL_ARGS, FIXED_FLANNEL_ARGS);
  if (v.endpoint !== undefined) {
    out = replaceOnce(out, SELECTOR, `endpoints: [{ ip: ${v.endpoint.ip}, port: 8080, node: ${v.endpoint.node} }]`);
  }
  return out;
}

/** The variant's world, with the matrix's probes instead of the file's. */
export function variantWorld(v: VariantSpec): WorldSpec {
  const r = loadScenario(variantText(v), SEED_FILE);
  if (!r.ok) throw new Error(`${variantName(v)} does not load:\n${r.issues.map(formatIssue).join("\n")}`);
  return { ...withoutDnsListeners(r.value), probes: matrixProbes(v) };
}

/** The world without `dns` listeners (see the module comment). */
export function withoutDnsListeners(world: WorldSpec): WorldSpec {
  return { ...world, namespaces: world.namespaces.map((n) => ({ ...n, listeners: n.listeners.filter((l) => l.kind !== "dns") })) };
}

/** The node a probe starts on: a pod's node, or the node itself. */
function nodeOf(from: string): string {
  return PODS.find((p) => p.name === from)?.node ?? from;
}

/**
 * What the kernel answered (Linux 6.18, iptables-nft 1.8.9), as each probe's `expect` block:
 *
 *   fixed flannel   every probe succeeds
 *   broken flannel  the target on the source's own node: succeeds. Otherwise the packet laps
 *                   flannel.1 (the FDB sends the other VTEP MACs to 10.0.2.15, the node's own
 *                   address; vxlan_encap_bypass hands the skb back with its route and conntrack
 *                   entry) until its TTL runs out:
 *                   - from a pod: ICMP time exceeded from cni0's address reaches the pod (for the
 *                     Service un-DNATed by the SYN's one conntrack entry: outer source and quoted
 *                     destination 10.98.41.49) — curl's connect() fails with EHOSTUNREACH (exit 7),
 *                     ping prints "Time to live exceeded" (exit 1)
 *                   - from the node: its packet comes back with the output route it was sent by,
 *                     which has no input path (dst_discard) — nothing answers: curl exit 28 after
 *                     --connect-timeout 3, ping exit 1 after -W 2
 */
function expected(v: VariantSpec, from: string, target: KubiaPod, kind: "curl" | "ping"): ExpectSpec {
  const answers = kind === "curl" ? { exit: 0, stdoutContains: [`You've hit ${target.name}`] } : { exit: 0, stdoutContains: ["1 received"] };
  if (v.flannel === "fixed" || nodeOf(from) === target.node) return answers;
  const fromPod = PODS.some((p) => p.name === from);
  if (kind === "ping") return fromPod ? { exit: 1, stdoutContains: ["Time to live exceeded"] } : { exit: 1, stdoutContains: ["0 received"] };
  return { exit: fromPod ? 7 : 28 };
}

function probe(name: string, netns: string, command: string, expect: ExpectSpec): ProbeSpec {
  return { name, netns, command, expect, kernel: true };
}

/** The probes asked in a variant: pods and pings with the file's Service, the Service in the others. */
export function matrixProbes(v: VariantSpec): ProbeSpec[] {
  const out: ProbeSpec[] = [];
  for (const from of SOURCES) {
    if (v.endpoint === undefined) {
      for (const p of PODS) out.push(probe(`${from} → ${p.name} :8080`, from, curlPod(p.ip), expected(v, from, p, "curl")));
      for (const p of PODS) out.push(probe(`${from} → ${p.name} ping`, from, pingPod(p.ip), expected(v, from, p, "ping")));
    } else {
      out.push(probe(`${from} → Service kubia (${v.endpoint.name} only)`, from, curlService(), expected(v, from, v.endpoint, "curl")));
    }
  }
  return out;
}

/** Every variant the matrix needs: per flannel setup, the file's Service and one per endpoint. */
export function variants(): VariantSpec[] {
  return FLANNEL_SETUPS.flatMap((flannel) => [{ flannel }, ...PODS.map((endpoint) => ({ flannel, endpoint }))]);
}
