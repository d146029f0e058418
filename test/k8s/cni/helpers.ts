/** Shared inputs for the CNI builder tests: node 1 of the VirtualBox cluster, as flanneld leaves it. */
import type { Ipv4, Prefix } from "../../../src/core/ip.js";
import { parseIpv4, parsePrefix } from "../../../src/core/ip.js";
import type { Result } from "../../../src/core/issue.js";
import type { CniNodeInput, PodInput } from "../../../src/k8s/cni/model.js";
import { subnetEnv } from "../../../src/k8s/flannel/subnet-env.js";

export const ip = (s: string): Ipv4 => parseIpv4(s)!;
export const cidr = (s: string): Prefix => parsePrefix(s)!;

/** What flanneld v0.26 writes for lease 10.244.1.0/24 with --ip-masq on a 1500-byte NIC: FLANNEL_SUBNET=10.244.1.1/24, MTU 1450. */
export const NODE1_ENV = subnetEnv(cidr("10.244.0.0/16"), cidr("10.244.1.0/24"), 1450, true);

export const pod = (name: string, order: number, over: Partial<PodInput> = {}): PodInput => ({ name, namespace: "default", order, ...over });

export function node1(pods: PodInput[], over: Partial<CniNodeInput> = {}): CniNodeInput {
  return { node: "node1", seed: "1", subnetEnv: { text: NODE1_ENV }, pods, ...over };
}

export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.code}: ${i.message}`).join("\n"));
  return r.value;
}

/** Drops source positions so generated and loaded values compare equal. */
export function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === "at" ? undefined : x))) as T;
}
