import { describe, expect, it } from "vitest";
import { buildCniNode } from "../../../src/k8s/cni/build.js";
import { parseSubnetEnv } from "../../../src/k8s/cni/subnet-env.js";
import { ip, node1, pod } from "./helpers.js";

const issues = (r: { ok: boolean; issues?: readonly { code: string; message: string; at: unknown }[] }) =>
  r.ok ? [] : (r.issues ?? []).map((i) => ({ code: i.code, message: i.message, at: i.at }));

describe("bad input is Issues, never a throw", () => {
  it("a subnet.env without FLANNEL_SUBNET: the plugin's message, naming the IPv6 twin too", () => {
    const text = "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n";
    expect(issues(buildCniNode(node1([pod("p", 1)], { subnetEnv: { text } })))).toEqual([
      { code: "subnet-env-missing", message: "/run/flannel/subnet.env is missing FLANNEL_SUBNET, FLANNEL_IPV6_SUBNET", at: { file: "/run/flannel/subnet.env", line: 1, column: 1 } },
    ]);
  });

  it("an empty subnet.env names every key; broken values point at their line and column", () => {
    expect(issues(parseSubnetEnv({ text: "" }))[0]!.message).toBe(
      "/run/flannel/subnet.env is missing FLANNEL_NETWORK, FLANNEL_IPV6_NETWORK, FLANNEL_SUBNET, FLANNEL_IPV6_SUBNET, FLANNEL_MTU, FLANNEL_IPMASQ",
    );
    const text = "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1\nFLANNEL_MTU=14x0\nFLANNEL_IPMASQ=true\n";
    expect(issues(parseSubnetEnv({ text, file: "subnet.env" }))).toEqual([
      { code: "subnet-env-invalid", message: "invalid CIDR address: 10.244.1.1", at: { file: "subnet.env", line: 2, column: 16 } },
      { code: "subnet-env-invalid", message: 'strconv.ParseUint: parsing "14x0": invalid syntax', at: { file: "subnet.env", line: 3, column: 13 } },
    ]);
  });

  it("FLANNEL_IPMASQ is true only for the text true; anything else means the bridge plugin would masquerade (not modelled)", () => {
    const text = "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=TRUE\n";
    const env = parseSubnetEnv({ text });
    expect(env.ok && env.value.ipMasq).toBe(false);
    expect(issues(buildCniNode(node1([pod("p", 1)], { subnetEnv: { text } }))).map((i) => i.code)).toEqual(["not-modelled"]);
  });

  it("a fixed IP outside the range fails that pod only, and every failing pod is reported", () => {
    const r = buildCniNode(node1([pod("ok", 1), pod("far", 2, { ip: ip("10.244.2.7") }), pod("gw", 3, { ip: ip("10.244.1.1") })]));
    expect(issues(r).map((i) => [i.code, i.message])).toEqual([
      ["ipam-requested-ip", "pod default/far: failed to delegate add: failed to allocate all requested IPs: 10.244.2.7"],
      ["ipam-requested-ip", "pod default/gw: failed to delegate add: failed to allocate for range 0: requested ip 10.244.1.1 is subnet's gateway"],
    ]);
  });

  it("the 254th pod on a /24 finds the range exhausted", () => {
    const pods = Array.from({ length: 254 }, (_, i) => pod(`p${i}`, i));
    expect(issues(buildCniNode(node1(pods)))).toEqual([
      {
        code: "ipam-exhausted",
        message: "pod default/p253: failed to delegate add: failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254",
        at: { file: "<cni node1>", line: 1, column: 1 },
      },
    ]);
  });

  it("two pods in one namespace name, and a subnet too small to allocate from", () => {
    expect(issues(buildCniNode(node1([pod("a", 1, { netns: "x" }), pod("b", 2, { netns: "x" })]))).map((i) => i.code)).toEqual(["duplicate-netns"]);
    const text = "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/31\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n";
    expect(issues(buildCniNode(node1([], { subnetEnv: { text } }))).map((i) => i.message)).toEqual([
      "failed to delegate add: invalid range set 0: Network 10.244.1.0/31 too small to allocate from",
    ]);
  });
});
