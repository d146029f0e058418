import { describe, expect, it } from "vitest";
import type { FlannelClusterInput, FlannelNodeResult } from "../../../src/k8s/flannel/build.js";
import { buildFlannel, podLog } from "../../../src/k8s/flannel/build.js";
import type { WorldSpec } from "../../../src/netns/spec.js";
import { bootHost, CLOCK, cidr, ip, NET_CONF, ns, plain, scenario } from "./nodes.js";

/** A flanneld restart on the scenario's nodes: their VtepMACs come back from backend-data. */
function cluster(world: WorldSpec, args: string[], over: Partial<FlannelClusterInput> = {}) {
  const node = (name: string, n: number) => ({
    name,
    host: bootHost(world, name),
    podCIDR: cidr(`10.244.${n}.0/24`),
    annotations: { "flannel.alpha.coreos.com/backend-data": `{"VNI":1,"VtepMAC":"02:fa:00:00:0${n}:01"}` },
  });
  const r = buildFlannel({
    netConf: { text: NET_CONF, file: "net-conf.json" },
    args: ["--ip-masq", "--kube-subnet-mgr", ...args],
    seed: "1",
    nodes: [node("node1", 1), node("node2", 2)],
    ...over,
  });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
  return r.value;
}

const running = (n: FlannelNodeResult | undefined) => {
  if (n?.kind !== "running") throw new Error(`${n?.name} is not running`);
  return n;
};

/** What flannel owns in a hand-written node: flannel.1, its address, the routes via it, its neighbours and FDB. */
function flannelPart(world: WorldSpec, node: string) {
  const n = ns(world, node);
  return plain({
    devices: n.devices.filter((d) => d.name === "flannel.1"),
    addresses: n.addresses.filter((a) => a.dev === "flannel.1"),
    routes: n.routes.filter((r) => r.dev === "flannel.1"),
    neighbours: n.neighbours.filter((x) => x.dev === "flannel.1"),
    fdb: n.fdb.filter((x) => x.dev === "flannel.1"),
  });
}

