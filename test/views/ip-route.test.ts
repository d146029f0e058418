/**
 * `ip route show` (views/ip-route.ts): the kernel's dump order, the fields a filter leaves
 * out, `linkdown`, tables. Expected text as iproute2 6.1 printed it for the same state (see
 * worlds.ts).
 */
import { describe, expect, it } from "vitest";
import { NICS, NODE, PORTS, lines, run } from "./worlds.js";

const MAIN = [
  "default via 192.168.56.1 dev eth1 proto dhcp metric 100 ",
  "10.8.8.0/24 dev cni0 proto kernel scope link src 10.8.8.8 ",
  "10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 ",
  "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ",
  "172.16.0.0/24 dev cni0 scope link src 10.244.1.1 ",
  "172.16.0.0/16 via 192.168.56.1 dev eth1 proto static metric 50 ",
  "172.16.0.0/16 via 192.168.56.2 dev eth1 metric 100 ",
  "192.0.2.0/24 dev vA proto kernel scope link src 192.0.2.1 linkdown ",
  "192.168.56.0/24 dev eth1 proto kernel scope link src 192.168.56.101 ",
  "198.18.0.0/24 dev dead0 proto kernel scope link src 198.18.0.1 linkdown ",
  "unreachable 198.51.100.0/26 ",
  "prohibit 198.51.100.64/26 ",
  "blackhole 198.51.100.128/26 ",
  "throw 198.51.100.192/26 ",
  "203.0.113.0/24 via 192.0.2.254 dev vA linkdown ",
];

