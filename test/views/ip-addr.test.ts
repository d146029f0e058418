/**
 * `ip addr` in its forms (views/ip-addr.ts). Expected text as iproute2 6.1 printed it for the
 * same state (see worlds.ts).
 */
import { describe, expect, it } from "vitest";
import { NICS, NODE, PORTS, lines, run } from "./worlds.js";

const LFT = "       valid_lft forever preferred_lft forever";

const CNI0 = [
  "3: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000",
  "    link/ether 02:c0:00:00:01:01 brd ff:ff:ff:ff:ff:ff",
  "    inet 10.9.9.9/32 scope host cni0",
  LFT,
  "    inet 10.8.8.8/24 scope link cni0",
  LFT,
  "    inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0",
  LFT,
  "    inet 10.244.1.50/24 scope global secondary cni0",
  LFT,
];

const NODE_ADDRS = [
  "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
  "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
  "    inet 127.0.0.1/8 scope host lo",
  LFT,
  "2: eth1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000",
  "    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns node2",
  "    inet 192.168.56.101/24 brd 192.168.56.255 scope global eth1",
  LFT,
  ...CNI0,
  "4: veth1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master cni0 state UP group default qlen 1000",
  "    link/ether 02:e0:00:00:01:02 brd ff:ff:ff:ff:ff:ff link-netns pod1",
  "5: veth2@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master cni0 state LOWERLAYERDOWN group default qlen 1000",
  "    link/ether 02:e0:00:00:01:03 brd ff:ff:ff:ff:ff:ff link-netns pod2",
  "6: vA@vB: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default qlen 1000",
  "    link/ether 02:0a:00:00:00:0a brd ff:ff:ff:ff:ff:ff",
  "    inet 192.0.2.1/24 brd 192.0.2.255 scope global vA",
  LFT,
  "7: vB@vA: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000",
  "    link/ether 02:0b:00:00:00:0b brd ff:ff:ff:ff:ff:ff",
  "8: dead0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default qlen 1000",
  "    link/ether 02:de:00:00:00:01 brd ff:ff:ff:ff:ff:ff",
  "    inet 198.18.0.1/24 brd 198.18.0.255 scope global dead0",
  LFT,
  "9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000",
  "    link/ether 02:fa:00:00:01:01 brd ff:ff:ff:ff:ff:ff",
  "    inet 10.244.1.0/32 scope global flannel.1",
  LFT,
];

