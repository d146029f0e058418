/**
 * `ip neigh` (views/ip-neigh.ts). Line formats and filters as iproute2 6.1 printed them for
 * the same state (see worlds.ts). The kernel lists its hash buckets in an order nobody can
 * predict; the simulator lists entries in the order they were made, which is what these tests
 * pin down. INCOMPLETE and FAILED entries come from traffic; the texts were taken from a real
 * namespace after a ping to an absent address and after `ip neigh add … nud failed`.
 */
import { describe, expect, it } from "vitest";
import type { Ipv4 } from "../../src/core/ip.js";
import { runOn } from "../../src/sim/exec.js";
import { NODE, PORTS, build, lines, run } from "./worlds.js";

describe("ip neigh", () => {
  it("lists entries with lladdr and NUD state; NOARP entries are hidden by default", () => {
    for (const cmd of ["ip neigh", "ip n", "ip neighbour show", "ip neighbor list", "ip n s", "ip -4 neigh"]) {
      expect(run(NODE, "node1", cmd)).toEqual({
        stdout: lines(
          "10.244.2.0 dev flannel.1 lladdr 02:fa:00:00:02:01 PERMANENT ",
          "10.244.1.2 dev cni0 lladdr 0a:58:0a:f4:01:02 REACHABLE ",
          "10.244.1.3 dev cni0 lladdr 0a:58:0a:f4:01:03 STALE ",
        ),
        stderr: "",
        exitCode: 0,
      });
    }
  });

  it("nud all adds the NOARP entries, including the IGMP report entry every up bridge has", () => {
    expect(run(NODE, "node1", "ip neigh show nud all").stdout).toBe(
      lines(
        "10.244.2.0 dev flannel.1 lladdr 02:fa:00:00:02:01 PERMANENT ",
        "10.244.1.2 dev cni0 lladdr 0a:58:0a:f4:01:02 REACHABLE ",
        "10.244.1.3 dev cni0 lladdr 0a:58:0a:f4:01:03 STALE ",
        "10.244.1.4 dev cni0 lladdr 0a:58:0a:f4:01:04 NOARP ",
        "224.0.0.22 dev cni0 lladdr 01:00:5e:00:00:16 NOARP ",
        "224.0.0.22 dev dead0 lladdr 01:00:5e:00:00:16 NOARP ",
      ),
    );
    expect(run(NODE, "node1", "ip neigh show nud noarp").stdout).toBe(
      lines(
        "10.244.1.4 dev cni0 lladdr 0a:58:0a:f4:01:04 NOARP ",
        "224.0.0.22 dev cni0 lladdr 01:00:5e:00:00:16 NOARP ",
        "224.0.0.22 dev dead0 lladdr 01:00:5e:00:00:16 NOARP ",
      ),
    );
    expect(run(PORTS, "n1", "ip neigh show nud all").stdout).toBe(lines("224.0.0.22 dev br0 lladdr 01:00:5e:00:00:16 NOARP "));
  });

  it("dev and prefix filters; dev is then left out of each line", () => {
    expect(run(NODE, "node1", "ip n show dev cni0").stdout).toBe(lines("10.244.1.2 lladdr 0a:58:0a:f4:01:02 REACHABLE ", "10.244.1.3 lladdr 0a:58:0a:f4:01:03 STALE "));
    expect(run(NODE, "node1", "ip neigh show 10.244.1.0/24").stdout).toBe(
      lines("10.244.1.2 dev cni0 lladdr 0a:58:0a:f4:01:02 REACHABLE ", "10.244.1.3 dev cni0 lladdr 0a:58:0a:f4:01:03 STALE "),
    );
    expect(run(NODE, "node1", "ip neigh show to 10.244.2.0").stdout).toBe(lines("10.244.2.0 dev flannel.1 lladdr 02:fa:00:00:02:01 PERMANENT "));
  });

  it("-br: address padded to 39, device to 16, then the MAC", () => {
    expect(run(NODE, "node1", "ip -br neigh").stdout).toBe(
      lines(
        "10.244.2.0                              flannel.1        02:fa:00:00:02:01",
        "10.244.1.2                              cni0             0a:58:0a:f4:01:02",
        "10.244.1.3                              cni0             0a:58:0a:f4:01:03",
      ),
    );
  });

  it("INCOMPLETE and FAILED entries have no lladdr", () => {
    const world = build(NODE);
    const ns = world.ns("node1")!;
    const cni0 = ns.device("cni0")!;
    ns.neigh.set(`${cni0.ifindex}/x1`, { dev: cni0, ip: 0x0af40163 as Ipv4, state: "incomplete", probes: 1, queue: [] });
    ns.neigh.set(`${cni0.ifindex}/x2`, { dev: cni0, ip: 0x0af40164 as Ipv4, state: "failed", probes: 3, queue: [] });
    expect(runOn(world, "node1", "ip neigh show dev cni0").result.stdout).toBe(
      lines("10.244.1.2 lladdr 0a:58:0a:f4:01:02 REACHABLE ", "10.244.1.3 lladdr 0a:58:0a:f4:01:03 STALE ", "10.244.1.99 INCOMPLETE ", "10.244.1.100 FAILED "),
    );
    expect(runOn(world, "node1", "ip -br neigh show dev cni0").result.stdout).toBe(
      lines(
        "10.244.1.2                              0a:58:0a:f4:01:02",
        "10.244.1.3                              0a:58:0a:f4:01:03",
        "10.244.1.99                             ",
        "10.244.1.100                            ",
      ),
    );
  });

  it("errors as ip prints them; -6 finds nothing", () => {
    expect(run(NODE, "node1", "ip neigh show dev nosuch")).toEqual({ stdout: "", stderr: 'Cannot find device "nosuch"\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip neigh show nud foo")).toEqual({ stdout: "", stderr: 'Error: argument "foo" is wrong: nud state is bad\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip neigh foo")).toEqual({ stdout: "", stderr: 'Command "foo" is unknown, try "ip neigh help".\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip -6 neigh")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });
});
