/**
 * `ip route get` (views/ip-route-get.ts): output lookups with their special cases, input
 * lookups (`from … iif …`), `fibmatch`, and the errors. Expected text as iproute2 6.1 and the
 * kernel printed it for the same state (see worlds.ts).
 */
import { describe, expect, it } from "vitest";
import { NICS, NODE, PORTS, lines, load, run } from "./worlds.js";

const ok = (...ls: string[]) => ({ stdout: lines(...ls), stderr: "", exitCode: 0 });
const rtnl = (msg: string) => ({ stdout: "", stderr: `RTNETLINK answers: ${msg}\n`, exitCode: 2 });

describe("ip route get, output lookups", () => {
  const cases: [string, ReturnType<typeof ok>][] = [
    ["10.244.2.2", ok("10.244.2.2 via 10.244.2.0 dev flannel.1 src 10.244.1.0 uid 0 ", "    cache ")],
    ["10.244.1.2", ok("10.244.1.2 dev cni0 src 10.244.1.1 uid 0 ", "    cache ")],
    ["10.244.1.1", ok("local 10.244.1.1 dev lo src 10.244.1.1 uid 0 ", "    cache <local> ")],
    ["10.9.9.9", ok("local 10.9.9.9 dev lo src 10.9.9.9 uid 0 ", "    cache <local> ")],
    ["127.0.0.1", ok("local 127.0.0.1 dev lo src 127.0.0.1 uid 0 ", "    cache <local> ")],
    ["127.0.0.7", ok("local 127.0.0.7 dev lo src 127.0.0.1 uid 0 ", "    cache <local> ")],
    ["10.244.1.255", ok("broadcast 10.244.1.255 dev cni0 src 10.244.1.1 uid 0 ", "    cache <local,brd> ")],
    ["255.255.255.255", ok("broadcast 255.255.255.255 dev eth1 src 192.168.56.101 uid 0 ", "    cache <local,brd> ")],
    ["8.8.8.8", ok("8.8.8.8 via 192.168.56.1 dev eth1 src 192.168.56.101 uid 0 ", "    cache ")],
    ["172.16.0.5", ok("172.16.0.5 dev cni0 src 10.244.1.1 uid 0 ", "    cache ")],
    ["172.16.1.5", ok("172.16.1.5 via 192.168.56.1 dev eth1 src 192.168.56.101 uid 0 ", "    cache ")],
    ["10.8.8.9", ok("10.8.8.9 dev cni0 src 10.8.8.8 uid 0 ", "    cache ")],
    ["203.0.113.9", ok("203.0.113.9 via 192.0.2.254 dev vA src 192.0.2.1 uid 0 ", "    cache ")],
    ["198.18.0.9", ok("198.18.0.9 dev dead0 src 198.18.0.1 uid 0 ", "    cache ")],
    ["0.0.0.0", ok("local 0.0.0.0 dev lo src 127.0.0.1 uid 0 ", "    cache <local> ")],
    ["default", ok("local 0.0.0.0 dev lo src 127.0.0.1 uid 0 ", "    cache <local> ")],
    ["224.0.0.1", ok("multicast 224.0.0.1 dev eth1 src 192.168.56.101 rt_offload_failed uid 0 ", "    cache <local,mc> ")],
    ["224.1.2.3", ok("multicast 224.1.2.3 dev eth1 src 192.168.56.101 rt_offload_failed uid 0 ", "    cache <mc> ")],
    ["to 8.8.8.8", ok("8.8.8.8 via 192.168.56.1 dev eth1 src 192.168.56.101 uid 0 ", "    cache ")],
    ["10", ok("10.0.0.0 via 192.168.56.1 dev eth1 src 192.168.56.101 uid 0 ", "    cache ")],
    ["8.8.8.8 uid 5", ok("8.8.8.8 via 192.168.56.1 dev eth1 src 192.168.56.101 uid 5 ", "    cache ")],
    ["8.8.8.8 from 10.244.1.1", ok("8.8.8.8 from 10.244.1.1 via 192.168.56.1 dev eth1 uid 0 ", "    cache ")],
    ["255.255.255.255 from 10.244.1.1", ok("broadcast 255.255.255.255 from 10.244.1.1 dev cni0 uid 0 ", "    cache <local,brd> ")],
    ["0.0.0.0 from 10.244.1.1", ok("local 0.0.0.0 from 10.244.1.1 dev lo uid 0 ", "    cache <local> ")],
    ["8.8.8.8 oif flannel.1", ok("8.8.8.8 dev flannel.1 src 10.244.1.0 uid 0 ", "    cache ")],
    ["8.8.8.8 oif cni0", ok("8.8.8.8 dev cni0 src 10.8.8.8 uid 0 ", "    cache ")],
    ["198.51.100.1 oif cni0", ok("198.51.100.1 dev cni0 src 10.8.8.8 uid 0 ", "    cache ")],
    ["10.244.1.1 oif flannel.1", ok("10.244.1.1 dev flannel.1 src 10.244.1.0 uid 0 ", "    cache ")],
    ["10.244.1.1 oif cni0", ok("local 10.244.1.1 dev lo src 10.244.1.1 uid 0 ", "    cache <local> ")],
    ["255.255.255.255 oif flannel.1", ok("broadcast 255.255.255.255 dev flannel.1 src 10.244.1.0 uid 0 ", "    cache <local,brd> ")],
  ];
  for (const [args, want] of cases) {
    it(`ip route get ${args}`, () => expect(run(NODE, "node1", `ip route get ${args}`)).toEqual(want));
  }

  it("abbreviations", () => {
    for (const cmd of ["ip r g 10.244.2.2", "ip ro get 10.244.2.2", "ip route g 10.244.2.2"]) {
      expect(run(NODE, "node1", cmd)).toEqual(cases[0]![1]);
    }
  });

  it("a prefix is read as its address, with iproute2's warning", () => {
    expect(run(NODE, "node1", "ip route get 10.0.0.0/24")).toEqual({
      stdout: lines("10.0.0.0 via 192.168.56.1 dev eth1 src 192.168.56.101 uid 0 ", "    cache "),
      stderr: "Warning: /24 as prefix is invalid, only /32 (or none) is supported.\n",
      exitCode: 0,
    });
  });

  it("route types and failed lookups become the kernel's errno", () => {
    expect(run(NODE, "node1", "ip route get 198.51.100.1")).toEqual(rtnl("No route to host"));
    expect(run(NODE, "node1", "ip route get 198.51.100.65")).toEqual(rtnl("Permission denied"));
    expect(run(NODE, "node1", "ip route get 198.51.100.129")).toEqual(rtnl("Invalid argument"));
    expect(run(NODE, "node1", "ip route get 198.51.100.193")).toEqual(rtnl("Network is unreachable"));
    expect(run(NODE, "node2", "ip route get 8.8.8.8")).toEqual(rtnl("Network is unreachable"));
    expect(run(PORTS, "n1", "ip route get 224.0.0.106")).toEqual(rtnl("Network is unreachable"));
  });

  it("a source must be a local unicast address; an output device must be up", () => {
    expect(run(NODE, "node1", "ip route get 8.8.8.8 from 1.2.3.4")).toEqual(rtnl("Network is unreachable"));
    expect(run(NODE, "node1", "ip route get 8.8.8.8 from 127.0.0.1")).toEqual(rtnl("Invalid argument"));
    expect(run(NODE, "node1", "ip route get 8.8.8.8 from 224.0.0.1")).toEqual(rtnl("Invalid argument"));
    expect(run(NODE, "node1", "ip route get 8.8.8.8 oif vB")).toEqual(rtnl("Network is unreachable"));
    expect(run(NICS, "host", "ip route get 10.0.2.99 oif enp0s8")).toEqual(rtnl("Network is unreachable"));
  });

  it("from a pod", () => {
    expect(run(NODE, "pod1", "ip route get 10.244.1.1")).toEqual(ok("10.244.1.1 dev eth0 src 10.244.1.2 uid 0 ", "    cache "));
    expect(run(NODE, "pod1", "ip route get 8.8.8.8")).toEqual(ok("8.8.8.8 via 10.244.1.1 dev eth0 src 10.244.1.2 uid 0 ", "    cache "));
  });
});

