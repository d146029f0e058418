/** Small helpers for the kube-proxy builder's tests. */
import type { KubeProxyInput, ProxyRules, Service } from "../../../src/k8s/kube-proxy/index.js";
import { formatKubeProxyIssue, syncProxyRules } from "../../../src/k8s/kube-proxy/index.js";

export function sync(input: KubeProxyInput): ProxyRules {
  const r = syncProxyRules(input);
  if (!r.ok) throw new Error(r.issues.map(formatKubeProxyIssue).join("\n"));
  return r.value;
}

/** One node "node-a" (192.168.56.10) of a flannel cluster, with these Services. */
export function onNodeA(services: readonly Service[], rest: Partial<KubeProxyInput> = {}): KubeProxyInput {
  return { node: { name: "node-a", ip: "192.168.56.10" }, flags: { clusterCIDR: "10.244.0.0/16" }, services, ...rest };
}

export const lines = (text: string): string[] => text.split("\n").filter((l) => l !== "");

/** The rules of one chain, in order. */
export function chain(text: string, name: string): string[] {
  return lines(text).filter((l) => l.startsWith(`-A ${name} `) || l === `-A ${name}`);
}

/** Declared chains (`:NAME - [0:0]`). */
export function chainNames(text: string): string[] {
  return lines(text).filter((l) => l.startsWith(":")).map((l) => l.slice(1).split(" ")[0]!);
}
