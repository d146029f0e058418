/**
 * `ip link` and `ip -br link` (views/ip-link.ts, views/link-state.ts). Expected text as
 * iproute2 6.1 printed it for the same state (see worlds.ts); the NIC lines follow a physical
 * ethernet device (fq_codel), which the test kernel cannot show.
 */
import { describe, expect, it } from "vitest";
import { NICS, NODE, PORTS, lines, run } from "./worlds.js";

const NODE_LINKS = [
  "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
  "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
  "2: eth1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000",
  "    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns node2",
  "3: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000",
  "    link/ether 02:c0:00:00:01:01 brd ff:ff:ff:ff:ff:ff",
  "4: veth1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master cni0 state UP mode DEFAULT group default qlen 1000",
  "    link/ether 02:e0:00:00:01:02 brd ff:ff:ff:ff:ff:ff link-netns pod1",
  "5: veth2@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master cni0 state LOWERLAYERDOWN mode DEFAULT group default qlen 1000",
  "    link/ether 02:e0:00:00:01:03 brd ff:ff:ff:ff:ff:ff link-netns pod2",
  "6: vA@vB: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000",
  "    link/ether 02:0a:00:00:00:0a brd ff:ff:ff:ff:ff:ff",
  "7: vB@vA: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000",
  "    link/ether 02:0b:00:00:00:0b brd ff:ff:ff:ff:ff:ff",
  "8: dead0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000",
  "    link/ether 02:de:00:00:00:01 brd ff:ff:ff:ff:ff:ff",
  "9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
  "    link/ether 02:fa:00:00:01:01 brd ff:ff:ff:ff:ff:ff",
];

