/**
 * Each node's subnet lease. In kube mode flannel does not choose subnets: kube-controller-manager
 * gives each node a `spec.podCIDR` (its range allocator: the first free block of the cluster
 * CIDR, in the order nodes register, starting with the network's first block — the first
 * node of a `--pod-network-cidr=10.244.0.0/16` cluster gets 10.244.0.0/24), and flanneld's
 * AcquireLease takes that podCIDR after checking it lies inside `Network`. It then patches the
 * node's annotations (backend-type, backend-data with the VtepMAC, public-ip or the
 * public-ip-overwrite value, kube-subnet-manager), which is all other nodes learn of it.
 */
import type { Ipv4, Prefix } from "../../core/ip.js";
import { formatIpv4, formatPrefix, inPrefix, networkOf } from "../../core/ip.js";
import type { Position, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import type { AnnotationKeys } from "./annotations.js";
import type { LogEntry } from "./klog.js";
import { goQuote } from "./klog.js";
import type { NetConf } from "./net-conf.js";
import { SITES } from "./sites.js";

export interface LeaseNode {
  readonly name: string;
  /** node.spec.podCIDR, if the node already has one. */
  readonly podCIDR?: Prefix;
}

/**
 * Gives every node without a podCIDR the next free block of `Network`, `SubnetLen` long
 * (default 24, kube-controller-manager's --node-cidr-mask-size), in node order; blocks already
 * held are skipped. Deterministic: the same nodes in the same order get the same subnets.
 */
export function allocatePodCidrs(conf: NetConf, nodes: readonly LeaseNode[], at: Position): Result<ReadonlyMap<string, Prefix>> {
  const size = conf.subnetLen ?? 24;
  if (size < conf.network.len || size > 32) {
    return fail([{ code: "bad-subnet-len", at, message: `SubnetLen ${size} does not fit inside Network ${formatPrefix(conf.network)}` }]);
  }
  const count = 2 ** (size - conf.network.len);
  const block = (i: number): Ipv4 => ((conf.network.addr + i * 2 ** (32 - size)) >>> 0) as Ipv4;
  const used = new Set<number>();
  for (const n of nodes) {
    if (n.podCIDR && inPrefix(n.podCIDR.addr, conf.network.addr, conf.network.len)) used.add(networkOf(n.podCIDR.addr, size));
  }
  const out = new Map<string, Prefix>();
  let next = 0;
  for (const n of nodes) {
    if (n.podCIDR) {
      out.set(n.name, n.podCIDR);
      continue;
    }
    while (next < count && used.has(block(next))) next++;
    if (next >= count) {
      return fail([{ code: "cidrs-exhausted", at, message: `node ${n.name}: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range (${formatPrefix(conf.network)}, /${size} blocks)` }]);
    }
    used.add(block(next));
    out.set(n.name, { addr: block(next), len: size });
  }
  return ok(out);
}

export type LeaseOutcome = { readonly ok: true; readonly subnet: Prefix } | { readonly ok: false; readonly error: string };

/** kubeSubnetManager.AcquireLease's checks on the node's podCIDR, with its error texts. */
export function acquireLease(conf: NetConf, nodeName: string, podCIDR: Prefix | undefined): LeaseOutcome {
  if (!podCIDR) return { ok: false, error: `node ${goQuote(nodeName)} pod cidr not assigned` };
  const cidr = { addr: networkOf(podCIDR.addr, podCIDR.len), len: podCIDR.len };
  // containsCIDR: the network is no longer than the pod CIDR and holds its first address.
  if (!(conf.network.len <= cidr.len && inPrefix(cidr.addr, conf.network.addr, conf.network.len))) {
    return {
      ok: false,
      error: `subnet ${goQuote(formatPrefix(conf.network))} specified in the flannel net config doesn't contain ${goQuote(formatPrefix(cidr))} PodCIDR of the ${goQuote(nodeName)} node`,
    };
  }
  return { ok: true, subnet: cidr };
}

/** json.Marshal of vxlanLeaseAttrs{VNI, VtepMAC}. */
export function vxlanBackendData(vni: number, mac: string): string {
  return `{"VNI":${vni},"VtepMAC":"${mac}"}`;
}

export interface AnnotationPatch {
  readonly annotations: Readonly<Record<string, string>>;
  /** The public IP other nodes will read: the overwrite annotation's value if set, else the lease's. */
  readonly advertisedPublicIp: string;
  readonly log: readonly LogEntry[];
}

/** AcquireLease's annotation update (patched only when something differs, as flanneld does). */
export function patchLeaseAnnotations(
  current: Readonly<Record<string, string>>,
  keys: AnnotationKeys,
  attrs: { readonly publicIp: Ipv4; readonly backendData: string },
): AnnotationPatch {
  const publicIp = formatIpv4(attrs.publicIp);
  const overwrite = current[keys.publicIpOverwrite] ?? "";
  const stale =
    current[keys.backendData] !== attrs.backendData ||
    current[keys.backendType] !== "vxlan" ||
    current[keys.publicIp] !== publicIp ||
    current[keys.kubeSubnetManager] !== "true" ||
    (overwrite !== "" && overwrite !== publicIp);
  if (!stale) return { annotations: current, advertisedPublicIp: publicIp, log: [] };
  const next: Record<string, string> = { ...current, [keys.backendType]: "vxlan", [keys.backendData]: attrs.backendData };
  const log: LogEntry[] = [];
  if (overwrite !== "") {
    if (current[keys.publicIp] !== overwrite) {
      log.push({ severity: "I", site: SITES.publicIpOverwrite, message: `Overriding public ip with '${overwrite}' from node annotation '${keys.publicIpOverwrite}'` });
      next[keys.publicIp] = overwrite;
    }
  } else {
    next[keys.publicIp] = publicIp;
  }
  next[keys.kubeSubnetManager] = "true";
  return { annotations: next, advertisedPublicIp: next[keys.publicIp] ?? publicIp, log };
}
