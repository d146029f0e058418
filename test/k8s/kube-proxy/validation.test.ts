/**
 * Bad input comes back as typed issues (code + path + message), all of them at once — never as
 * a thrown error.
 */
import { describe, expect, it } from "vitest";
import type { KubeProxyInput, Service } from "../../../src/k8s/kube-proxy/index.js";
import { formatKubeProxyIssue, kubeProxyTables, syncProxyRules } from "../../../src/k8s/kube-proxy/index.js";
import { onNodeA } from "./helpers.js";

function issues(input: KubeProxyInput): { code: string; path: string }[] {
  const r = syncProxyRules(input);
  if (r.ok) return [];
  return r.issues.map((i) => ({ code: i.code, path: i.path.join(".") }));
}

const svc = (extra: Partial<Service>): Service => ({ namespace: "default", name: "web", clusterIP: "10.96.0.100", ports: [{ name: "http", port: 80 }], ...extra });

describe("kube-proxy input problems", () => {
  it("several ports need names, and the names must differ", () => {
    expect(issues(onNodeA([svc({ ports: [{ port: 80 }, { name: "b", port: 81 }, { name: "b", port: 82 }] })]))).toEqual([
      { code: "port-name-required", path: "services.0.ports.0.name" },
      { code: "duplicate-port-name", path: "services.0.ports.2.name" },
    ]);
  });

  it("an endpoint of a multi-port Service must name a port that exists", () => {
    const s = svc({ ports: [{ name: "a", port: 80 }, { name: "b", port: 81 }], endpoints: [{ ip: "10.244.1.5" }, { ip: "10.244.1.6", portName: "c" }, { ip: "10.244.1.7", portName: "a" }] });
    expect(issues(onNodeA([s]))).toEqual([
      { code: "endpoint-port-name-required", path: "services.0.endpoints.0.portName" },
      { code: "unknown-port-name", path: "services.0.endpoints.1.portName" },
    ]);
  });

  it("addresses: bad text, IPv6, CIDRs; a named targetPort needs the endpoint's port", () => {
    const s = svc({
      clusterIP: "10.96.0.300",
      externalIPs: ["fd00::1"],
      loadBalancerSourceRanges: ["10.0.0.0/33"],
      ports: [{ name: "http", port: 80, targetPort: "web" }],
      endpoints: [{ ip: "10.244.1.5" }, { ip: "10.244.1.6", port: 8080 }],
    });
    expect(issues(onNodeA([s]))).toEqual([
      { code: "bad-ip", path: "services.0.clusterIP" },
      { code: "ipv6-not-modelled", path: "services.0.externalIPs.0" },
      { code: "bad-cidr", path: "services.0.loadBalancerSourceRanges.0" },
      { code: "endpoint-port-required", path: "services.0.endpoints.0.port" },
    ]);
  });

  it("what the API server would refuse: node ports on a ClusterIP Service, eTP without external access, a stray health check, duplicate ports and Services", () => {
    const s = svc({ ports: [{ name: "a", port: 80, nodePort: 30080 }, { name: "b", port: 80 }], externalTrafficPolicy: "Local", healthCheckNodePort: 32000 });
    expect(issues(onNodeA([s, svc({})]))).toEqual([
      { code: "node-port-not-allowed", path: "services.0.ports.0.nodePort" },
      { code: "duplicate-port", path: "services.0.ports.1.port" },
      { code: "bad-policy", path: "services.0.externalTrafficPolicy" },
      { code: "health-check-not-allowed", path: "services.0.healthCheckNodePort" },
      { code: "duplicate-service", path: "services.1" },
    ]);
  });

  it("affinity, ports, protocol and names out of range", () => {
    const s = svc({ namespace: "Default", ports: [{ name: "http", port: 0, protocol: "ICMP" as "TCP" }], sessionAffinity: "ClientIP", sessionAffinityTimeoutSeconds: 0 });
    expect(issues(onNodeA([s]))).toEqual([
      { code: "bad-name", path: "services.0.namespace" },
      { code: "bad-port", path: "services.0.ports.0.port" },
      { code: "bad-protocol", path: "services.0.ports.0.protocol" },
      { code: "bad-affinity", path: "services.0.sessionAffinityTimeoutSeconds" },
    ]);
  });

  it("flags and node: masquerade bit, CIDRs, detector settings", () => {
    const input: KubeProxyInput = {
      node: { name: "node-a", ip: "192.168.56.10" },
      flags: { masqueradeBit: 32, detectLocalMode: "BridgeInterface", nodePortAddresses: ["192.168.56.0/24", "nonsense"] },
      services: [],
    };
    expect(issues(input)).toEqual([
      { code: "bad-flag", path: "flags.masqueradeBit" },
      { code: "bad-flag", path: "flags.nodePortAddresses.1" },
      { code: "bad-flag", path: "flags.podBridgeInterface" },
    ]);
    expect(issues({ node: { name: "n", ip: "2001:db8::1" }, flags: { clusterCIDR: "10.244.0.0" }, services: [] })).toEqual([
      { code: "ipv6-not-modelled", path: "node.ip" },
      { code: "bad-flag", path: "flags.clusterCIDR" },
    ]);
  });

  it("issues print as path: message [code], and nothing throws even on nonsense", () => {
    const r = syncProxyRules(onNodeA([svc({ ports: [{ port: 80 }, { port: 81 }] })]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatKubeProxyIssue(r.issues[0]!)).toBe("services[0].ports[0].name: default/web has 2 ports, so every port needs a name [port-name-required]");
    const nonsense = { node: { name: "", ip: "" }, services: [{ namespace: "", name: "", clusterIP: "", ports: [{ port: -1, nodePort: 1.5 }], endpoints: [{ ip: "x", port: 0 }] }] } as unknown as KubeProxyInput;
    expect(() => syncProxyRules(nonsense)).not.toThrow();
    expect(syncProxyRules(nonsense).ok).toBe(false);
  });

  it("rules podpath's parser does not model (nfacct, sctp) come back as restore-rejected issues with the parser's position", () => {
    const r = kubeProxyTables(onNodeA([svc({ endpoints: [{ ip: "10.244.1.5" }] })], { host: { nfacct: true } }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.code)).toEqual(["restore-rejected"]);
      expect(r.issues[0]!.message).toMatch(/kube-proxy:node-a:\d+:\d+: error: match `nfacct' is not modelled by podpath/);
    }
  });
});
