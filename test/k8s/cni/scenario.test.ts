/**
 * The builder against the hand-written cni0/pod parts of scenarios/lowlevel/vxlan-underlay-nat.yaml.
 * The YAML predates the builder and simplifies a few things the plugins do; those differences are
 * listed and checked one by one, and everything else must be equal.
 */
import { describe, expect, it } from "vitest";
import { buildCniNode } from "../../../src/k8s/cni/build.js";
import type { CniNode } from "../../../src/k8s/cni/model.js";
import type { DeviceSpec, NetnsSpec, WorldSpec } from "../../../src/netns/spec.js";
import { loadScenarioFile } from "../../../src/scenario/load.js";
import { cidr, node1, plain, pod, value } from "./helpers.js";

function scenario(): WorldSpec {
  const r = loadScenarioFile(new URL("../../../scenarios/lowlevel/vxlan-underlay-nat.yaml", import.meta.url).pathname);
  return value(r);
}
const ns = (w: WorldSpec, name: string): NetnsSpec => w.namespaces.find((n) => n.name === name)!;

/** What the CNI plugins own in the hand-written node: cni0, the pod's host end, cni0's address, ip_forward. */
function handNode(w: WorldSpec) {
  const n = ns(w, "node1");
  const mine = (d: string) => d === "cni0" || n.devices.some((x) => x.name === d && x.master === "cni0");
  return plain({ devices: n.devices.filter((d) => mine(d.name)), addresses: n.addresses.filter((a) => mine(a.dev)), sysctls: n.sysctls });
}
/** The hand-written pod without what the builder does not own (its HTTP listener). */
const handPod = (w: WorldSpec) => plain({ ...ns(w, "pod1"), listeners: [] });

const noMac = <T extends DeviceSpec>(d: T): T => {
  const { mac: _mac, ...rest } = d;
  return rest as T;
};

/** The generated state with the YAML's simplifications applied (each one is checked on its own below). */
function asHandWritten(node: CniNode) {
  const veth = node.pods[0]!.hostVeth;
  const rename = (s: string) => (s === veth ? "veth1" : s);
  const simplify = (d: DeviceSpec): DeviceSpec => {
    if (d.kind === "bridge") {
      const { hairpin: _h, ...rest } = d;
      return rest;
    }
    if (d.kind === "veth") {
      const { mtu: _m, ...rest } = d;
      return { ...rest, name: rename(d.name), peer: { ...d.peer, name: rename(d.peer.name) } };
    }
    return d;
  };
  const p = node.pods[0]!.netns;
  return {
    node: plain({ ...node.state, devices: node.state.devices.map(simplify) }),
    pod: plain({ ...p, devices: p.devices.map(simplify), routes: p.routes.filter((r) => r.len === 0), sysctls: {} }),
  };
}

describe("the builder's node 1 with pod1 against scenarios/lowlevel/vxlan-underlay-nat.yaml", () => {
  const world = scenario();
  const node = value(buildCniNode(node1([pod("pod1", 1)])));
  const pod1 = node.pods[0]!;

  it("is equal once the YAML's simplifications are applied (MACs aside, which the YAML pins and the kernel draws)", () => {
    const gen = asHandWritten(node);
    const hand = handNode(world);
    expect(gen.node).toEqual({ ...hand, devices: hand.devices.map(noMac) });
    const hp = handPod(world);
    expect(gen.pod).toEqual({ ...hp, devices: hp.devices.map((d) => (d.kind === "loopback" ? d : noMac(d))) });
  });

  it("cni0 and the pod's addresses and default route are exactly the YAML's", () => {
    expect(plain(node.state.addresses)).toEqual(handNode(world).addresses);
    expect(plain(pod1.netns.addresses)).toEqual(handPod(world).addresses);
    expect(plain(pod1.netns.routes.filter((r) => r.len === 0))).toEqual(handPod(world).routes);
    expect(node.state.sysctls).toEqual(ns(world, "node1").sysctls);
  });

  it("differs where the YAML simplifies: veth name, MTU 1450 on both ends, hairpin, the cluster route, arp_notify", () => {
    const hand = handNode(world);
    expect(hand.devices.map((d) => d.name)).toEqual(["cni0", "veth1"]);
    expect(pod1.hostVeth).toMatch(/^veth[0-9a-f]{8}$/);
    // The YAML leaves both veth ends at the kernel's 1500; the bridge plugin sets the config's MTU.
    expect(hand.devices.map((d) => d.mtu)).toEqual([undefined, undefined]);
    expect(node.state.devices.map((d) => d.mtu)).toEqual([undefined, 1450]);
    expect(pod1.netns.devices[1]!.mtu).toBe(1450);
    // hairpinMode: true in kube-flannel's delegate; the YAML has no hairpin port.
    expect(hand.devices[0]).not.toHaveProperty("hairpin");
    expect(node.state.devices[0]).toMatchObject({ hairpin: [pod1.hostVeth] });
    // host-local's route to FLANNEL_NETWORK, redundant beside the default route.
    expect(handPod(world).routes.map((r) => r.len)).toEqual([0]);
    expect(pod1.netns.routes.map((r) => [r.dst, r.len])).toEqual([[cidr("10.244.0.0/16").addr, 16], [0, 0]]);
    expect(handPod(world).sysctls).toEqual({});
    expect(pod1.netns.sysctls).toEqual({ "net.ipv4.conf.eth0.arp_notify": "1" });
  });
});
