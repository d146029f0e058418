/**
 * Problems with kube-proxy's input, as data: a code, a message, and the path of the field in
 * `KubeProxyInput` (Zod style, `["services", 2, "ports", 0, "name"]`), so a scenario loader can
 * turn the path into a file position. All problems are collected; nothing throws.
 */

export type KubeProxyIssueCode =
  | "bad-name"
  | "duplicate-service"
  | "bad-service-type"
  | "bad-ip"
  | "ipv6-not-modelled"
  | "bad-cidr"
  | "no-ports"
  | "port-name-required"
  | "duplicate-port-name"
  | "duplicate-port"
  | "bad-port"
  | "bad-protocol"
  | "node-port-not-allowed"
  | "bad-policy"
  | "health-check-not-allowed"
  | "bad-affinity"
  | "unknown-port-name"
  | "endpoint-port-name-required"
  | "endpoint-port-required"
  | "duplicate-endpoint"
  | "bad-flag"
  /** The generated text was refused by podpath's iptables-restore parser (a gap in the parser). */
  | "restore-rejected";

export interface KubeProxyIssue {
  readonly code: KubeProxyIssueCode;
  readonly message: string;
  readonly path: readonly (string | number)[];
}

export type KubeProxyResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly KubeProxyIssue[] };

/** `services[2].ports[0].name: …` */
export function formatKubeProxyIssue(i: KubeProxyIssue): string {
  const path = i.path.map((p, n) => (typeof p === "number" ? `[${p}]` : n === 0 ? p : `.${p}`)).join("");
  return `${path === "" ? "input" : path}: ${i.message} [${i.code}]`;
}
