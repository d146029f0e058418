/**
 * kube-proxy's per-Service chain names (pkg/proxy/iptables/proxier.go, portProtoHash and
 * servicePortEndpointChainName): a prefix plus the first 16 characters of the padded
 * standard base32 (RFC 4648, A–Z 2–7) of SHA-256 over
 *   `<ns>/<name>[:<port name>]` + `<protocol, lower case>`            for KUBE-SVC/SVL/EXT/FW-
 *   the same + `<endpoint ip>:<endpoint port>`                        for KUBE-SEP-
 * e.g. sha256("default/kubernetes:https" + "tcp") → KUBE-SVC-NPX46M4PTMTKRN6Y. 16 characters keep
 * every name within iptables' 28-character limit.
 */
import { createHash } from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 with `=` padding (Go's base32.StdEncoding). */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += "=";
  return out;
}

/** The 16-character hash of an exact input string. */
export function chainHash(input: string): string {
  return base32(createHash("sha256").update(input, "utf8").digest()).slice(0, 16);
}

/** `<ns>/<name>` plus `:<port name>` only when the port is named (proxy.ServicePortName.String()). */
export function servicePortName(namespace: string, name: string, portName: string): string {
  return `${namespace}/${name}${portName === "" ? "" : `:${portName}`}`;
}

/** The chains of one Service port, all sharing one hash. */
export interface ServiceChainNames {
  /** KUBE-SVC-: endpoints for Cluster traffic policy. */
  readonly cluster: string;
  /** KUBE-SVL-: this node's endpoints, for Local traffic policy. */
  readonly local: string;
  /** KUBE-EXT-: traffic to external destinations (NodePort, external IPs, LB IPs). */
  readonly external: string;
  /** KUBE-FW-: loadBalancerSourceRanges. */
  readonly firewall: string;
}

export function serviceChainNames(spn: string, protocol: string): ServiceChainNames {
  const h = chainHash(spn + protocol.toLowerCase());
  return { cluster: `KUBE-SVC-${h}`, local: `KUBE-SVL-${h}`, external: `KUBE-EXT-${h}`, firewall: `KUBE-FW-${h}` };
}

/** KUBE-SEP- for one endpoint `ip:port` of a Service port. */
export function endpointChainName(spn: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${chainHash(spn + protocol.toLowerCase() + endpoint)}`;
}
