import { describe, expect, it } from "vitest";
import { buildCniNode } from "../../../src/k8s/cni/build.js";
import { TABLE_MAIN } from "../../../src/netns/spec.js";
import { NODE1_ENV, cidr, ip, node1, pod, value } from "./helpers.js";

const route = (dst: string, via: string) => {
  const p = cidr(dst);
  return { table: TABLE_MAIN, type: "unicast", dst: p.addr, len: p.len, via: ip(via), dev: "eth0", metric: 0, scope: "universe", proto: "boot", onlink: false };
};

describe("flannel CNI → bridge → host-local on node 1 (FLANNEL_SUBNET=10.244.1.1/24, MTU 1450), two pods", () => {
  const node = value(buildCniNode(node1([pod("pod1", 1), pod("pod2", 2)])));
  const [p1, p2] = node.pods;

  it("reads subnet.env as the plugin does: the subnet's host bits cleared, ipMasq off because flanneld masquerades", () => {
    expect(NODE1_ENV).toBe("FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
    expect(node.conf).toEqual({
      name: "cbr0", type: "bridge", bridge: "cni0", isGateway: true, isDefaultGateway: true, hairpinMode: true, ipMasq: false, mtu: 1450,
      ipam: { type: "host-local", subnet: cidr("10.244.1.0/24"), routes: [cidr("10.244.0.0/16")] },
    });
  });

  it("puts cni0 first with 10.244.1.1/24 brd 10.244.1.255, one hairpin port per pod, and turns on ip_forward", () => {
    expect(node.state.devices[0]).toEqual({ kind: "bridge", name: "cni0", up: true, hairpin: ["veth9f331d19", "veth07c42ae2"] });
    expect(node.state.addresses).toEqual([{ dev: "cni0", addr: ip("10.244.1.1"), len: 24, broadcast: ip("10.244.1.255"), scope: "universe" }]);
    expect(node.state.sysctls).toEqual({ "net.ipv4.ip_forward": "1" });
  });

  it("gives the pods .2 and .3 in creation order, each /24 with its broadcast", () => {
    expect([p1!.ip, p2!.ip]).toEqual([ip("10.244.1.2"), ip("10.244.1.3")]);
    expect(p2!.netns.addresses[1]).toEqual({ dev: "eth0", addr: ip("10.244.1.3"), len: 24, broadcast: ip("10.244.1.255"), scope: "universe" });
    expect(p1!.netns.addresses[0]).toEqual({ dev: "lo", addr: ip("127.0.0.1"), len: 8, scope: "host" });
  });

  it("names the host ends veth + 8 hex digits from the seed, MTU 1450 on both ends, peers crossed", () => {
    expect(node.state.devices.slice(1)).toEqual([
      { kind: "veth", name: "veth9f331d19", up: true, mtu: 1450, master: "cni0", peer: { netns: "pod1", name: "eth0" } },
      { kind: "veth", name: "veth07c42ae2", up: true, mtu: 1450, master: "cni0", peer: { netns: "pod2", name: "eth0" } },
    ]);
    expect(p1!.netns.devices[1]).toEqual({ kind: "veth", name: "eth0", up: true, mtu: 1450, peer: { netns: "node1", name: "veth9f331d19" } });
    const again = value(buildCniNode(node1([pod("pod1", 1), pod("pod2", 2)])));
    expect(again.pods.map((p) => p.hostVeth)).toEqual(["veth9f331d19", "veth07c42ae2"]);
    const other = value(buildCniNode(node1([pod("pod1", 1), pod("pod2", 2)], { seed: "2" })));
    for (const n of other.pods.map((p) => p.hostVeth)) expect(n).toMatch(/^veth[0-9a-f]{8}$/);
    expect(other.pods[0]!.hostVeth).not.toBe("veth9f331d19");
  });

  it("routes the cluster network (host-local's route, gateway filled in) and then default via the gateway (isDefaultGateway)", () => {
    expect(p1!.netns.routes).toEqual([route("10.244.0.0/16", "10.244.1.1"), route("0.0.0.0/0", "10.244.1.1")]);
    expect(p1!.netns.sysctls).toEqual({ "net.ipv4.conf.eth0.arp_notify": "1" });
  });

  it("adds pods by their order field, not list position", () => {
    const n = value(buildCniNode(node1([pod("late", 5), pod("early", 3)])));
    expect(n.pods.map((p) => [p.pod.name, p.ip])).toEqual([["early", ip("10.244.1.2")], ["late", ip("10.244.1.3")]]);
  });

  it("without isDefaultGateway or hairpinMode in the delegate: only the cluster route, no hairpin ports", () => {
    const n = value(buildCniNode(node1([pod("pod1", 1)], { delegate: {} })));
    expect(n.conf.isGateway).toBe(true);
    expect(n.pods[0]!.netns.routes).toEqual([route("10.244.0.0/16", "10.244.1.1")]);
    expect(n.state.devices[0]).toEqual({ kind: "bridge", name: "cni0", up: true, hairpin: [] });
  });
});
