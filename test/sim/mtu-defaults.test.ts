/**
 * Device MTUs the kernel picks when none is given (src/sim/build.ts, defaultMtu). Every expected
 * value was read from `ip -o link show` on Linux 6.18 (iproute2 6.1) in a throw-away namespace:
 *
 *   ip link add br0 type bridge                           → br0 mtu 1500 (no ports)
 *   ip link add name va type veth peer name vb; ip link set dev va mtu 9000
 *   ip link set dev va master br0                         → br0 mtu 9000 (follows the port, even above 1500)
 *   ip link set dev vc mtu 1400; ip link set dev vc master br0 → br0 mtu 1400 (the smallest port)
 *   ip link set dev vc nomaster                           → br0 mtu 9000; with no ports left → 1500
 *   ip link set dev br0 mtu 1600 (by hand), then add ports of 9000 and 1300 → stays 1600
 *   ip link add vx type vxlan id 5 dstport 8472 local 10.0.0.1 → vx mtu 1500 (no dev)
 *   ip link add vx2 type vxlan id 6 dstport 8472 dev ul   (ul mtu 9000) → 8950; (ul 1500) → 1450
 *   lower device mtu 100                                  → vxlan mtu 68 (ETH_MIN_MTU floor)
 */
import { describe, expect, test } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { buildWorld } from "../../src/sim/build.js";
import { simulate } from "../../src/sim/exec.js";

function spec(yaml: string): WorldSpec {
  const r = loadScenario(yaml, "inline.yaml");
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
  return r.value;
}

function mtus(s: WorldSpec, ns: string): Record<string, number> {
  const w = buildWorld(s);
  if (!w.ok) throw new Error(w.issues.map((i) => i.message).join("\n"));
  const n = w.value.namespaces.get(ns);
  if (n === undefined) throw new Error(`no namespace ${ns}`);
  return Object.fromEntries([...n.devices.values()].map((d) => [d.name, d.mtu]));
}

const world = spec(`
name: mtu defaults
namespaces:
  n:
    devices:
      empty0: { type: bridge }
      jumbo0: { type: bridge }
      j1: { type: veth, peer: n/j1p, mtu: 9000, master: jumbo0 }
      j1p: { type: veth, peer: n/j1 }
      mixed0: { type: bridge }
      m1: { type: veth, peer: n/m1p, mtu: 9000, master: mixed0 }
      m1p: { type: veth, peer: n/m1 }
      m2: { type: veth, peer: n/m2p, mtu: 1400, master: mixed0 }
      m2p: { type: veth, peer: n/m2 }
      byhand0: { type: bridge, mtu: 1600 }
      h1: { type: veth, peer: n/h1p, mtu: 1300, master: byhand0 }
      h1p: { type: veth, peer: n/h1 }
      ul: { type: veth, peer: n/ulp, mtu: 9000 }
      ulp: { type: veth, peer: n/ul }
      small: { type: veth, peer: n/smallp, mtu: 100 }
      smallp: { type: veth, peer: n/small }
      vxnodev: { type: vxlan, id: 5, dstport: 8472, local: 10.0.0.1 }
      vxjumbo: { type: vxlan, id: 6, dstport: 8472, local: 10.0.0.1, dev: ul }
      vxplain: { type: vxlan, id: 7, dstport: 8472, dev: ulp }
      vxsmall: { type: vxlan, id: 8, dstport: 8472, dev: small }
      vxbr: { type: vxlan, id: 9, dstport: 8472, dev: mixed0 }
`);

describe("bridge MTU (br_mtu_auto_adjust)", () => {
  const m = mtus(world, "n");
  test("no ports: 1500", () => expect(m["empty0"]).toBe(1500));
  test("follows its only port, also above 1500", () => expect(m["jumbo0"]).toBe(9000));
  test("the smallest MTU among its ports", () => expect(m["mixed0"]).toBe(1400));
  test("set by hand: kept whatever the ports", () => expect(m["byhand0"]).toBe(1600));
});

describe("vxlan MTU (vxlan_config_apply)", () => {
  const m = mtus(world, "n");
  test("without dev: 1500", () => expect(m["vxnodev"]).toBe(1500));
  test("with dev: the lower device's MTU − 50", () => {
    expect(m["vxjumbo"]).toBe(8950);
    expect(m["vxplain"]).toBe(1450);
  });
  test("never below 68", () => expect(m["vxsmall"]).toBe(68));
  test("on a bridge whose MTU is itself derived from its ports", () => expect(m["vxbr"]).toBe(1350));
});

describe("ip link shows the derived MTUs", () => {
  test("a bridge with a 9000-byte port and a vxlan without dev", () => {
    const out = simulate(world, "n", "ip -o link").result.stdout;
    expect(out).toMatch(/: jumbo0: <[^>]*> mtu 9000 /);
    expect(out).toMatch(/: vxnodev: <[^>]*> mtu 1500 /);
  });
});
