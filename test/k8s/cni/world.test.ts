/**
 * The builder's output runs: a node with only lo, plus cni0 and two pods from buildCniNode (no
 * flannel), built by the simulator; pods reach each other across cni0 and reach the gateway.
 */
import { describe, expect, it } from "vitest";
import { ZERO_MAC, parseMac } from "../../../src/core/ip.js";
import { buildCniNode, podNamespaces, withNodeState } from "../../../src/k8s/cni/build.js";
import type { NetnsSpec, WorldSpec } from "../../../src/netns/spec.js";
import { buildWorld } from "../../../src/sim/build.js";
import { simulate } from "../../../src/sim/exec.js";
import { ip, node1, pod, value } from "./helpers.js";

const bare: NetnsSpec = {
  name: "node1",
  devices: [{ kind: "loopback", name: "lo", up: true, mtu: 65536, mac: ZERO_MAC }],
  addresses: [{ dev: "lo", addr: ip("127.0.0.1"), len: 8, scope: "host" }],
  routes: [],
  neighbours: [],
  fdb: [],
  sysctls: {},
  listeners: [],
};

function world(): WorldSpec {
  const n = value(buildCniNode(node1([pod("pod1", 1), pod("pod2", 2)])));
  return { name: "cni node", file: "<cni test>", seed: "1", segments: [], probes: [], namespaces: [value(withNodeState(bare, n)), ...podNamespaces(n)] };
}

describe("a node wired by the CNI builder, in the simulator", () => {
  it("builds without issues; cni0 takes its ports' MTU (1450) and both host ends are hairpin ports", () => {
    const w = value(buildWorld(world()));
    const node = w.ns("node1")!;
    const cni0 = node.device("cni0")!;
    expect(cni0.mtu).toBe(1450);
    expect(cni0.ports.map((p) => [p.name, p.mtu, p.hairpin])).toEqual([["veth9f331d19", 1450, true], ["veth07c42ae2", 1450, true]]);
    expect(node.sysctl.forwarding("cni0")).toBe(true);
  });

  it("pod1 pings pod2 across cni0", () => {
    const run = simulate(world(), "pod1", "ping -c 1 -W 1 10.244.1.3");
    expect(run.result.exitCode).toBe(0);
    expect(run.result.stdout).toContain("1 packets transmitted, 1 received");
    // The echo request crossed the bridge from one hairpin port to the other, as an FDB hit or a flood.
    const steps = run.traces.find((t) => t.origin === "ping")!.hops.flatMap((h) => h.steps);
    expect(steps.some((s) => s.kind === "bridge" && s.bridge === "cni0")).toBe(true);
  });

  it("pod2 pings its gateway, cni0's 10.244.1.1", () => {
    const run = simulate(world(), "pod2", "ping -c 1 -W 1 10.244.1.1");
    expect(run.result.exitCode).toBe(0);
    expect(run.result.stdout).toContain("64 bytes from 10.244.1.1");
  });

  it("joins a node that already has cni0 with the gateway address (reused, as ensureBridge does); refuses another address or a non-bridge", () => {
    const n = value(buildCniNode(node1([pod("pod1", 1)])));
    const withBridge = (addr: string): NetnsSpec => ({
      ...bare,
      devices: [...bare.devices, { kind: "bridge", name: "cni0", up: true, mac: parseMac("02:c0:00:00:01:01")! }],
      addresses: [...bare.addresses, { dev: "cni0", addr: ip(addr), len: 24, broadcast: ip("10.244.1.255"), scope: "universe" }],
    });
    const joined = value(withNodeState(withBridge("10.244.1.1"), n));
    expect(joined.devices.map((d) => d.name)).toEqual(["lo", "cni0", n.pods[0]!.hostVeth]);
    expect(joined.devices[1]).toMatchObject({ mac: "02:c0:00:00:01:01", hairpin: [n.pods[0]!.hostVeth] });
    expect(joined.addresses.filter((a) => a.dev === "cni0")).toHaveLength(1);
    const moved = withNodeState(withBridge("10.244.7.1"), n);
    expect(moved.ok ? [] : moved.issues.map((i) => i.message)).toEqual(['failed to set bridge addr: "cni0" already has an IP address different from 10.244.1.1/24']);
    const notBridge = withNodeState({ ...bare, devices: [...bare.devices, { kind: "veth", name: "cni0", up: true, peer: { netns: "x", name: "y" } }] }, n);
    expect(notBridge.ok ? [] : notBridge.issues.map((i) => i.code)).toEqual(["bridge-exists"]);
  });

  it("the node reaches a pod through its connected route on cni0", () => {
    const run = simulate(world(), "node1", "ping -c 1 -W 1 10.244.1.2");
    expect(run.result.exitCode).toBe(0);
  });
});
