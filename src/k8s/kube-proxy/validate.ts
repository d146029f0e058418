/**
 * Services and endpoints → the Service ports kube-proxy would sync (service-port.ts), checking
 * what the API server would have refused (port names, duplicate ports, policies, affinity) and
 * what this model needs (every endpoint names its Service port when there are several). Every
 * problem is collected with its path; nothing throws.
 *
 * Skipped without rules, as kube-proxy skips them: headless Services (clusterIP None) and
 * ExternalName Services. kube-proxy walks its Service map in Go map order (random); here the
 * ports come out sorted by service port name, then protocol.
 */
import type { Prefix } from "../../core/ip.js";
import { formatIpv4 } from "../../core/ip.js";
import { parseSloppyCidr, parseSloppyIpv4 } from "./addresses.js";
import { endpointChainName, serviceChainNames, servicePortName } from "./chain-names.js";
import type { KubeProxyIssue, KubeProxyIssueCode } from "./issues.js";
import type { Endpoint, Service, ServicePort } from "./model.js";
import type { EndpointInfo, ServicePortInfo } from "./service-port.js";

type Path = readonly (string | number)[];
type Report = (code: KubeProxyIssueCode, path: Path, message: string) => void;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PROTOCOLS = new Set(["TCP", "UDP", "SCTP"]);
const TYPES = new Set(["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]);
const POLICIES = new Set(["Cluster", "Local"]);
const DEFAULT_AFFINITY_TIMEOUT = 10800;
const MAX_AFFINITY_TIMEOUT = 86400;

const isPort = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535;

/** An IPv4 address in Go's canonical text, or a report. */
function address(text: string, path: Path, report: Report): string | undefined {
  const p = parseSloppyIpv4(text);
  if (p.ok) return formatIpv4(p.value);
  if (p.ipv6) report("ipv6-not-modelled", path, `IPv6 address ${JSON.stringify(text)}: only kube-proxy's IPv4 proxier is modelled`);
  else report("bad-ip", path, `expected an IPv4 address, got ${JSON.stringify(text)}`);
  return undefined;
}

function label(text: string, path: Path, what: string, report: Report): void {
  if (text.length > 63 || !DNS_LABEL.test(text)) report("bad-name", path, `${what} must be a DNS label (lower-case letters, digits and '-'), got ${JSON.stringify(text)}`);
}

/** The ports' shape as the API server checks it. */
function checkPorts(svc: Service, at: Path, report: Report): void {
  const names = new Set<string>();
  const seen = new Set<string>();
  const nodePortsAllowed = svc.type === "NodePort" || svc.type === "LoadBalancer";
  svc.ports.forEach((p, i) => {
    const path = [...at, "ports", i];
    const name = p.name ?? "";
    if (name === "" && svc.ports.length > 1) report("port-name-required", [...path, "name"], `${svc.namespace}/${svc.name} has ${svc.ports.length} ports, so every port needs a name`);
    if (name !== "") {
      label(name, [...path, "name"], "a port name", report);
      if (names.has(name)) report("duplicate-port-name", [...path, "name"], `port name ${JSON.stringify(name)} is used twice`);
      names.add(name);
    }
    if (!isPort(p.port)) report("bad-port", [...path, "port"], `port must be an integer in [1, 65535], got ${JSON.stringify(p.port)}`);
    const protocol = p.protocol ?? "TCP";
    if (!PROTOCOLS.has(protocol)) report("bad-protocol", [...path, "protocol"], `protocol must be TCP, UDP or SCTP, got ${JSON.stringify(protocol)}`);
    const key = `${p.port}/${protocol}`;
    if (seen.has(key)) report("duplicate-port", [...path, "port"], `port ${key} is listed twice`);
    seen.add(key);
    const tp = p.targetPort;
    if (tp !== undefined && !isPort(tp) && !(typeof tp === "string" && tp !== "" && !/\s/.test(tp))) {
      report("bad-port", [...path, "targetPort"], `targetPort must be a port number or a port name, got ${JSON.stringify(tp)}`);
    }
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (!isPort(p.nodePort)) report("bad-port", [...path, "nodePort"], `nodePort must be an integer in [1, 65535], got ${JSON.stringify(p.nodePort)}`);
      else if (!nodePortsAllowed) report("node-port-not-allowed", [...path, "nodePort"], `a ${svc.type ?? "ClusterIP"} Service has no node ports`);
    }
  });
}

/** The Service port an endpoint serves, by name (or the only one). */
function endpointPort(svc: Service, ep: Endpoint, path: Path, report: Report): number | undefined {
  if (ep.portName === undefined) {
    if (svc.ports.length === 1) return 0;
    report("endpoint-port-name-required", [...path, "portName"], `${svc.namespace}/${svc.name} has ${svc.ports.length} ports: say which one this endpoint serves`);
    return undefined;
  }
  const i = svc.ports.findIndex((p) => (p.name ?? "") === ep.portName);
  if (i < 0) report("unknown-port-name", [...path, "portName"], `${svc.namespace}/${svc.name} has no port named ${JSON.stringify(ep.portName)}`);
  return i < 0 ? undefined : i;
}

/** The endpoint's port: its own, else the Service port's numeric targetPort (or port). */
function resolvedPort(sp: ServicePort, ep: Endpoint, path: Path, report: Report): number | undefined {
  if (ep.port !== undefined) {
    if (isPort(ep.port)) return ep.port;
    report("bad-port", [...path, "port"], `port must be an integer in [1, 65535], got ${JSON.stringify(ep.port)}`);
    return undefined;
  }
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === "number") return tp;
  report("endpoint-port-required", [...path, "port"], `targetPort ${JSON.stringify(tp)} is a name: give the endpoint's port number`);
  return undefined;
}