describe("ip addr", () => {
  it("lists links with their addresses: host scope first, then link, then global, secondaries last", () => {
    for (const cmd of ["ip addr", "ip a", "ip address show", "ip a s", "ip addr list", "ip a l"]) {
      expect(run(NODE, "node1", cmd)).toEqual({ stdout: lines(...NODE_ADDRS), stderr: "", exitCode: 0 });
    }
  });

  it("show dev / a bare name selects one device", () => {
    expect(run(NODE, "node1", "ip addr show dev cni0").stdout).toBe(lines(...CNI0));
    expect(run(NODE, "node1", "ip a s cni0").stdout).toBe(lines(...CNI0));
    expect(run(NODE, "node1", "ip a s vB").stdout).toBe(
      lines("7: vB@vA: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000", "    link/ether 02:0b:00:00:00:0b brd ff:ff:ff:ff:ff:ff"),
    );
  });

  it("-4 drops the link/ line (link-netns moves up) and the devices without an IPv4 address", () => {
    expect(run(NODE, "node1", "ip -4 addr").stdout).toBe(
      lines(
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
        "    inet 127.0.0.1/8 scope host lo",
        LFT,
        "2: eth1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000 link-netns node2",
        "    inet 192.168.56.101/24 brd 192.168.56.255 scope global eth1",
        LFT,
        CNI0[0]!,
        ...CNI0.slice(2),
        "6: vA@vB: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default qlen 1000",
        "    inet 192.0.2.1/24 brd 192.0.2.255 scope global vA",
        LFT,
        "8: dead0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default qlen 1000",
        "    inet 198.18.0.1/24 brd 198.18.0.255 scope global dead0",
        LFT,
        "9: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000",
        "    inet 10.244.1.0/32 scope global flannel.1",
        LFT,
      ),
    );
    expect(run(NODE, "node1", "ip -f inet addr show eth1").stdout).toBe(
      lines(
        "2: eth1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000 link-netns node2",
        "    inet 192.168.56.101/24 brd 192.168.56.255 scope global eth1",
        LFT,
      ),
    );
  });

  it("-0 shows links only; -6 finds no address at all", () => {
    expect(run(NODE, "node1", "ip -0 addr show eth1").stdout).toBe(
      lines(
        "2: eth1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000",
        "    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns node2",
      ),
    );
    expect(run(NODE, "node1", "ip -6 addr")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });

  it("-br: padded name and state, then every address", () => {
    expect(run(NODE, "node1", "ip -br addr").stdout).toBe(
      lines(
        "lo               UNKNOWN        127.0.0.1/8 ",
        "eth1@if2         UP             192.168.56.101/24 ",
        "cni0             UP             10.9.9.9/32 10.8.8.8/24 10.244.1.1/24 10.244.1.50/24 ",
        "veth1@if2        UP             ",
        "veth2@if2        LOWERLAYERDOWN ",
        "vA@vB            LOWERLAYERDOWN 192.0.2.1/24 ",
        "vB@vA            DOWN           ",
        "dead0            DOWN           198.18.0.1/24 ",
        "flannel.1        UNKNOWN        10.244.1.0/32 ",
      ),
    );
    expect(run(NODE, "node1", "ip -br -4 a").stdout).toBe(
      lines(
        "lo               UNKNOWN        127.0.0.1/8 ",
        "eth1@if2         UP             192.168.56.101/24 ",
        "cni0             UP             10.9.9.9/32 10.8.8.8/24 10.244.1.1/24 10.244.1.50/24 ",
        "vA@vB            LOWERLAYERDOWN 192.0.2.1/24 ",
        "dead0            DOWN           198.18.0.1/24 ",
        "flannel.1        UNKNOWN        10.244.1.0/32 ",
      ),
    );
    expect(run(PORTS, "n1", "ip -br addr").stdout).toBe(
      lines(
        "lo               UNKNOWN        127.0.0.1/8 ",
        "br0              UP             10.1.0.1/16 ",
        "brX              DOWN           ",
        "pA@pB            UP             ",
        "pB@pA            UP             ",
        "q1@if2           LOWERLAYERDOWN ",
        "q2@if3           UP             ",
        "vx0              UNKNOWN        ",
        "vx1              UNKNOWN        10.2.0.1/24 ",
      ),
    );
  });

  it("-o: one line per address, the lifetime after a backslash", () => {
    expect(run(NODE, "node1", "ip -o addr").stdout).toBe(
      lines(
        `1: lo    inet 127.0.0.1/8 scope host lo\\${LFT}`,
        `2: eth1    inet 192.168.56.101/24 brd 192.168.56.255 scope global eth1\\${LFT}`,
        `3: cni0    inet 10.9.9.9/32 scope host cni0\\${LFT}`,
        `3: cni0    inet 10.8.8.8/24 scope link cni0\\${LFT}`,
        `3: cni0    inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0\\${LFT}`,
        `3: cni0    inet 10.244.1.50/24 scope global secondary cni0\\${LFT}`,
        `6: vA    inet 192.0.2.1/24 brd 192.0.2.255 scope global vA\\${LFT}`,
        `8: dead0    inet 198.18.0.1/24 brd 198.18.0.255 scope global dead0\\${LFT}`,
        `9: flannel.1    inet 10.244.1.0/32 scope global flannel.1\\${LFT}`,
      ),
    );
  });

  it("a pod: its eth0 named after the host end's ifindex, the host namespace by name", () => {
    expect(run(NODE, "pod1", "ip addr").stdout).toBe(
      lines(
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
        "    inet 127.0.0.1/8 scope host lo",
        LFT,
        "2: eth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000",
        "    link/ether 0a:58:0a:f4:01:02 brd ff:ff:ff:ff:ff:ff link-netns node1",
        "    inet 10.244.1.2/24 brd 10.244.1.255 scope global eth0",
        LFT,
      ),
    );
    expect(run(NODE, "node1", "ip -n pod1 -br a").stdout).toBe(lines("lo               UNKNOWN        127.0.0.1/8 ", "eth0@if4         UP             10.244.1.2/24 "));
  });

  it("a NIC", () => {
    expect(run(NICS, "host", "ip addr show enp0s3").stdout).toBe(
      lines(
        "2: enp0s3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000",
        "    link/ether 08:00:27:00:01:03 brd ff:ff:ff:ff:ff:ff",
        "    inet 10.0.2.15/24 brd 10.0.2.255 scope global enp0s3",
        LFT,
      ),
    );
  });

  it("errors as ip prints them", () => {
    expect(run(NODE, "node1", "ip addr show nosuch")).toEqual({ stdout: "", stderr: 'Device "nosuch" does not exist.\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip addr show 10.244.1.2/24")).toEqual({ stdout: "", stderr: 'Device "10.244.1.2/24" does not exist.\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip addr foo")).toEqual({ stdout: "", stderr: 'Command "foo" is unknown, try "ip address help".\n', exitCode: 255 });
  });
});