describe("the vxlan state flanneld installs", () => {
  it("without --iface equals the hand-written scenarios/lowlevel/vxlan-underlay-nat.yaml, node by node", () => {
    const world = scenario("nat");
    const c = cluster(world, []);
    for (const name of ["node1", "node2"]) {
      expect(plain(running(c.nodes.find((n) => n.name === name)).state)).toEqual(flannelPart(world, name));
    }
    // The flagship failure in one line: node1 sends node2's VTEP MAC to its own address.
    expect(running(c.nodes[0]).state.fdb).toEqual([{ dev: "flannel.1", mac: "02:fa:00:00:02:01", dst: ip("10.0.2.15"), self: true, master: false, permanent: true }]);
  });

  it("with --iface=enp0s8 equals the hand-written scenarios/lowlevel/vxlan-underlay-hostonly.yaml", () => {
    const world = scenario("hostonly");
    const c = cluster(world, ["--iface=enp0s8"]);
    for (const name of ["node1", "node2"]) {
      expect(plain(running(c.nodes.find((n) => n.name === name)).state)).toEqual(flannelPart(world, name));
    }
  });

  it("patches each node's annotations the way the others read them", () => {
    const c = cluster(scenario("nat"), []);
    expect(running(c.nodes[1]).annotations).toEqual({
      "flannel.alpha.coreos.com/backend-data": '{"VNI":1,"VtepMAC":"02:fa:00:00:02:01"}',
      "flannel.alpha.coreos.com/backend-type": "vxlan",
      "flannel.alpha.coreos.com/public-ip": "10.0.2.15",
      "flannel.alpha.coreos.com/kube-subnet-manager": "true",
    });
  });

  it("draws a fresh VTEP MAC from the seed when none is stored: locally administered, unicast, the same for the same seed", () => {
    const world = scenario("nat");
    const fresh = (seed: string) =>
      running(cluster(world, [], { seed, nodes: [{ name: "node1", host: bootHost(world, "node1"), podCIDR: cidr("10.244.1.0/24") }] }).nodes[0]);
    const a = fresh("7").state.devices[0]!.mac!;
    expect(a).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(parseInt(a.slice(0, 2), 16) & 0x03).toBe(0x02);
    expect(fresh("7").state.devices[0]!.mac).toBe(a);
    expect(fresh("8").state.devices[0]!.mac).not.toBe(a);
  });

  it("honours Backend.VNI, Port and MTU", () => {
    const world = scenario("hostonly");
    const c = cluster(world, ["--iface=enp0s8"], {
      netConf: { text: '{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan","VNI":4096,"Port":4789,"MTU":1400}}', file: "net-conf.json" },
    });
    const n1 = running(c.nodes[0]);
    expect(n1.state.devices[0]).toMatchObject({ name: "flannel.4096", vni: 4096, dstport: 4789, mtu: 1350 });
    expect(n1.state.routes[0]).toMatchObject({ dev: "flannel.4096", via: ip("10.244.2.0"), onlink: true });
    expect(n1.subnetEnv).toContain("FLANNEL_MTU=1350\n");
  });

  it("DirectRouting: a peer on the host-only link gets a plain route via its public IP, no neighbour or FDB entry", () => {
    const world = scenario("hostonly");
    const c = cluster(world, ["--iface=enp0s8"], {
      netConf: { text: '{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan","DirectRouting":true}}', file: "net-conf.json" },
    });
    const n1 = running(c.nodes[0]);
    expect(plain(n1.state.routes)).toEqual([
      { table: 254, type: "unicast", metric: 0, scope: "universe", proto: "boot", dst: ip("10.244.2.0"), len: 24, via: ip("192.168.56.102"), onlink: false, dev: "enp0s8" },
    ]);
    expect(n1.state.neighbours).toEqual([]);
    expect(n1.state.fdb).toEqual([]);
  });

  it("DirectRouting on the NAT NIC routes the peer's subnet via the node's own 10.0.2.15 (the kernel accepts a local gateway)", () => {
    const world = scenario("nat");
    const c = cluster(world, [], { netConf: { text: '{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan","DirectRouting":true}}', file: "net-conf.json" } });
    expect(running(c.nodes[0]).state.routes).toMatchObject([{ dst: ip("10.244.2.0"), via: ip("10.0.2.15"), dev: "enp0s3", onlink: false }]);
  });

  it("public-ip-overwrite: the VTEP stays on 10.0.2.15, but peers send to the overwritten address", () => {
    const world = scenario("nat");
    const c = cluster(world, [], {
      nodes: [
        { name: "node1", host: bootHost(world, "node1"), podCIDR: cidr("10.244.1.0/24"), annotations: { "flannel.alpha.coreos.com/public-ip-overwrite": "192.168.56.101" } },
        { name: "node2", host: bootHost(world, "node2"), podCIDR: cidr("10.244.2.0/24") },
      ],
    });
    const [n1, n2] = [running(c.nodes[0]), running(c.nodes[1])];
    expect(n1.state.devices[0]).toMatchObject({ local: ip("10.0.2.15"), dev: "enp0s3" });
    expect(n1.annotations["flannel.alpha.coreos.com/public-ip"]).toBe("192.168.56.101");
    expect(n2.state.fdb[0]).toMatchObject({ dst: ip("192.168.56.101"), mac: n1.state.devices[0]!.mac });
    expect(podLog(n1, CLOCK)).toContain(
      "I1121 09:00:00.008000       1 kube.go:370] Overriding public ip with '192.168.56.101' from node annotation 'flannel.alpha.coreos.com/public-ip-overwrite'",
    );
  });

  it("a node whose flanneld exits programs nothing, and peers skip it unless its annotations survive from an earlier run", () => {
    const world = scenario("nat");
    const noRoute = { ...bootHost(world, "node2"), routes: [] };
    const fresh = cluster(world, [], { nodes: [
      { name: "node1", host: bootHost(world, "node1"), podCIDR: cidr("10.244.1.0/24") },
      { name: "node2", host: noRoute, podCIDR: cidr("10.244.2.0/24") },
    ] });
    expect(fresh.nodes[1]).toMatchObject({ kind: "exited", exitCode: 1 });
    expect(running(fresh.nodes[0]).state.routes).toEqual([]);
    // node2 ran before (annotations stay on the Node object), so node1 still programs it.
    const restarted = cluster(world, []);
    const stale = cluster(world, [], { nodes: [
      { name: "node1", host: bootHost(world, "node1"), podCIDR: cidr("10.244.1.0/24") },
      { name: "node2", host: noRoute, podCIDR: cidr("10.244.2.0/24"), annotations: restarted.nodes[1]!.annotations },
    ] });
    expect(running(stale.nodes[0]).state.fdb).toHaveLength(1);
  });

  it("a node without a podCIDR dies acquiring its lease, with flanneld's message", () => {
    const world = scenario("nat");
    const c = cluster(world, [], { allocateNodeCidrs: false, nodes: [{ name: "node3", host: bootHost(world, "node1") }] });
    const n = c.nodes[0]!;
    expect(n).toMatchObject({ kind: "exited", exitCode: 1 });
    expect(podLog(n, CLOCK).at(-1)).toBe('E1121 09:00:00.006000       1 main.go:357] Error registering network: failed to acquire lease: node "node3" pod cidr not assigned');
  });

  it("logs a whole start the way kubectl logs shows it", () => {
    const c = cluster(scenario("nat"), []);
    expect(podLog(c.nodes[1]!, CLOCK)).toEqual([
      "I1121 09:00:00.000000       1 main.go:211] CLI flags config: {etcdEndpoints:http://127.0.0.1:4001,http://127.0.0.1:2379 etcdPrefix:/coreos.com/network etcdKeyfile: etcdCertfile: etcdCAFile: etcdUsername: etcdPassword: version:false kubeSubnetMgr:true kubeApiUrl: kubeAnnotationPrefix:flannel.alpha.coreos.com kubeConfigFile: iface:[] ifaceRegex:[] ipMasq:true ifaceCanReach: subnetFile:/run/flannel/subnet.env publicIP: publicIPv6: subnetLeaseRenewMargin:60 healthzIP:0.0.0.0 healthzPort:0 iptablesResyncSeconds:5 iptablesForwardRules:true netConfPath:/etc/kube-flannel/net-conf.json setNodeNetworkUnavailable:true}",
      "I1121 09:00:00.001000       1 main.go:466] Found network config - Backend type: vxlan",
      'I1121 09:00:00.002000       1 kube.go:669] List of node(node2) annotations: map[string]string{"flannel.alpha.coreos.com/backend-data":"{\\"VNI\\":1,\\"VtepMAC\\":\\"02:fa:00:00:02:01\\"}"}',
      "I1121 09:00:00.003000       1 match.go:211] Determining IP address of default interface",
      "I1121 09:00:00.004000       1 match.go:264] Using interface with name enp0s3 and address 10.0.2.15",
      "I1121 09:00:00.005000       1 match.go:286] Defaulting external address to interface address (10.0.2.15)",
      "I1121 09:00:00.006000       1 vxlan.go:141] VXLAN config: VNI=1 Port=0 GBP=false Learning=false DirectRouting=false",
      'I1121 09:00:00.007000       1 kube.go:636] List of node(node2) annotations: map[string]string{"flannel.alpha.coreos.com/backend-data":"{\\"VNI\\":1,\\"VtepMAC\\":\\"02:fa:00:00:02:01\\"}"}',
      "I1121 09:00:00.008000       1 vxlan.go:155] Interface flannel.1 mac address set to: 02:fa:00:00:02:01",
      "I1121 09:00:00.009000       1 iptables.go:125] Setting up masking rules",
      "I1121 09:00:00.010000       1 iptables.go:226] Changing default FORWARD chain policy to ACCEPT",
      "I1121 09:00:00.011000       1 main.go:410] Wrote subnet file to /run/flannel/subnet.env",
      "I1121 09:00:00.012000       1 main.go:414] Running backend.",
    ]);
  });
});