interface PortShared {
  readonly svc: Service;
  readonly at: Path;
  readonly clusterIP: string;
  readonly externalIPs: readonly string[];
  readonly loadBalancerVIPs: readonly string[];
  readonly sourceRanges: readonly Prefix[];
  readonly externalPolicyLocal: boolean;
  readonly healthCheckNodePort: number;
  readonly stickyMaxAgeSeconds: number | undefined;
}

/** Service-wide fields: addresses, policies, affinity. */
function shared(svc: Service, at: Path, clusterIP: string, report: Report): PortShared {
  const type = svc.type ?? "ClusterIP";
  const list = (xs: readonly string[] | undefined, key: string): string[] =>
    (xs ?? []).flatMap((x, i) => {
      const a = address(x, [...at, key, i], report);
      return a === undefined ? [] : [a];
    });
  const externalIPs = list(svc.externalIPs, "externalIPs");
  const loadBalancerVIPs = list(svc.loadBalancerIPs, "loadBalancerIPs");
  const sourceRanges = (svc.loadBalancerSourceRanges ?? []).flatMap((r, i) => {
    // The API lets blanks through; kube-proxy trims them (strings.TrimSpace).
    const p = parseSloppyCidr(r.trim());
    if (p.ok) return [p.value];
    if (p.ipv6) return []; // the IPv6 proxier's business
    report("bad-cidr", [...at, "loadBalancerSourceRanges", i], `expected an IPv4 CIDR, got ${JSON.stringify(r)}`);
    return [];
  });

  for (const key of ["externalTrafficPolicy", "internalTrafficPolicy"] as const) {
    const v = svc[key];
    if (v !== undefined && !POLICIES.has(v)) report("bad-policy", [...at, key], `${key} must be Cluster or Local, got ${JSON.stringify(v)}`);
  }
  // apiservice.ExternallyAccessible: only these Services have an external traffic policy.
  const accessible = type === "LoadBalancer" || type === "NodePort" || (type === "ClusterIP" && externalIPs.length > 0);
  if (svc.externalTrafficPolicy !== undefined && !accessible) report("bad-policy", [...at, "externalTrafficPolicy"], "externalTrafficPolicy applies only to NodePort and LoadBalancer Services and to ClusterIP Services with external IPs");
  const externalPolicyLocal = accessible && svc.externalTrafficPolicy === "Local";
  const needsHealthCheck = type === "LoadBalancer" && externalPolicyLocal;
  let healthCheckNodePort = 0;
  if (svc.healthCheckNodePort !== undefined && svc.healthCheckNodePort !== 0) {
    if (!needsHealthCheck) report("health-check-not-allowed", [...at, "healthCheckNodePort"], "healthCheckNodePort belongs to LoadBalancer Services with externalTrafficPolicy Local");
    else if (!isPort(svc.healthCheckNodePort)) report("bad-port", [...at, "healthCheckNodePort"], `healthCheckNodePort must be an integer in [1, 65535], got ${JSON.stringify(svc.healthCheckNodePort)}`);
    else healthCheckNodePort = svc.healthCheckNodePort;
  }

  const affinity = svc.sessionAffinity ?? "None";
  let stickyMaxAgeSeconds: number | undefined;
  if (affinity !== "None" && affinity !== "ClientIP") report("bad-affinity", [...at, "sessionAffinity"], `sessionAffinity must be None or ClientIP, got ${JSON.stringify(affinity)}`);
  const timeout = svc.sessionAffinityTimeoutSeconds;
  if (affinity === "ClientIP") {
    stickyMaxAgeSeconds = timeout ?? DEFAULT_AFFINITY_TIMEOUT;
    if (!Number.isInteger(stickyMaxAgeSeconds) || stickyMaxAgeSeconds < 1 || stickyMaxAgeSeconds > MAX_AFFINITY_TIMEOUT) {
      report("bad-affinity", [...at, "sessionAffinityTimeoutSeconds"], `sessionAffinityTimeoutSeconds must be an integer in [1, ${MAX_AFFINITY_TIMEOUT}], got ${JSON.stringify(timeout)}`);
    }
  } else if (timeout !== undefined) report("bad-affinity", [...at, "sessionAffinityTimeoutSeconds"], "sessionAffinityTimeoutSeconds needs sessionAffinity ClientIP");

  return { svc, at, clusterIP, externalIPs, loadBalancerVIPs, sourceRanges, externalPolicyLocal, healthCheckNodePort, stickyMaxAgeSeconds };
}