describe("ip link", () => {
  it("prints every kind: lo, cross-namespace veths, bridges with and without carrier, a same-namespace pair, vxlan", () => {
    for (const cmd of ["ip link", "ip l", "ip link show", "ip li ls", "ip link list"]) {
      expect(run(NODE, "node1", cmd)).toEqual({ stdout: lines(...NODE_LINKS), stderr: "", exitCode: 0 });
    }
  });

  it("-o joins each record with a backslash", () => {
    const out = run(NODE, "node1", "ip -o link").stdout.split("\n");
    expect(out[1]).toBe(
      "2: eth1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns node2",
    );
    expect(out).toHaveLength(10);
  });

  it("-br: name@link, operstate, MAC, flags", () => {
    expect(run(NODE, "node1", "ip -br link").stdout).toBe(
      lines(
        "lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ",
        "eth1@if2         UP             02:00:00:00:01:01 <BROADCAST,MULTICAST,UP,LOWER_UP> ",
        "cni0             UP             02:c0:00:00:01:01 <BROADCAST,MULTICAST,UP,LOWER_UP> ",
        "veth1@if2        UP             02:e0:00:00:01:02 <BROADCAST,MULTICAST,UP,LOWER_UP> ",
        "veth2@if2        LOWERLAYERDOWN 02:e0:00:00:01:03 <NO-CARRIER,BROADCAST,MULTICAST,UP> ",
        "vA@vB            LOWERLAYERDOWN 02:0a:00:00:00:0a <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> ",
        "vB@vA            DOWN           02:0b:00:00:00:0b <BROADCAST,MULTICAST> ",
        "dead0            DOWN           02:de:00:00:00:01 <NO-CARRIER,BROADCAST,MULTICAST,UP> ",
        "flannel.1        UNKNOWN        02:fa:00:00:01:01 <BROADCAST,MULTICAST,UP,LOWER_UP> ",
      ),
    );
  });

  it("selects by name, up, master and type", () => {
    expect(run(NODE, "node1", "ip link show dev vB").stdout).toBe(lines(NODE_LINKS[12]!, NODE_LINKS[13]!));
    expect(run(NODE, "node1", "ip link show vB").stdout).toBe(lines(NODE_LINKS[12]!, NODE_LINKS[13]!));
    expect(run(NODE, "node1", "ip link show up").stdout).toBe(lines(...NODE_LINKS.slice(0, 12), ...NODE_LINKS.slice(14)));
    expect(run(NODE, "node1", "ip link show master cni0").stdout).toBe(lines(...NODE_LINKS.slice(6, 10)));
    expect(run(NODE, "node1", "ip link show type bridge").stdout).toBe(lines(...NODE_LINKS.slice(4, 6), ...NODE_LINKS.slice(14, 16)));
    expect(run(NODE, "node1", "ip link show type veth").stdout).toBe(lines(...NODE_LINKS.slice(2, 4), ...NODE_LINKS.slice(6, 14)));
  });

  it("the pod side names the host end by its ifindex, and a down end is noop/DOWN", () => {
    expect(run(NODE, "pod2", "ip link").stdout).toBe(
      lines(
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
        "2: eth0@if5: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000",
        "    link/ether 0a:58:0a:f4:01:03 brd ff:ff:ff:ff:ff:ff link-netns node1",
      ),
    );
  });

  it("a port of a down bridge, a port in a 1200-byte bridge, a vxlan without lower device", () => {
    expect(run(PORTS, "n1", "ip link").stdout).toBe(
      lines(
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
        "2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1200 qdisc noqueue state UP mode DEFAULT group default qlen 1000",
        "    link/ether 02:b0:00:00:00:01 brd ff:ff:ff:ff:ff:ff",
        "3: brX: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000",
        "    link/ether 02:b0:00:00:00:02 brd ff:ff:ff:ff:ff:ff",
        "4: pA@pB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000",
        "    link/ether 02:0a:00:00:00:01 brd ff:ff:ff:ff:ff:ff",
        "5: pB@pA: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000",
        "    link/ether 02:0a:00:00:00:02 brd ff:ff:ff:ff:ff:ff",
        "6: q1@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master brX state LOWERLAYERDOWN mode DEFAULT group default qlen 1000",
        "    link/ether 02:0a:00:00:00:03 brd ff:ff:ff:ff:ff:ff link-netns n2",
        "7: q2@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1200 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000",
        "    link/ether 02:0a:00:00:00:04 brd ff:ff:ff:ff:ff:ff link-netns n2",
        "8: vx0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UNKNOWN mode DEFAULT group default qlen 1000",
        "    link/ether 02:0c:00:00:00:01 brd ff:ff:ff:ff:ff:ff",
        "9: vx1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
        "    link/ether 02:0c:00:00:00:02 brd ff:ff:ff:ff:ff:ff",
      ),
    );
  });

  it("a NIC is shown like a physical ethernet device; lo set down keeps its noqueue qdisc", () => {
    expect(run(NICS, "host", "ip link").stdout).toBe(
      lines(
        "1: lo: <LOOPBACK> mtu 65536 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000",
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
        "2: enp0s3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000",
        "    link/ether 08:00:27:00:01:03 brd ff:ff:ff:ff:ff:ff",
        "3: enp0s8: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000",
        "    link/ether 08:00:27:00:01:08 brd ff:ff:ff:ff:ff:ff",
      ),
    );
  });

  it("errors as ip prints them", () => {
    expect(run(NODE, "node1", "ip link show nosuch")).toEqual({ stdout: "", stderr: 'Device "nosuch" does not exist.\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip link show dev")).toEqual({ stdout: "", stderr: 'Command line is not complete. Try option "help"\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip link foo")).toEqual({ stdout: "", stderr: 'Command "foo" is unknown, try "ip link help".\n', exitCode: 255 });
    expect(run(NODE, "node2", "ip link show master br0")).toEqual({
      stdout: "",
      stderr: 'Error: argument "br0" is wrong: Device does not exist\n\n',
      exitCode: 255,
    });
    expect(run(NODE, "node1", "ip link show type foo")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });
});
