/**
 * The structured form and its defaults: lo in every namespace, devices up, MACs left to the
 * seed, veth peers created in the other namespace, route/neighbour/fdb/probe defaults.
 */
import { describe, expect, it } from "vitest";
import { ipv4, parseIpv4 } from "../../src/core/ip.js";
import { TABLE_LOCAL, TABLE_MAIN } from "../../src/netns/spec.js";
import { loadOk, ns, oneNs } from "./helpers.js";

const ip = (s: string) => parseIpv4(s)!;

describe("namespaces", () => {
  it("start with lo (loopback, up, mtu 65536, zero MAC) and 127.0.0.1/8 scope host, first", () => {
    const w = loadOk("name: t\nnamespaces:\n  a: {}\n  b:\n");
    for (const n of w.namespaces) {
      expect(n.devices[0]).toMatchObject({ kind: "loopback", name: "lo", up: true, mtu: 65536, mac: "00:00:00:00:00:00" });
      expect(n.addresses[0]).toMatchObject({ dev: "lo", addr: ip("127.0.0.1"), len: 8, scope: "host" });
      expect(n.addresses[0]!.broadcast).toBeUndefined();
    }
    expect(w.namespaces.map((n) => n.name)).toEqual(["a", "b"]);
    expect(w.seed).toBe("1");
    expect(w.probes).toEqual([]);
  });

  it("keeps the seed as a string and places items", () => {
    const w = loadOk("name: t\nseed: 42\nsegments: [lan]\nnamespaces:\n  a: {}\n");
    expect(w.seed).toBe("42");
    expect(w.segments).toEqual([{ name: "lan", at: { file: "test.yaml", line: 3, column: 12 } }]);
    expect(ns(w, "a").at).toEqual({ file: "test.yaml", line: 5, column: 3 });
  });
});

describe("devices", () => {
  it("default to up with no MAC and no MTU", () => {
    const w = loadOk(oneNs("devices:\n  eth0: { type: nic, segment: lan }\n  br0: { type: bridge, up: false }"));
    const [, eth0, br0] = ns(w, "h").devices;
    expect(eth0).toEqual({ kind: "nic", name: "eth0", segment: "lan", up: true, at: { file: "test.yaml", line: 6, column: 7 } });
    expect(br0).toMatchObject({ kind: "bridge", up: false });
    expect(eth0!.mac).toBeUndefined();
  });

  it("create the veth peer in the other namespace, each end naming the other", () => {
    const w = loadOk(
      "name: t\nnamespaces:\n  host:\n    devices:\n      br0: { type: bridge }\n      veth1: { type: veth, peer: pod/eth0, master: br0 }\n  pod: {}\n",
    );
    expect(ns(w, "host").devices[2]).toMatchObject({ kind: "veth", name: "veth1", peer: { netns: "pod", name: "eth0" }, master: "br0", up: true });
    expect(ns(w, "pod").devices[1]).toMatchObject({ kind: "veth", name: "eth0", peer: { netns: "host", name: "veth1" }, up: true });
  });

  it("let the peer's own entry set its mac, mtu and up", () => {
    const w = loadOk(
      "name: t\nnamespaces:\n  host:\n    devices:\n      veth1: { type: veth, peer: pod/eth0 }\n  pod:\n    devices:\n      eth0: { type: veth, peer: host/veth1, mac: \"02:00:00:00:00:05\", mtu: 1450, up: false }\n",
    );
    expect(ns(w, "pod").devices[1]).toMatchObject({ name: "eth0", mac: "02:00:00:00:00:05", mtu: 1450, up: false, at: { line: 8, column: 7 } });
    expect(ns(w, "pod").devices).toHaveLength(2);
  });

  it("let lo's own entry change its mtu but not add a second lo", () => {
    const n = ns(loadOk(oneNs("devices:\n  lo: { type: loopback, mtu: 16384 }")), "h");
    expect(n.devices).toHaveLength(1);
    expect(n.devices[0]).toMatchObject({ kind: "loopback", name: "lo", mtu: 16384, up: true });
  });

  it("give vxlan the kernel defaults (dstport 8472, learning on) and bind the underlay", () => {
    const w = loadOk(oneNs("devices:\n  vx0: { type: vxlan, id: 1, dev: eth0 }\n  eth0: { type: nic, segment: lan }"));
    const vx = ns(w, "h").devices.find((d) => d.name === "vx0");
    expect(vx).toMatchObject({ kind: "vxlan", vni: 1, dstport: 8472, learning: true, dev: "eth0" });
    expect(vx).not.toHaveProperty("local");
  });

  it("record hairpin ports on the bridge", () => {
    const w = loadOk(oneNs("devices:\n  br0: { type: bridge, hairpin: [v1] }\n  v1: { type: veth, peer: v2, master: br0 }"));
    expect(ns(w, "h").devices[1]).toMatchObject({ kind: "bridge", hairpin: ["v1"] });
    expect(ns(w, "h").devices.map((d) => d.name)).toEqual(["lo", "br0", "v1", "v2"]);
  });
});

