/**
 * Behaviour that no tool output reveals (the ping is simply lost either way), checked on the
 * simulator's own record: bridge hairpin, VXLAN learning and its loop check, ICMP redirects.
 */
import { describe, expect, test } from "vitest";
import { parseIpv4, parseMac } from "../../src/core/ip.js";
import { loadScenario } from "../../src/scenario/load.js";
import { simulate } from "../../src/sim/exec.js";
import type { Trace } from "../../src/trace/types.js";

function world(yaml: string) {
  const r = loadScenario(yaml, "inline.yaml");
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
  return r.value;
}

function pingTrace(traces: readonly Trace[]): Trace {
  const t = traces.find((x) => x.origin === "ping");
  if (!t) throw new Error("no ping trace");
  return t;
}

/** h1 behind port p1; a static FDB entry puts h2's MAC behind p1 too, so the frame must leave by its own ingress port. */
const hairpin = (on: boolean) => `
name: hairpin
segments: []
namespaces:
  sw:
    devices:
      br0: { type: bridge${on ? ", hairpin: [p1]" : ""} }
      p1: { type: veth, peer: h1/eth0, master: br0 }
      p2: { type: veth, peer: h2/eth0, master: br0 }
    fdb:
      - { mac: "02:00:00:00:00:02", dev: p1 }
  h1:
    devices: { eth0: { type: veth, peer: sw/p1, mac: "02:00:00:00:00:01" } }
    addresses: { eth0: [10.0.0.1/24] }
    neighbours: [ { ip: 10.0.0.2, dev: eth0, mac: "02:00:00:00:00:02" } ]
  h2:
    devices: { eth0: { type: veth, peer: sw/p2, mac: "02:00:00:00:00:02" } }
    addresses: { eth0: [10.0.0.2/24] }
`;

describe("bridge hairpin", () => {
  test("off: a frame for a MAC behind the ingress port is dropped at the bridge", () => {
    const run = simulate(world(hairpin(false)), "h1", "ping -c 1 -W 1 10.0.0.2");
    const t = pingTrace(run.traces);
    expect(t.disposition).toMatchObject({ kind: "dropped", at: { node: "sw", stage: "br_forward" } });
    expect(t.hops.flatMap((h) => h.steps).some((s) => s.kind === "bridge" && s.action === "hairpin-drop")).toBe(true);
    expect(run.result.exitCode).toBe(1);
  });

  test("on: the frame goes back out of p1, and h1 ignores a frame for another MAC", () => {
    const run = simulate(world(hairpin(true)), "h1", "ping -c 1 -W 1 10.0.0.2");
    const t = pingTrace(run.traces);
    expect(t.disposition).toMatchObject({ kind: "not-for-us", at: { node: "h1", stage: "ip_rcv" } });
    const bridgeSteps = t.hops.flatMap((h) => h.steps).filter((s) => s.kind === "bridge");
    expect(bridgeSteps).toContainEqual({ kind: "bridge", bridge: "br0", action: "fdb-hit", mac: "02:00:00:00:00:02", port: "p1" });
  });
});

/** Two VTEPs on one segment; node2 learns unless `nolearning`; `sameMac` gives both VTEPs one MAC. */
const vxlan = (learning: boolean, sameMac: boolean) => `
name: vxlan
segments: [lan]
namespaces:
  node1:
    devices:
      eth0: { type: nic, segment: lan }
      vx0: { type: vxlan, id: 7, local: 192.168.0.1, dev: eth0, learning: false, mac: "02:aa:00:00:00:01" }
    addresses: { eth0: [192.168.0.1/24], vx0: [10.9.0.1/24] }
    neighbours: [ { ip: 10.9.0.2, dev: vx0, mac: "${sameMac ? "02:aa:00:00:00:01" : "02:aa:00:00:00:02"}" } ]
    fdb: [ { mac: "00:00:00:00:00:00", dev: vx0, dst: 192.168.0.2 } ]
  node2:
    devices:
      eth0: { type: nic, segment: lan }
      vx0: { type: vxlan, id: 7, local: 192.168.0.2, dev: eth0, learning: ${learning}, mac: "${sameMac ? "02:aa:00:00:00:01" : "02:aa:00:00:00:02"}" }
    addresses: { eth0: [192.168.0.2/24], vx0: [10.9.0.2/24] }
    neighbours: [ { ip: 10.9.0.1, dev: vx0, mac: "02:aa:00:00:00:01" } ]
    fdb: [ { mac: "00:00:00:00:00:00", dev: vx0, dst: 192.168.0.1 } ]
`;

describe("vxlan receive", () => {
  test("learning: the sender's VTEP MAC is learned against the outer source address", () => {
    const run = simulate(world(vxlan(true, false)), "node1", "ping -c 1 -W 1 10.9.0.2");
    expect(run.result.exitCode).toBe(0);
    const fdb = run.world.ns("node2")!.device("vx0")!.vxlan!.fdb;
    expect(fdb.get(parseMac("02:aa:00:00:00:01")!)).toEqual([parseIpv4("192.168.0.1")]);
  });

  test("nolearning: nothing is learned", () => {
    const run = simulate(world(vxlan(false, false)), "node1", "ping -c 1 -W 1 10.9.0.2");
    expect(run.result.exitCode).toBe(0);
    expect(run.world.ns("node2")!.device("vx0")!.vxlan!.fdb.has(parseMac("02:aa:00:00:00:01")!)).toBe(false);
  });

  test("an inner frame whose source MAC is the receiving device's own is dropped as a loop", () => {
    const run = simulate(world(vxlan(false, true)), "node1", "ping -c 1 -W 1 10.9.0.2");
    const t = pingTrace(run.traces);
    expect(t.disposition).toMatchObject({ kind: "dropped", at: { node: "node2", stage: "vxlan_rcv" } });
    expect(t.disposition && "reason" in t.disposition ? t.disposition.reason : "").toContain("packet loop");
    expect(run.result.exitCode).toBe(1);
  });
});

describe("ICMP redirect", () => {
  test("a router forwarding out of the interface the packet came in on tells an on-link sender", () => {
    const spec = world(`
name: redirect
segments: [lan]
namespaces:
  host:
    devices: { eth0: { type: nic, segment: lan } }
    addresses: { eth0: [10.0.0.1/24] }
    routes: [ { dst: 203.0.113.0/24, via: 10.0.0.254 } ]
  router:
    sysctls: { net.ipv4.ip_forward: 1 }
    devices: { eth0: { type: nic, segment: lan } }
    addresses: { eth0: [10.0.0.254/24] }
    routes: [ { dst: 203.0.113.0/24, via: 10.0.0.2 } ]
  other:
    devices: { eth0: { type: nic, segment: lan } }
    addresses: { eth0: [10.0.0.2/24, 203.0.113.9/24] }
`);
    const run = simulate(spec, "host", "ping -c 1 -W 1 203.0.113.9");
    expect(run.result.exitCode).toBe(0);
    const sent = pingTrace(run.traces).hops.flatMap((h) => h.steps).filter((s) => s.kind === "icmp-sent");
    expect(sent).toEqual([expect.objectContaining({ type: 5, code: 1, from: "10.0.0.254", to: "10.0.0.1" })]);
  });
});
