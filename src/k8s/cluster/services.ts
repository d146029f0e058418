/**
 * Services as the API server stores them once created: the `kubernetes` Service (first address
 * of the service CIDR, 443 → the API servers' 6443), `kube-dns` when cluster DNS is on, then the
 * scenario's Services with ClusterIPs and NodePorts filled in. Addresses not given are drawn
 * from the seed within the range (the apiserver allocates at random too, so a fixed seed stands
 * for one cluster's history); a given address outside the range, or one already taken, is
 * refused with the apiserver's words.
 */
import type { Ipv4 } from "../../core/ip.js";
import { broadcastOf, formatIpv4, formatPrefix, inPrefix, parseIpv4 } from "../../core/ip.js";
import type { Issue, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import { makeRng } from "../../core/rng.js";
import type { ClusterModel, ClusterService, ClusterServicePort } from "./model.js";

export interface AllocatedService extends Omit<ClusterService, "clusterIP"> {
  /** A dotted address, or `None` (headless). */
  readonly clusterIP: string;
  /** NodePort Services: every port has its nodePort. */
  readonly createdAt: number;
}

const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

export function allocateServices(m: ClusterModel, internalIPs: ReadonlyMap<string, Ipv4>, systemCreatedAt: number, podsCreatedAt: number): Result<AllocatedService[]> {
  const issues: Issue[] = [];
  const range = m.serviceCIDR;
  const usedIps = new Set<number>();
  const usedPorts = new Set<number>();
  const first = (range.addr + 1) >>> 0;
  const apiservers = m.apiserverAddress !== undefined
    ? [m.apiserverAddress]
    : m.nodes.filter((n) => n.role === "control-plane").map((n) => internalIPs.get(n.name)!);
  const at = { file: m.file, line: 1, column: 1 };
  const system: ClusterService[] = [
    {
      name: "kubernetes", namespace: "default", type: "ClusterIP", clusterIP: formatIpv4(first),
      ports: [{ name: "https", protocol: "TCP", port: 443, targetPort: 6443 }],
      endpoints: apiservers.map((ip) => ({ ip, port: 6443 })),
      sessionAffinity: "None", externalIPs: [], at,
    },
    ...(m.dns.enabled ? [{
      name: "kube-dns", namespace: "kube-system", type: "ClusterIP" as const, clusterIP: formatIpv4(m.dns.clusterIP),
      ports: [
        { name: "dns", protocol: "UDP" as const, port: 53, targetPort: 53 },
        { name: "dns-tcp", protocol: "TCP" as const, port: 53, targetPort: 53 },
        { name: "metrics", protocol: "TCP" as const, port: 9153, targetPort: 9153 },
      ],
      selector: { "k8s-app": "kube-dns" },
      sessionAffinity: "None" as const, externalIPs: [], at,
    }] : []),
  ];
  const out: AllocatedService[] = [];
  const all = [...system.map((s) => ({ s, createdAt: systemCreatedAt })), ...m.services.map((s) => ({ s, createdAt: podsCreatedAt }))];
  // Given addresses and ports are reserved before any is drawn, as they would have been created first.
  for (const { s } of all) {
    const ip = s.clusterIP !== undefined && s.clusterIP !== "None" ? parseIpv4(s.clusterIP) : undefined;
    if (s.clusterIP !== undefined && s.clusterIP !== "None" && ip === undefined) {
      issues.push({ code: "bad-value", at: s.at, message: `service ${s.namespace}/${s.name}: spec.clusterIPs: Invalid value: "${s.clusterIP}": must be a valid IP address or "None"` });
      continue;
    }
    if (ip !== undefined) {
      if (!inPrefix(ip, range.addr, range.len)) {
        issues.push({ code: "out-of-range", at: s.at, message: `service ${s.namespace}/${s.name}: spec.clusterIPs: Invalid value: "${s.clusterIP}": failed to allocate IP ${s.clusterIP}: the provided IP (${s.clusterIP}) is not in the valid range. The range of valid IPs is ${formatPrefix(range)}` });
      } else if (usedIps.has(ip)) {
        issues.push({ code: "bad-value", at: s.at, message: `service ${s.namespace}/${s.name}: spec.clusterIPs: Invalid value: "${s.clusterIP}": failed to allocate IP ${s.clusterIP}: provided IP is already allocated` });
      }
      usedIps.add(ip);
    }
    for (const p of s.ports) if (p.nodePort !== undefined) {
      if (usedPorts.has(p.nodePort)) issues.push({ code: "bad-value", at: s.at, message: `service ${s.namespace}/${s.name}: spec.ports[].nodePort: Invalid value: ${p.nodePort}: provided port is already allocated` });
      usedPorts.add(p.nodePort);
    }
  }
  if (issues.length > 0) return fail(issues);
  const last = (broadcastOf(range.addr, range.len) - 1) >>> 0;
  for (const { s, createdAt } of all) {
    const rng = makeRng(m.seed).fork(`service/${s.namespace}/${s.name}`);
    let clusterIP = s.clusterIP;
    if (clusterIP === undefined) {
      let ip: number;
      do ip = rng.int(first + 1, last) >>> 0; while (usedIps.has(ip));
      usedIps.add(ip);
      clusterIP = formatIpv4(ip);
    }
    const ports = s.ports.map((p): ClusterServicePort => {
      if (s.type !== "NodePort" || p.nodePort !== undefined) return p;
      let port: number;
      do port = rng.int(NODE_PORT_MIN, NODE_PORT_MAX); while (usedPorts.has(port));
      usedPorts.add(port);
      return { ...p, nodePort: port };
    });
    out.push({ ...s, clusterIP, ports, createdAt });
  }
  return ok(out);
}