describe("ip route get, input lookups (from … iif …)", () => {
  it("forwards, delivers locally, takes broadcasts, and flags a redirect", () => {
    expect(run(NODE, "node1", "ip route get 8.8.8.8 from 10.244.1.2 iif cni0")).toEqual(ok("8.8.8.8 from 10.244.1.2 via 192.168.56.1 dev eth1 ", "    cache iif cni0 "));
    expect(run(NODE, "node1", "ip route get 10.244.2.5 from 10.244.1.2 iif cni0")).toEqual(ok("10.244.2.5 from 10.244.1.2 via 10.244.2.0 dev flannel.1 ", "    cache iif cni0 "));
    expect(run(NODE, "node1", "ip route get 10.244.1.7 from 10.244.1.2 iif cni0")).toEqual(ok("10.244.1.7 from 10.244.1.2 dev cni0 ", "    cache <redirect> iif cni0 "));
    expect(run(NODE, "node1", "ip route get 10.244.1.1 from 10.244.1.2 iif cni0")).toEqual(ok("local 10.244.1.1 from 10.244.1.2 dev lo ", "    cache <local> iif cni0 "));
    expect(run(NODE, "node1", "ip route get 10.244.1.255 from 10.244.1.2 iif cni0")).toEqual(ok("broadcast 10.244.1.255 from 10.244.1.2 dev lo ", "    cache <local,brd> iif cni0 "));
    expect(run(NODE, "node1", "ip route get 255.255.255.255 from 10.244.1.2 iif cni0")).toEqual(ok("broadcast 255.255.255.255 from 10.244.1.2 dev lo ", "    cache <local,brd> iif cni0 "));
    expect(run(NODE, "node1", "ip route get 255.255.255.255 iif cni0")).toEqual(ok("broadcast 255.255.255.255 dev lo ", "    cache <local,brd> iif cni0 "));
    expect(run(NODE, "node1", "ip route get 224.0.0.1 from 10.244.1.2 iif cni0")).toEqual(ok("multicast 224.0.0.1 from 10.244.1.2 dev lo rt_offload_failed ", "    cache <local,mc> iif cni0 "));
    expect(run(NODE, "node1", "ip route get 10.244.1.2 from 10.244.2.9 iif flannel.1")).toEqual(ok("10.244.1.2 from 10.244.2.9 dev cni0 ", "    cache iif flannel.1 "));
  });

  it("errors: route types, martians, and forwarding off", () => {
    expect(run(NODE, "node1", "ip route get 198.51.100.1 from 10.244.1.2 iif cni0")).toEqual(rtnl("No route to host"));
    expect(run(NODE, "node1", "ip route get 198.51.100.65 from 10.244.1.2 iif cni0")).toEqual(rtnl("Permission denied"));
    expect(run(NODE, "node1", "ip route get 198.51.100.129 from 10.244.1.2 iif cni0")).toEqual(rtnl("Invalid argument"));
    expect(run(NODE, "node1", "ip route get 198.51.100.193 from 10.244.1.2 iif cni0")).toEqual(rtnl("Network is unreachable"));
    expect(run(NODE, "node1", "ip route get 8.8.8.8 from 10.244.1.1 iif cni0")).toEqual(rtnl("Invalid argument"));
    expect(run(NODE, "node1", "ip route get 8.8.8.8 from 127.0.0.1 iif cni0")).toEqual(rtnl("Invalid argument"));
    expect(run(NODE, "node1", "ip route get 127.0.0.1 from 10.244.1.2 iif cni0")).toEqual(rtnl("Invalid argument"));
    expect(run(NODE, "node1", "ip route get 8.8.8.8 iif cni0")).toEqual(rtnl("Invalid argument"));
    // pod1 does not forward: the kernel answers EHOSTUNREACH.
    expect(run(NODE, "pod1", "ip route get 8.8.8.8 from 10.244.1.2 iif eth0")).toEqual(rtnl("No route to host"));
  });
});

