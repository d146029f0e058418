/** A world of one host `node` with `eth0` 10.0.2.15/24 on a segment: for driving an engine's hooks by hand. */
import type { WorldSpec } from "../../src/netns/spec.js";
import { parseIpv4 } from "../../src/core/ip.js";

export function oneNodeWorld(): WorldSpec {
  return {
    name: "one node", file: "one-node", seed: "1", segments: [{ name: "lan" }], probes: [],
    namespaces: [{
      name: "node", devices: [{ kind: "loopback", name: "lo", up: true }, { kind: "nic", name: "eth0", segment: "lan", up: true }],
      addresses: [{ dev: "eth0", addr: parseIpv4("10.0.2.15")!, len: 24, scope: "universe" }],
      routes: [], neighbours: [], fdb: [], sysctls: {}, listeners: [],
    }],
  };
}