/** The endpoints of port `portIndex`; `portOf[i]` is the port endpoint i serves (undefined: reported already). */
function endpointsOf(s: PortShared, portIndex: number, portOf: readonly (number | undefined)[], spn: string, protocol: string, nodeName: string, report: Report): EndpointInfo[] {
  const out = new Map<string, EndpointInfo>();
  const sp = s.svc.ports[portIndex]!;
  (s.svc.endpoints ?? []).forEach((ep, i) => {
    if (portOf[i] !== portIndex) return;
    const path = [...s.at, "endpoints", i];
    const ip = address(ep.ip, [...path, "ip"], report);
    const port = resolvedPort(sp, ep, path, report);
    if (ip === undefined || port === undefined) return;
    const endpoint = `${ip}:${port}`;
    if (out.has(endpoint)) {
      report("duplicate-endpoint", path, `endpoint ${endpoint} of ${spn} is listed twice`);
      return;
    }
    out.set(endpoint, {
      ip,
      port,
      endpoint,
      chain: endpointChainName(spn, protocol, endpoint),
      local: ep.nodeName !== undefined && ep.nodeName === nodeName,
      ready: ep.ready ?? true,
      serving: ep.serving ?? true,
      terminating: ep.terminating ?? false,
    });
  });
  // Byte order of `ip:port`, as kube-proxy sorts them (10.1.1.11:80 before 10.1.1.1:80).
  return [...out.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
}

/** Every Service port kube-proxy writes rules for, sorted by name then protocol. */
export function servicePorts(services: readonly Service[], nodeName: string, issues: KubeProxyIssue[]): ServicePortInfo[] {
  const report: Report = (code, path, message) => {
    issues.push({ code, message, path });
  };
  const out: ServicePortInfo[] = [];
  const names = new Set<string>();
  services.forEach((svc, si) => {
    const at: Path = ["services", si];
    label(svc.namespace, [...at, "namespace"], "a namespace", report);
    label(svc.name, [...at, "name"], "a Service name", report);
    const key = `${svc.namespace}/${svc.name}`;
    if (names.has(key)) report("duplicate-service", at, `Service ${key} is listed twice`);
    names.add(key);
    const type = svc.type ?? "ClusterIP";
    if (!TYPES.has(type)) {
      report("bad-service-type", [...at, "type"], `type must be ClusterIP, NodePort, LoadBalancer or ExternalName, got ${JSON.stringify(type)}`);
      return;
    }
    if (type === "ExternalName" || svc.clusterIP === "None") return;
    if (svc.ports.length === 0) {
      report("no-ports", [...at, "ports"], `${key} has no ports`);
      return;
    }
    const clusterIP = address(svc.clusterIP, [...at, "clusterIP"], report);
    checkPorts(svc, at, report);
    const s = shared(svc, at, clusterIP ?? "", report);
    const portOf = (svc.endpoints ?? []).map((ep, i) => endpointPort(svc, ep, [...at, "endpoints", i], report));
    svc.ports.forEach((p, pi) => {
      const protocol = (p.protocol ?? "TCP").toLowerCase() as ServicePortInfo["protocol"];
      const spn = servicePortName(svc.namespace, svc.name, p.name ?? "");
      out.push({
        name: spn,
        protocol,
        clusterIP: s.clusterIP,
        port: p.port,
        nodePort: type === "NodePort" || type === "LoadBalancer" ? (p.nodePort ?? 0) : 0,
        externalIPs: s.externalIPs,
        loadBalancerVIPs: s.loadBalancerVIPs,
        loadBalancerSourceRanges: s.sourceRanges,
        healthCheckNodePort: s.healthCheckNodePort,
        externalPolicyLocal: s.externalPolicyLocal,
        internalPolicyLocal: svc.internalTrafficPolicy === "Local",
        stickyMaxAgeSeconds: s.stickyMaxAgeSeconds,
        chains: serviceChainNames(spn, protocol),
        endpoints: endpointsOf(s, pi, portOf, spn, protocol, nodeName, report),
      });
    });
  });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
}