describe("ip route get fibmatch", () => {
  it("prints the FIB entry the lookup matched", () => {
    expect(run(NODE, "node1", "ip route get fibmatch 10.244.1.1")).toEqual(ok("local 10.244.1.1 dev cni0 proto kernel scope host src 10.244.1.1 "));
    expect(run(NODE, "node1", "ip route get fibmatch 8.8.8.8")).toEqual(ok("default via 192.168.56.1 dev eth1 proto dhcp metric 100 "));
    expect(run(NODE, "node1", "ip route get fibmatch 192.0.2.5")).toEqual(ok("192.0.2.0/24 dev vA proto kernel scope link src 192.0.2.1 linkdown "));
    expect(run(NODE, "node1", "ip route get fibmatch 10.244.1.2 from 10.244.2.9 iif flannel.1")).toEqual(ok("10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 "));
    expect(run(NODE, "node1", "ip route get fibmatch 8.8.8.8 oif veth1")).toEqual(rtnl("No route to host"));
  });
});

describe("ip route get, command line errors", () => {
  it("as iproute2 words them", () => {
    expect(run(NODE, "node1", "ip route get")).toEqual({ stdout: "", stderr: "need at least a destination address\n", exitCode: 1 });
    expect(run(NODE, "node1", "ip route get foo")).toEqual({ stdout: "", stderr: 'Error: any valid prefix is expected rather than "foo".\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip route get 8.8.8.8 bogus")).toEqual({ stdout: "", stderr: 'Error: inet prefix is expected rather than "bogus".\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip -4 route get foo")).toEqual({ stdout: "", stderr: 'Error: inet prefix is expected rather than "foo".\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip -6 route get 8.8.8.8")).toEqual({ stdout: "", stderr: 'Error: inet6 prefix is expected rather than "8.8.8.8".\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip route get 8.8.8.8 from")).toEqual({ stdout: "", stderr: 'Command line is not complete. Try option "help"\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip route get 8.8.8.8 oif nosuch")).toEqual({ stdout: "", stderr: 'Cannot find device "nosuch"\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip route get 8.8.8.8 iif nosuch from 1.1.1.1")).toEqual({ stdout: "", stderr: 'Cannot find device "nosuch"\n', exitCode: 1 });
  });
});

