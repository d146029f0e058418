/**
 * br_netfilter: a pod reaching a DNATed address whose endpoint sits on the same bridge. The
 * client's frame is bridged to the node (its gateway), PREROUTING DNATs it, and the new
 * destination is on the same bridge: with forwarding on it is bridged to the endpoint, whose
 * reply is bridged back through conntrack and un-DNATed; with forwarding off it dies silently.
 * Both outcomes as Linux 6.18 gave them for the same topology and rules.
 */
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { simulate } from "../../src/sim/exec.js";
import { parseIpv4 } from "../../src/core/ip.js";
import type { Chain, Rule, Ruleset } from "../../src/netfilter/rule.js";
import { ZERO_COUNTERS } from "../../src/netfilter/rule.js";

const YAML = `
name: bridged DNAT
seed: 1
namespaces:
  node:
    devices:
      cni0: { type: bridge }
      v1: { type: veth, peer: client/eth0, master: cni0 }
      v2: { type: veth, peer: web1/eth0, master: cni0 }
    addresses: { cni0: [10.244.1.1/24] }
  client:
    addresses: { eth0: [10.244.1.2/24] }
    routes: [{ dst: default, via: 10.244.1.1 }]
  web1:
    addresses: { eth0: [10.244.1.11/24] }
    routes: [{ dst: default, via: 10.244.1.1 }]
    listeners: [{ kind: http, port: 8080, body: "web1 saw {peer_ip}" }]
`;

const ip = (s: string) => parseIpv4(s)!;
const dnat: Rule = { dst: { addr: ip("10.96.0.50"), len: 32, neg: false }, proto: { proto: 6, neg: false }, matches: [], target: { kind: "DNAT", to: { minIp: ip("10.244.1.11"), maxIp: ip("10.244.1.11"), minPort: 8080, maxPort: 8080 }, random: false, persistent: false }, counters: ZERO_COUNTERS };
const chain = (name: string, rules: Rule[]): Chain => ({ name, builtin: true, policy: "ACCEPT", counters: ZERO_COUNTERS, rules });
const rules: Ruleset = { tables: [{ name: "nat", chains: [chain("PREROUTING", [dnat]), chain("INPUT", []), chain("OUTPUT", [dnat]), chain("POSTROUTING", [])] }] };

function spec(forward: "0" | "1", brnf = "1"): WorldSpec {
  const loaded = loadScenario(YAML, "bridged.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return { ...loaded.value, namespaces: loaded.value.namespaces.map((n) => (n.name === "node" ? { ...n, sysctls: { "net.ipv4.ip_forward": forward, "net.bridge.bridge-nf-call-iptables": brnf }, iptables: { ruleset: rules, text: "", file: "t" } } : n)) };
}

describe("br_netfilter", () => {
  it("bridged DNAT with forwarding on: the endpoint on the same bridge answers, the client sees the service", () => {
    const run = simulate(spec("1"), "client", "curl -sS -m 3 http://10.96.0.50/", { seed: "1" });
    expect(run.result).toEqual({ stdout: "web1 saw 10.244.1.2", stderr: "", exitCode: 0 });
    const steps = run.traces[0]!.hops.flatMap((h) => h.steps.map((s) => `${h.node} ${s.kind}`));
    // PREROUTING ran at the bridge, and the frame stayed on it: no TTL decrement, no routing on the node.
    expect(steps).toContain("node nat");
    expect(steps).not.toContain("node ttl");
  });

  it("bridged DNAT with forwarding off: silence, curl times out", () => {
    expect(simulate(spec("0"), "client", "curl -sS -m 3 http://10.96.0.50/", { seed: "1" }).result.exitCode).toBe(28);
  });

  it("with bridge-nf-call-iptables=0 the bridge never hands the frame to iptables: the packet goes up, is routed back out, and the endpoint's reply goes straight to the client, which does not know it: curl times out", () => {
    expect(simulate(spec("1", "0"), "client", "curl -sS -m 3 http://10.96.0.50/", { seed: "1" }).result).toEqual({ stdout: "", stderr: "curl: (28) Connection timed out after 3000 milliseconds\n", exitCode: 28 });
  });
});

describe("br_netfilter and hairpin", () => {
  const yaml = (hairpin: boolean) => `
name: a pod calling its own service
seed: 1
namespaces:
  node:
    sysctls: { net.ipv4.ip_forward: 1 }
    devices:
      cni0: { type: bridge${hairpin ? ", hairpin: [vethweb1]" : ""} }
      vethweb1: { type: veth, peer: web1/eth0, master: cni0 }
    addresses: { cni0: [10.244.1.1/24] }
    rules: |
      *nat
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      -A PREROUTING -d 10.96.0.50/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.11:8080
      -A POSTROUTING -s 10.244.1.11/32 -d 10.244.1.11/32 -j MASQUERADE
      COMMIT
  web1:
    addresses: { eth0: [10.244.1.11/24] }
    routes: [{ dst: default, via: 10.244.1.1 }]
    listeners: [{ kind: http, port: 8080, body: "web1 saw {peer_ip}" }]
`;
  const run = (hairpin: boolean) => {
    const l = loadScenario(yaml(hairpin), "hairpin.yaml");
    if (!l.ok) throw new Error(JSON.stringify(l.issues));
    return simulate(l.value, "web1", "curl -sS -m 2 http://10.96.0.50", { seed: "1" }).result;
  };

  it("without hairpin the bridged DNAT cannot go back out of the port it came in by: curl times out (as on Linux 6.18)", () => {
    expect(run(false)).toEqual({ stdout: "", stderr: "curl: (28) Connection timed out after 2000 milliseconds\n", exitCode: 28 });
  });

  it("with hairpin on the port (as flannel's CNI config sets it) the pod reaches itself, masqueraded", () => {
    expect(run(true)).toEqual({ stdout: "web1 saw 10.244.1.1", stderr: "", exitCode: 0 });
  });
});
