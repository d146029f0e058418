/**
 * Loading cluster scenarios: every problem placed on the line and column it was written on, and
 * the seed cluster built as its components would build it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatIssue } from "../../src/core/issue.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { NetnsSpec, WorldSpec } from "../../src/netns/spec.js";
import { formatIpv4 } from "../../src/core/ip.js";

const SEED = new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url).pathname;

function errors(text: string): string[] {
  const r = loadScenario(text, "c.yaml");
  return r.ok ? [] : r.issues.map(formatIssue);
}

function seedWorld(edit: (text: string) => string = (t) => t): WorldSpec {
  const r = loadScenario(edit(readFileSync(SEED, "utf8")), SEED);
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join("\n"));
  return r.value;
}

const ns = (w: WorldSpec, name: string): NetnsSpec => w.namespaces.find((n) => n.name === name)!;

describe("cluster scenario errors", () => {
  it("reports shape problems together, each at its value", () => {
    const text = [
      "kind: cluster",
      "name: broken",
      "nodes:",
      "  - name: master1",
      "    nics:",
      "      - { adapter: 5, mode: nat }",
      "      - { adapter: 2, mode: hostonly, address: 192.168.56.300/24 }",
      "  - name: worker1",
      "    nics: [{ adapter: 1, mode: natt }]",
      "    colour: blue",
      "",
    ].join("\n");
    expect(errors(text)).toEqual([
      'c.yaml:6:20: error: "adapter": adapter number 5 is out of range; expected a whole number 1–4 [out-of-range]',
      'c.yaml:7:48: error: "address": expected an address with prefix length like 10.0.0.1/24, found "192.168.56.300/24" [expected-prefix]',
      'c.yaml:9:32: error: "mode": the string "natt" is not one of: nat, natnetwork, hostonly, bridged, internal [bad-value]',
      'c.yaml:10:5: error: unknown key "colour"; expected one of: name, role, nodeIP, nics, commands, sysctls, podCIDR [unknown-key]',
    ]);
  });

  it("reports references and API validation: an unknown node, unnamed ports of a multi-port Service", () => {
    const text = [
      "kind: cluster",
      "name: refs",
      "nodes:",
      "  - { name: master1, nics: [{ adapter: 1, mode: nat }] }",
      "pods:",
      "  - { name: a, node: worker9 }",
      "services:",
      "  - { name: s, ports: [{ port: 80 }, { name: b, port: 81 }] }",
      "",
    ].join("\n");
    expect(errors(text)).toEqual([
      'c.yaml:6:22: error: "node": unknown node "worker9"; expected one of: master1 [unknown-namespace]',
      "c.yaml:8:24: error: service s: spec.ports[0].name: Required value (a Service with more than one port names each) [missing-key]",
    ]);
  });

  it("places a bad flannel flag on its argument and a net-conf.json error inside the YAML block", () => {
    const text = [
      "kind: cluster",
      "name: flannel",
      "nodes:",
      "  - { name: master1, nics: [{ adapter: 1, mode: nat }] }",
      "cluster:",
      "  flannel:",
      "    args: [--ip-masq, --kube-subnet-mgr, --ifac=enp0s8]",
      "    netConf: |",
      '      { "Network": "10.244.0.0/16",',
      '        "Backend": { "Type": vxlan } }',
      "",
    ].join("\n");
    expect(errors(text)).toEqual([
      'c.yaml:7:42: error: args[2] "--ifac=enp0s8": flanneld exits 2: flag provided but not defined: -ifac [unknown-flag]',
      "c.yaml:10:30: error: net-conf.json is not valid JSON: expected a JSON value, found \"v\" [bad-json]",
    ]);
  });

  it("refuses a ClusterIP outside the service range with the API server's words", () => {
    const text = [
      "kind: cluster",
      "name: svc",
      "nodes:",
      "  - { name: master1, nics: [{ adapter: 1, mode: nat }] }",
      "services:",
      "  - { name: s, clusterIP: 10.200.0.1, ports: [{ port: 80 }] }",
      "",
    ].join("\n");
    expect(errors(text)).toEqual([
      'c.yaml:6:5: error: service default/s: spec.clusterIPs: Invalid value: "10.200.0.1": failed to allocate IP 10.200.0.1: the provided IP (10.200.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12 [out-of-range]',
    ]);
  });
});

describe("the seed cluster (000), as its components build it", () => {
  it("gives every node a lease in node order, pods their requested addresses, and CoreDNS .2/.3 on master1", () => {
    const w = seedWorld();
    const cni0 = (n: string) => ns(w, n).addresses.filter((a) => a.dev === "cni0").map((a) => `${formatIpv4(a.addr)}/${a.len}`);
    expect(["master1", "worker1", "worker2"].map(cni0)).toEqual([["10.244.0.1/24"], ["10.244.1.1/24"], ["10.244.2.1/24"]]);
    const podIp = (p: string) => ns(w, p).addresses.filter((a) => a.dev === "eth0").map((a) => formatIpv4(a.addr));
    expect(podIp("kubia-nwjcc")).toEqual(["10.244.1.27"]);
    expect(podIp("kubia-zcpbb")).toEqual(["10.244.2.11"]);
    const dns = w.cluster!.pods.filter((p) => p.labels["k8s-app"] === "kube-dns");
    expect(dns.map((p) => [p.node, p.ip]).sort()).toEqual([["master1", "10.244.0.2"], ["master1", "10.244.0.3"]]);
  });

  it("without --iface, every node's VTEP is 10.0.2.15; with --iface=enp0s8, the host-only addresses", () => {
    const vtep = (w: WorldSpec, n: string) => ns(w, n).devices.find((d) => d.name === "flannel.1");
    const fdb = (w: WorldSpec, n: string) => ns(w, n).fdb.map((f) => formatIpv4(f.dst!));
    const broken = seedWorld();
    expect(vtep(broken, "worker1")).toMatchObject({ kind: "vxlan", local: 0x0a00020f, dev: "enp0s3" });
    expect(fdb(broken, "worker1")).toEqual(["10.0.2.15", "10.0.2.15"]);
    const fixed = seedWorld((t) => t.replace("args: [--ip-masq, --kube-subnet-mgr]", "args: [--ip-masq, --kube-subnet-mgr, --iface=enp0s8]"));
    expect(vtep(fixed, "worker1")).toMatchObject({ kind: "vxlan", dev: "enp0s8" });
    expect(fdb(fixed, "worker1").sort()).toEqual(["192.168.56.101", "192.168.56.103"]);
  });

  it("flannel's log on worker1 says it chose enp0s3 with 10.0.2.15", () => {
    const w = seedWorld();
    const pod = w.cluster!.pods.find((p) => p.namespace === "kube-flannel" && p.node === "worker1")!;
    expect(pod.logs!.filter((l) => l.includes("Using interface"))).toEqual([
      expect.stringMatching(/^I\d{4} \d\d:\d\d:\d\d\.\d{6} +1 match\.go:\d+\] Using interface with name enp0s3 and address 10\.0\.2\.15$/),
    ]);
  });

  it("appends flannel's rules after kube-proxy's jumps in POSTROUTING and FORWARD, as on a node where kube-proxy inserts and flanneld appends", () => {
    const text = ns(seedWorld(), "worker1").iptables!.text;
    const rules = (chain: string) => text.split("\n").filter((l) => l.startsWith(`-A ${chain} `)).map((l) => l.replace(/ -m comment --comment "[^"]*"/, "").split(" -j ")[1]);
    expect(rules("POSTROUTING")).toEqual(["KUBE-POSTROUTING", "FLANNEL-POSTRTG"]);
    expect(rules("FORWARD")).toEqual(["KUBE-PROXY-FIREWALL", "KUBE-FORWARD", "KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "FLANNEL-FWD"]);
  });

  it("applies a node's low-level commands and sysctls after the components", () => {
    const w = seedWorld((t) => t.replace("  - name: worker1\n    role: worker\n", "  - name: worker1\n    role: worker\n    commands: [ip route add 10.244.2.0/24 via 192.168.56.103 dev enp0s8 metric 5]\n    sysctls: { net.ipv4.conf.all.rp_filter: 2 }\n"));
    const w1 = ns(w, "worker1");
    expect(w1.routes.filter((r) => formatIpv4(r.dst) === "10.244.2.0").map((r) => [r.dev, r.metric])).toEqual([["flannel.1", 0], ["enp0s8", 5]]);
    expect(w1.sysctls["net.ipv4.conf.all.rp_filter"]).toBe("2");
    expect(w1.sysctls["net.ipv4.ip_forward"]).toBe("1");
  });

  it("checks probes as the low-level format does: a duplicate name, an unknown host", () => {
    const text = readFileSync(SEED, "utf8").replace(/probes:[\s\S]*$/, [
      "probes:",
      "  - { name: p, from: kubia-nwjcc, run: ip route }",
      "  - { name: p, from: nowhere, run: ip route }",
      "",
    ].join("\n"));
    const r = loadScenario(text, "c.yaml");
    expect(r.ok ? [] : r.issues.map((i) => i.code)).toEqual(["duplicate-probe", "unknown-namespace"]);
  });

  it("draws a Service's ClusterIP and NodePort from the seed within their ranges; kube-proxy opens the NodePort", () => {
    const w = seedWorld((t) => t.replace(/services:\n/, "services:\n  - { name: web, type: NodePort, ports: [{ port: 80, targetPort: 8080 }], selector: { app: kubia } }\n"));
    const web = w.cluster!.services.find((s) => s.name === "web")!;
    const ip = web.clusterIP.split(".").map(Number);
    expect(ip[0]).toBe(10);
    expect(ip[1]! >= 96 && ip[1]! <= 111).toBe(true);
    const nodePort = web.ports[0]!.nodePort!;
    expect(nodePort >= 30000 && nodePort <= 32767).toBe(true);
    expect(ns(w, "worker1").iptables!.text).toContain(`-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport ${nodePort} -j KUBE-EXT-`);
    const again = seedWorld((t) => t.replace(/services:\n/, "services:\n  - { name: web, type: NodePort, ports: [{ port: 80, targetPort: 8080 }], selector: { app: kubia } }\n"));
    expect(again.cluster!.services.find((s) => s.name === "web")).toEqual(web);
  });
});
