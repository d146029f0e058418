/**
 * The endpoints controller: for each Service with a selector, the pods in its namespace whose
 * labels carry every selector pair and that have an address, each serving every Service port
 * whose targetPort it resolves (a number as is, a name through the pod's named container ports;
 * a pod without that name serves nothing for that port, as FindPort fails). Services without a
 * selector keep the endpoints written by hand. Then the same, in kube-proxy's input terms.
 */
import type { Ipv4 } from "../../core/ip.js";
import { formatIpv4 } from "../../core/ip.js";
import type { Endpoint, Service } from "../kube-proxy/model.js";
import type { ClusterPod } from "./model.js";
import type { AllocatedService } from "./services.js";

/** A pod after the CNI ran: its namespace and address, both absent when it got no network. */
export interface PlacedPod {
  readonly pod: ClusterPod;
  readonly netns: string | undefined;
  readonly ip: Ipv4 | undefined;
}

export interface ServiceEndpoint {
  readonly ip: Ipv4;
  readonly port: number;
  /** The Service port it serves (its name, or undefined for the only unnamed one). */
  readonly portName?: string;
  readonly protocol: "TCP" | "UDP";
  readonly node?: string;
  /** `namespace/name` of the pod behind it. */
  readonly pod?: string;
}

export const serviceKey = (s: { readonly namespace: string; readonly name: string }): string => `${s.namespace}/${s.name}`;

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const pairs = Object.entries(selector);
  // An empty selector selects nothing for endpoints (the controller skips it).
  return pairs.length > 0 && pairs.every(([k, v]) => labels[k] === v);
}

export function endpointsOf(services: readonly AllocatedService[], placed: readonly PlacedPod[]): Map<string, ServiceEndpoint[]> {
  const out = new Map<string, ServiceEndpoint[]>();
  for (const s of services) {
    const list: ServiceEndpoint[] = [];
    if (s.selector === undefined) {
      for (const e of s.endpoints ?? []) {
        for (const p of s.ports) {
          list.push({ ip: e.ip, port: e.port ?? (typeof p.targetPort === "number" ? p.targetPort : p.port), protocol: p.protocol, ...(p.name !== undefined ? { portName: p.name } : {}), ...(e.node !== undefined ? { node: e.node } : {}) });
        }
      }
    } else {
      for (const pp of placed) {
        if (pp.ip === undefined || pp.pod.namespace !== s.namespace || !selects(s.selector, pp.pod.labels)) continue;
        for (const p of s.ports) {
          const port = typeof p.targetPort === "number" ? p.targetPort : pp.pod.listen.find((l) => l.name === p.targetPort && l.protocol === p.protocol)?.port;
          if (port === undefined) continue;
          list.push({ ip: pp.ip, port, protocol: p.protocol, node: pp.pod.node, pod: serviceKey(pp.pod), ...(p.name !== undefined ? { portName: p.name } : {}) });
        }
      }
    }
    out.set(serviceKey(s), list);
  }
  return out;
}

/** The Services and endpoints as kube-proxy reads them (model.ts of kube-proxy). */
export function kubeProxyServices(services: readonly AllocatedService[], endpoints: ReadonlyMap<string, readonly ServiceEndpoint[]>): Service[] {
  return services.map((s): Service => ({
    namespace: s.namespace,
    name: s.name,
    type: s.type,
    clusterIP: s.clusterIP,
    ports: s.ports.map((p) => ({
      ...(p.name !== undefined ? { name: p.name } : {}),
      protocol: p.protocol,
      port: p.port,
      targetPort: p.targetPort,
      ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
    })),
    externalIPs: s.externalIPs,
    ...(s.externalTrafficPolicy !== undefined ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
    ...(s.internalTrafficPolicy !== undefined ? { internalTrafficPolicy: s.internalTrafficPolicy } : {}),
    sessionAffinity: s.sessionAffinity,
    endpoints: (endpoints.get(serviceKey(s)) ?? []).map((e): Endpoint => ({
      ip: formatIpv4(e.ip),
      port: e.port,
      ...(e.portName !== undefined ? { portName: e.portName } : {}),
      ...(e.node !== undefined ? { nodeName: e.node } : {}),
    })),
  }));
}