describe("addresses", () => {
  it("accept addr/len, a bare address (/32) and the long form with brd and scope", () => {
    const w = loadOk(
      oneNs("devices:\n  eth0: { type: nic, segment: lan }\naddresses:\n  eth0: [10.0.0.1/24, 10.0.0.9, { addr: 10.0.1.1/24, brd: +, scope: link }]\n  lo: 127.0.0.2/8"),
    );
    const a = ns(w, "h").addresses;
    expect(a.slice(1).map(({ at: _at, ...x }) => x)).toEqual([
      { dev: "eth0", addr: ip("10.0.0.1"), len: 24, scope: "universe" },
      { dev: "eth0", addr: ip("10.0.0.9"), len: 32, scope: "universe" },
      { dev: "eth0", addr: ip("10.0.1.1"), len: 24, scope: "link", broadcast: ip("10.0.1.255") },
      { dev: "lo", addr: ip("127.0.0.2"), len: 8, scope: "host" },
    ]);
  });
});

describe("routes", () => {
  const host = "devices:\n  eth0: { type: nic, segment: lan }\naddresses:\n  eth0: [10.0.0.1/24]\n";

  it("default like ip route add: table main, proto boot, metric 0, scope by nexthop and type", () => {
    const w = loadOk(
      oneNs(
        host +
          "routes:\n" +
          "  - { dst: default, via: 10.0.0.254 }\n" +
          "  - { dst: 10.9.0.0/16, dev: eth0 }\n" +
          "  - { dst: 10.8.0.0/16, type: blackhole }\n" +
          "  - { dst: 10.0.0.77, type: local, dev: eth0 }\n" +
          "  - { dst: 10.7.0.0/16, via: 10.0.0.1, table: 100, metric: 5, proto: 4 }",
      ),
    );
    const r = ns(w, "h").routes.map(({ at: _at, ...x }) => x);
    expect(r).toEqual([
      { table: TABLE_MAIN, type: "unicast", dst: 0, len: 0, via: ip("10.0.0.254"), dev: "eth0", metric: 0, scope: "universe", proto: "boot", onlink: false },
      { table: TABLE_MAIN, type: "unicast", dst: ip("10.9.0.0"), len: 16, dev: "eth0", metric: 0, scope: "link", proto: "boot", onlink: false },
      { table: TABLE_MAIN, type: "blackhole", dst: ip("10.8.0.0"), len: 16, metric: 0, scope: "universe", proto: "boot", onlink: false },
      { table: TABLE_LOCAL, type: "local", dst: ip("10.0.0.77"), len: 32, dev: "eth0", metric: 0, scope: "host", proto: "boot", onlink: false },
      { table: 100, type: "unicast", dst: ip("10.7.0.0"), len: 16, via: ip("10.0.0.1"), dev: "eth0", metric: 5, scope: "universe", proto: "static", onlink: false },
    ]);
  });
});

describe("neighbours, fdb, sysctls, listeners", () => {
  it("default neighbours to permanent, fdb to self on vxlan and master on a bridge port", () => {
    const w = loadOk(
      oneNs(
        "devices:\n  eth0: { type: nic, segment: lan }\n  vx0: { type: vxlan, id: 1, dev: eth0 }\n  br0: { type: bridge }\n  v1: { type: veth, peer: v2, master: br0 }\n" +
          "neighbours:\n  - { ip: 10.0.0.2, dev: eth0, mac: \"02:00:00:00:00:02\" }\n" +
          "fdb:\n  - { mac: \"00:00:00:00:00:00\", dev: vx0, dst: 10.0.0.2 }\n  - { mac: \"00:00:00:00:00:00\", dev: vx0, dst: 10.0.0.3 }\n  - { mac: \"02:00:00:00:00:09\", dev: v1, permanent: false }\n" +
          "sysctls: { net.ipv4.ip_forward: 1, net/ipv4/conf/all/rp_filter: \"2\" }\n" +
          "listeners:\n  - { kind: http, port: 80 }\n  - { kind: udp, port: 80, addr: 127.0.0.1, body: pong }",
      ),
    );
    const h = ns(w, "h");
    expect(h.neighbours[0]).toMatchObject({ ip: ip("10.0.0.2"), dev: "eth0", mac: "02:00:00:00:00:02", state: "permanent" });
    expect(h.fdb.map(({ at: _at, ...f }) => f)).toEqual([
      { mac: "00:00:00:00:00:00", dev: "vx0", dst: ip("10.0.0.2"), self: true, master: false, permanent: true },
      { mac: "00:00:00:00:00:00", dev: "vx0", dst: ip("10.0.0.3"), self: true, master: false, permanent: true },
      { mac: "02:00:00:00:00:09", dev: "v1", self: false, master: true, permanent: false },
    ]);
    expect(h.sysctls).toEqual({ "net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": "2" });
    expect(h.listeners.map(({ at: _at, ...l }) => l)).toEqual([
      { kind: "http", port: 80, body: "" },
      { kind: "udp", port: 80, addr: ipv4(0x7f000001), body: "pong" },
    ]);
  });
});

describe("probes", () => {
  it("map from/run/expect and default kernel to true", () => {
    const w = loadOk(
      "name: t\nnamespaces:\n  a: {}\nprobes:\n" +
        "  - { name: one, from: a, run: ping -c1 127.0.0.1, expect: { exit: 0, stdout: [\"1 received\"], stderr: oops, outcome: delivered } }\n" +
        "  - { name: two, from: a, run: ip route, kernel: false }\n",
    );
    expect(w.probes).toEqual([
      {
        name: "one",
        netns: "a",
        command: "ping -c1 127.0.0.1",
        expect: { exit: 0, stdoutContains: ["1 received"], stderrContains: ["oops"], outcome: "delivered" },
        kernel: true,
        at: { file: "test.yaml", line: 5, column: 5 },
      },
      { name: "two", netns: "a", command: "ip route", expect: {}, kernel: false, at: { file: "test.yaml", line: 6, column: 5 } },
    ]);
  });
});