describe("ip route get, source selection (inet_select_addr over the device's address order)", () => {
  // Observed on the test kernel with the same addresses and routes on a bridge.
  const SRC = load(`
name: source selection
namespaces:
  h:
    devices:
      br0: { type: bridge, mac: "02:b0:00:00:00:01" }
      p0: { type: veth, peer: g/e0, master: br0, mac: "02:0a:00:00:00:01" }
    addresses:
      br0: [{ addr: 10.244.1.1/24, brd: + }, { addr: 10.244.1.50/24 }, { addr: 10.9.9.9/32, scope: host }, { addr: 10.8.8.8/24, scope: link }]
    routes:
      - { dst: 172.16.0.0/12, dev: br0 }
      - { dst: 172.16.0.0/16, via: 10.244.1.2 }
  g:
    devices: { e0: { type: veth, peer: h/p0, mac: "02:0a:00:00:00:02" } }
`);
  it("a link-scope route takes the first link-scope primary; a gateway route the primary holding the gateway", () => {
    expect(run(SRC, "h", "ip route get 172.17.0.1")).toEqual(ok("172.17.0.1 dev br0 src 10.8.8.8 uid 0 ", "    cache "));
    expect(run(SRC, "h", "ip route get 172.16.1.1")).toEqual(ok("172.16.1.1 via 10.244.1.2 dev br0 src 10.244.1.1 uid 0 ", "    cache "));
  });
});