describe("ip route show", () => {
  it("dumps table main in trie order: default first, by address, longer prefix first, then metric", () => {
    for (const cmd of ["ip route", "ip r", "ip ro sh", "ip route show", "ip route list", "ip r l", "ip route show table main", "ip route show table 254", "ip -4 route", "ip -o route"]) {
      expect(run(NODE, "node1", cmd)).toEqual({ stdout: lines(...MAIN), stderr: "", exitCode: 0 });
    }
  });

  it("table local (no `table` word) and table all (with it, table 100 before main before local)", () => {
    expect(run(PORTS, "n1", "ip route show table local").stdout).toBe(
      lines(
        "local 10.1.0.1 dev br0 proto kernel scope host src 10.1.0.1 ",
        "broadcast 10.1.255.255 dev br0 proto kernel scope link src 10.1.0.1 ",
        "local 10.2.0.1 dev vx1 proto kernel scope host src 10.2.0.1 ",
        "broadcast 10.2.0.255 dev vx1 proto kernel scope link src 10.2.0.1 ",
        "local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 ",
        "local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 ",
        "broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 ",
      ),
    );
    const all = run(NODE, "node1", "ip route show table all").stdout.split("\n");
    expect(all[0]).toBe("10.0.0.0/8 dev cni0 table 100 scope link ");
    expect(all.slice(1, 16)).toEqual(MAIN);
    expect(all.slice(16, 20)).toEqual([
      "local 10.8.8.8 dev cni0 table local proto kernel scope host src 10.8.8.8 ",
      "broadcast 10.8.8.255 dev cni0 table local proto kernel scope link src 10.8.8.8 ",
      "local 10.9.9.9 dev cni0 table local proto kernel scope host src 10.9.9.9 ",
      "local 10.244.1.0 dev flannel.1 table local proto kernel scope host src 10.244.1.0 ",
    ]);
    expect(all.slice(-4)).toEqual([
      "broadcast 192.168.56.255 dev eth1 table local proto kernel scope link src 192.168.56.101 ",
      "local 198.18.0.1 dev dead0 table local proto kernel scope host src 198.18.0.1 ",
      "broadcast 198.18.0.255 dev dead0 table local proto kernel scope link src 198.18.0.1 linkdown ",
      "",
    ]);
    expect(run(NODE, "node1", "ip route show table 100").stdout).toBe(lines("10.0.0.0/8 dev cni0 scope link "));
  });

  it("a table that was never created is an error from the kernel", () => {
    for (const t of ["default", "200"]) {
      expect(run(NODE, "node1", `ip route show table ${t}`)).toEqual({
        stdout: "",
        stderr: "Error: ipv4: FIB table does not exist.\nDump terminated\n",
        exitCode: 2,
      });
    }
  });

  it("filters leave out what they fixed", () => {
    expect(run(NODE, "node1", "ip route show dev cni0").stdout).toBe(
      lines("10.8.8.0/24 proto kernel scope link src 10.8.8.8 ", "10.244.1.0/24 proto kernel scope link src 10.244.1.1 ", "172.16.0.0/24 scope link src 10.244.1.1 "),
    );
    expect(run(NODE, "node1", "ip route show proto kernel").stdout).toBe(
      lines(
        "10.8.8.0/24 dev cni0 scope link src 10.8.8.8 ",
        "10.244.1.0/24 dev cni0 scope link src 10.244.1.1 ",
        "192.0.2.0/24 dev vA scope link src 192.0.2.1 linkdown ",
        "192.168.56.0/24 dev eth1 scope link src 192.168.56.101 ",
        "198.18.0.0/24 dev dead0 scope link src 198.18.0.1 linkdown ",
      ),
    );
    expect(run(NODE, "node1", "ip route show scope link").stdout).toBe(
      lines(
        "10.8.8.0/24 dev cni0 proto kernel src 10.8.8.8 ",
        "10.244.1.0/24 dev cni0 proto kernel src 10.244.1.1 ",
        "172.16.0.0/24 dev cni0 src 10.244.1.1 ",
        "192.0.2.0/24 dev vA proto kernel src 192.0.2.1 linkdown ",
        "192.168.56.0/24 dev eth1 proto kernel src 192.168.56.101 ",
        "198.18.0.0/24 dev dead0 proto kernel src 198.18.0.1 linkdown ",
      ),
    );
    expect(run(NODE, "node1", "ip route show type unreachable").stdout).toBe(lines("unreachable 198.51.100.0/26 "));
    expect(run(NODE, "node1", "ip route show via 192.168.56.1").stdout).toBe(lines("default dev eth1 proto dhcp metric 100 ", "172.16.0.0/16 dev eth1 proto static metric 50 "));
    expect(run(NODE, "node1", "ip route show metric 100").stdout).toBe(lines("default via 192.168.56.1 dev eth1 proto dhcp ", "172.16.0.0/16 via 192.168.56.2 dev eth1 "));
  });

  it("prefix selectors: exact (bare), match, root, default", () => {
    expect(run(NODE, "node1", "ip route show 172.16.0.0/16").stdout).toBe(lines(MAIN[5]!, MAIN[6]!));
    expect(run(NODE, "node1", "ip route show match 172.16.0.5").stdout).toBe(lines(MAIN[0]!, MAIN[4]!, MAIN[5]!, MAIN[6]!));
    expect(run(NODE, "node1", "ip route show root 172.16.0.0/12").stdout).toBe(lines(MAIN[4]!, MAIN[5]!, MAIN[6]!));
    expect(run(NODE, "node1", "ip route show default").stdout).toBe(lines(MAIN[0]!));
  });

  it("a pod and a NIC host", () => {
    expect(run(NODE, "pod1", "ip route").stdout).toBe(lines("default via 10.244.1.1 dev eth0 ", "10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 "));
    expect(run(NODE, "pod2", "ip route")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(run(NICS, "host", "ip route").stdout).toBe(lines("default via 10.0.2.2 dev enp0s3 proto dhcp metric 100 ", "10.0.2.0/24 dev enp0s3 proto kernel scope link src 10.0.2.15 "));
    expect(run(NODE, "node1", "ip -6 route")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });

  it("errors as ip prints them", () => {
    expect(run(NODE, "node1", "ip route show table foo")).toEqual({ stdout: "", stderr: 'Error: argument "foo" is wrong: table id value is invalid\n\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip route show bogus")).toEqual({ stdout: "", stderr: 'Error: any valid prefix is expected rather than "bogus".\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip -6 route show 10.0.0.0/8")).toEqual({ stdout: "", stderr: 'Error: inet6 prefix is expected rather than "10.0.0.0/8".\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip route show dev nosuch")).toEqual({ stdout: "", stderr: 'Cannot find device "nosuch"\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip route show table")).toEqual({ stdout: "", stderr: 'Command line is not complete. Try option "help"\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip route show scope foo")).toEqual({ stdout: "", stderr: 'Error: argument "foo" is wrong: invalid "scope"\n\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip route show type foo")).toEqual({ stdout: "", stderr: 'Error: argument "foo" is wrong: node type value is invalid\n\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip route show proto foo")).toEqual({ stdout: "", stderr: 'Error: argument "foo" is wrong: invalid "protocol"\n\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip route foo")).toEqual({ stdout: "", stderr: 'Command "foo" is unknown, try "ip route help".\n', exitCode: 255 });
  });
});
