/**
 * The command-line form: every modelled command, the abbreviations people paste, the kernel's
 * answers (File exists, Invalid prefix, Nexthop has invalid gateway, …) and syntax errors placed
 * on the offending token. In `commands(...)`, command i sits on line 6 + i and its first
 * character on column 10, so the token at index k of a command is at column 10 + k.
 */
import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../../src/core/ip.js";
import { TABLE_LOCAL, TABLE_MAIN } from "../../src/netns/spec.js";
import { commands, issuesOf, loadOk, ns, where } from "./helpers.js";

const ip = (s: string) => parseIpv4(s)!;
const h = (...lines: string[]) => ns(loadOk(commands(...lines)), "h");
const col = (line: string, token: string) => 10 + line.indexOf(token);

const NIC = ["ip link add eth0 type nic segment lan", "ip addr add 10.0.0.1/24 dev eth0", "ip link set eth0 up"];

describe("ip link add", () => {
  it("creates devices down, and `ip link set X up` brings them up", () => {
    const n = h("ip link add br0 type bridge", "ip link add br1 type bridge", "ip link set br1 up");
    expect(n.devices.slice(1).map((d) => [d.name, d.kind, d.up])).toEqual([
      ["br0", "bridge", false],
      ["br1", "bridge", true],
    ]);
  });

  it("creates both ends of a veth, each naming its peer, in another namespace with netns", () => {
    const w = loadOk("name: t\nnamespaces:\n  h:\n    commands:\n      - ip link add veth1 type veth peer name eth0 netns pod\n      - ip link add a type veth peer b\n  pod: {}\n");
    expect(ns(w, "h").devices.slice(1)).toMatchObject([
      { kind: "veth", name: "veth1", up: false, peer: { netns: "pod", name: "eth0" } },
      { kind: "veth", name: "a", peer: { netns: "h", name: "b" } },
      { kind: "veth", name: "b", peer: { netns: "h", name: "a" } },
    ]);
    expect(ns(w, "pod").devices[1]).toMatchObject({ kind: "veth", name: "eth0", up: false, peer: { netns: "h", name: "veth1" } });
  });

  it("accepts name/address/mtu/master/up before type and address/mtu on the peer", () => {
    const n = h(
      "ip link add br0 type bridge",
      "ip l add name v1 address 02:00:00:00:00:01 mtu 1400 master br0 up type veth peer name v2 address 02:00:00:00:00:02 mtu 1300",
    );
    expect(n.devices[2]).toMatchObject({ name: "v1", mac: "02:00:00:00:00:01", mtu: 1400, master: "br0", up: true });
    expect(n.devices[3]).toMatchObject({ name: "v2", mac: "02:00:00:00:00:02", mtu: 1300, up: false });
  });

  it("makes vxlan with its options and the kernel defaults", () => {
    const n = h(...NIC, "ip link add vx0 type vxlan id 1 local 10.0.0.1 dev eth0 dstport 4789 nolearning", "ip link add vx1 type vxlan vni 2");
    expect(n.devices[2]).toMatchObject({ kind: "vxlan", vni: 1, local: ip("10.0.0.1"), dev: "eth0", dstport: 4789, learning: false, up: false });
    expect(n.devices[3]).toMatchObject({ kind: "vxlan", vni: 2, dstport: 8472, learning: true });
  });

  it("refuses a second device of the same name and a VNI already in use", () => {
    const lines = ["ip link add br0 type bridge", "ip link add br0 type bridge", "ip link add vx0 type vxlan id 7", "ip link add vx1 type vxlan id 7"];
    expect(where(issuesOf(commands(...lines)))).toEqual([
      ["duplicate-device", 7, col(lines[1]!, "br0")],
      ["vni-in-use", 9, col(lines[3]!, "7")],
    ]);
  });

  it("refuses a veth peer in an undeclared namespace, pointing at it", () => {
    const lines = ["ip link add v1 type veth peer name v2 netns ghost", "ip link add v3 type veth peer name v4", "ip link set v3 netns ghost"];
    const issues = issuesOf(commands(...lines));
    expect(where(issues)).toEqual([
      ["unknown-namespace", 6, col(lines[0]!, "ghost")],
      ["unknown-namespace", 8, col(lines[2]!, "ghost")],
    ]);
    expect(issues[0]!.message).toContain('declare it under "namespaces"');
  });

  it("says which type it did not understand and which it expects", () => {
    const line = "ip link add d0 type dummy";
    const issues = issuesOf(commands(line));
    expect(where(issues)).toEqual([["bad-value", 6, col(line, "dummy")]]);
    expect(issues[0]!.message).toBe('unknown device type "dummy"; expected one of: veth, bridge, vxlan, nic');
  });
});

describe("ip link set", () => {
  it("takes dev optionally and several options at once", () => {
    const n = h("ip link add br0 type bridge", "ip link add v1 type veth peer name v2", "ip link set dev v1 master br0 mtu 9000 address 02:00:00:00:00:09 up", "ip link set v2 up");
    expect(n.devices.find((d) => d.name === "v1")).toMatchObject({ master: "br0", mtu: 9000, mac: "02:00:00:00:00:09", up: true });
    expect(n.devices.find((d) => d.name === "v2")).toMatchObject({ up: true });
  });

  it("nomaster releases the port and its hairpin flag", () => {
    const n = h("ip link add br0 type bridge", "ip link add v1 type veth peer name v2", "ip link set v1 master br0", "bridge link set dev v1 hairpin on", "ip link set v1 nomaster");
    expect(n.devices.find((d) => d.name === "v1")?.master).toBeUndefined();
    expect(n.devices.find((d) => d.name === "br0")).not.toHaveProperty("hairpin");
  });

  it("down flushes the routes and neighbours on the device, as the kernel does", () => {
    const n = h(...NIC, "ip route add 10.9.0.0/16 via 10.0.0.254", "ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev eth0", "ip link set eth0 down");
    expect(n.routes).toEqual([]);
    expect(n.neighbours).toEqual([]);
    expect(n.addresses.map((a) => a.dev)).toEqual(["lo", "eth0"]);
  });

  it("netns moves a veth end: closed, addresses dropped, peer pointer updated", () => {
    const w = loadOk(
      "name: t\nnamespaces:\n  h:\n    commands:\n      - ip link add v1 type veth peer name v2\n      - ip addr add 10.0.0.2/24 dev v2\n      - ip link set v2 up\n      - ip link set v2 netns pod\n  pod: {}\n",
    );
    expect(ns(w, "h").devices.map((d) => d.name)).toEqual(["lo", "v1"]);
    expect(ns(w, "h").devices[1]).toMatchObject({ peer: { netns: "pod", name: "v2" } });
    expect(ns(w, "pod").devices[1]).toMatchObject({ name: "v2", up: false, peer: { netns: "h", name: "v1" } });
    expect(ns(w, "h").addresses.map((a) => a.dev)).toEqual(["lo"]);
  });

  it("refuses a master that is not a bridge, lo as a port, and a bridge in a bridge", () => {
    const lines = ["ip link add br0 type bridge", "ip link add br1 type bridge", "ip link add v1 type veth peer name v2", "ip link set v1 master v2", "ip link set lo master br0", "ip link set br1 master br0", "ip link set v1 master br9"];
    expect(where(issuesOf(commands(...lines)))).toEqual([
      ["not-a-bridge", 9, col(lines[3]!, "v2")],
      ["not-supported", 10, col(lines[4]!, "br0")],
      ["not-supported", 11, col(lines[5]!, "br0")],
      ["unknown-bridge", 12, col(lines[6]!, "br9")],
    ]);
  });

  it("a refused command changes nothing (mtu stays when master fails)", () => {
    const text = commands("ip link add v1 type veth peer name v2", "ip link set v1 mtu 1400 master nosuch");
    expect(where(issuesOf(text))).toEqual([["unknown-bridge", 7, col("ip link set v1 mtu 1400 master nosuch", "nosuch")]]);
    const n = h("ip link add v1 type veth peer name v2", "ip link set v1 mtu 1400");
    expect(n.devices[1]!.mtu).toBe(1400);
  });

  it("refuses an MTU out of range and a multicast MAC", () => {
    const lines = ["ip link add v1 type veth peer name v2", "ip link set v1 mtu 67", "ip link set v1 address 01:00:5e:00:00:01", "ip link set lo mtu 70000"];
    const issues = issuesOf(commands(...lines));
    expect(where(issues)).toEqual([
      ["out-of-range", 7, col(lines[1]!, "67")],
      ["invalid-mac", 8, col(lines[2]!, "01:")],
    ]);
    expect(issues[0]!.message).toContain("mtu less than device minimum");
  });
});

describe("ip addr", () => {
  it("accepts ip a / ip addr / ip address, bare addresses, brd, scope and local", () => {
    const n = h(
      "ip link add eth0 type nic segment lan",
      "ip a add 10.0.0.1/24 dev eth0",
      "ip addr add 10.0.1.1/24 brd + dev eth0",
      "ip address add local 10.0.2.1/24 broadcast 10.0.2.7 scope link dev eth0",
      "ip a a 10.0.3.1 dev eth0",
      "ip addr add 127.0.0.2/8 dev lo",
    );
    expect(n.addresses.slice(1).map(({ at: _at, ...a }) => a)).toEqual([
      { dev: "eth0", addr: ip("10.0.0.1"), len: 24, scope: "universe" },
      { dev: "eth0", addr: ip("10.0.1.1"), len: 24, scope: "universe", broadcast: ip("10.0.1.255") },
      { dev: "eth0", addr: ip("10.0.2.1"), len: 24, scope: "link", broadcast: ip("10.0.2.7") },
      { dev: "eth0", addr: ip("10.0.3.1"), len: 32, scope: "universe" },
      { dev: "lo", addr: ip("127.0.0.2"), len: 8, scope: "host" },
    ]);
  });

  it("refuses the same address and length twice, allows another length, replace updates", () => {
    const lines = ["ip link add eth0 type nic segment lan", "ip addr add 10.0.0.1/24 dev eth0", "ip addr add 10.0.0.1/24 dev eth0", "ip addr add 10.0.0.1/25 dev eth0", "ip addr replace 10.0.0.1/24 scope link dev eth0"];
    const issues = issuesOf(commands(...lines));
    expect(where(issues)).toEqual([["duplicate-address", 8, col(lines[2]!, "10.0")]]);
    expect(issues[0]!.message).toContain("Address already assigned");
    const n = h(...lines.filter((_, i) => i !== 2));
    expect(n.addresses.slice(1).map((a) => [a.len, a.scope])).toEqual([
      [24, "link"],
      [25, "universe"],
    ]);
  });

  it("needs dev, and names a bad prefix", () => {
    const lines = ["ip addr add 10.0.0.1/24", "ip addr add 10.0.0.1/33 dev lo"];
    expect(where(issuesOf(commands(...lines)))).toEqual([
      ["missing-argument", 6, 10 + lines[0]!.length],
      ["expected-prefix", 7, col(lines[1]!, "10.")],
    ]);
  });
});

describe("ip route", () => {
  it("fills in iproute2's defaults", () => {
    const n = h(...NIC, "ip route add default via 10.0.0.254", "ip route add 10.9.0.0/16 dev eth0", "ip route add local 10.0.0.77 dev eth0", "ip route add blackhole 10.8.0.0/16");
    expect(n.routes.map(({ at: _at, ...r }) => r)).toEqual([
      { table: TABLE_MAIN, type: "unicast", dst: 0, len: 0, via: ip("10.0.0.254"), dev: "eth0", metric: 0, scope: "universe", proto: "boot", onlink: false },
      { table: TABLE_MAIN, type: "unicast", dst: ip("10.9.0.0"), len: 16, dev: "eth0", metric: 0, scope: "link", proto: "boot", onlink: false },
      { table: TABLE_LOCAL, type: "local", dst: ip("10.0.0.77"), len: 32, dev: "eth0", metric: 0, scope: "host", proto: "boot", onlink: false },
      { table: TABLE_MAIN, type: "blackhole", dst: ip("10.8.0.0"), len: 16, metric: 0, scope: "universe", proto: "boot", onlink: false },
    ]);
  });

  it("accepts ip r / ip ro, to, priority, table, proto, src, scope, onlink in any order", () => {
    const n = h(
      ...NIC,
      "ip r add to 10.1.0.0/16 via 10.0.0.254 priority 50",
      "ip ro add 10.2.0.0/16 table 100 proto static dev eth0 src 10.0.0.1 scope link",
      "ip route add 10.3.0.0/16 dev eth0 via 10.9.9.9 onlink metric 7 protocol dhcp",
      "ip route add unreachable 10.4.0.0/16 table local",
    );
    expect(n.routes.map((r) => [r.dst, r.metric, r.table, r.proto, r.scope, r.onlink, r.src, r.dev])).toEqual([
      [ip("10.1.0.0"), 50, TABLE_MAIN, "boot", "universe", false, undefined, "eth0"],
      [ip("10.2.0.0"), 0, 100, "static", "link", false, ip("10.0.0.1"), "eth0"],
      [ip("10.3.0.0"), 7, TABLE_MAIN, "dhcp", "universe", true, undefined, "eth0"],
      [ip("10.4.0.0"), 0, TABLE_LOCAL, "boot", "universe", false, undefined, undefined],
    ]);
  });

  it("refuses host bits like the kernel, pointing at the prefix", () => {
    const line = "ip route add 10.244.1.1/24 dev lo";
    const issues = issuesOf(commands(line));
    expect(where(issues)).toEqual([["invalid-prefix", 6, col(line, "10.244")]]);
    expect(issues[0]!.message).toContain("Invalid prefix for given prefix length");
  });

  it("add on an existing (table, dst/len, metric) is File exists whatever the type; replace and append work", () => {
    const lines = [
      ...NIC,
      "ip route add 10.1.0.0/16 via 10.0.0.254",
      "ip route add blackhole 10.1.0.0/16",
      "ip route add blackhole 10.1.0.0/16 metric 5",
      "ip route append 10.1.0.0/16 via 10.0.0.253",
      "ip route append 10.1.0.0/16 via 10.0.0.253",
      "ip route replace unreachable 10.1.0.0/16 metric 5",
    ];
    const issues = issuesOf(commands(...lines));
    expect(where(issues)).toEqual([
      ["file-exists", 10, col(lines[4]!, "10.1")],
      ["file-exists", 13, col(lines[7]!, "10.1")],
    ]);
    const n = h(...lines.filter((_, i) => i !== 4 && i !== 7));
    expect(n.routes.map((r) => [r.type, r.metric, r.via])).toEqual([
      ["unicast", 0, ip("10.0.0.254")],
      ["unreachable", 5, undefined],
      ["unicast", 0, ip("10.0.0.253")],
    ]);
  });

  it("checks the nexthop as fib_check_nh does", () => {
    const lines = [
      "ip link add eth0 type nic segment lan",
      "ip addr add 10.0.0.1/24 dev eth0",
      "ip route add 10.5.0.0/16 dev eth0", // device still down
      "ip route add 10.6.0.0/16 via 10.0.0.254", // connected route only exists once eth0 is up
      "ip link set eth0 up",
      "ip route add 10.7.0.0/16 via 192.168.1.1", // not reachable
      "ip route add 10.8.0.0/16 via 10.0.0.254 src 10.0.0.2", // not our address
      "ip route add unreachable 10.9.0.0/16 dev eth0",
      "ip route add 10.10.0.0/16 dev eth9",
      "ip route add 10.11.0.0/16",
      "ip route add 10.12.0.0/16 dev eth0 onlink",
      "ip route add 10.13.0.0/16 via 10.0.0.254", // fine now
    ];
    expect(where(issuesOf(commands(...lines)))).toEqual([
      ["nexthop-device-down", 8, col(lines[2]!, "eth0")],
      ["invalid-gateway", 9, col(lines[3]!, "10.0.0.254")],
      ["invalid-gateway", 11, col(lines[5]!, "192.")],
      ["invalid-prefsrc", 12, col(lines[6]!, "src") + 4],
      ["route-type-nexthop", 13, col(lines[7]!, "eth0")],
      ["unknown-device", 14, col(lines[8]!, "eth9")],
      ["no-such-device", 15, 10],
      ["invalid-flags", 16, col(lines[10]!, "onlink")],
    ]);
  });

  it("finds the gateway through an earlier device route and takes its device", () => {
    const n = h(...NIC, "ip route add 192.168.5.0/24 dev eth0", "ip route add 10.20.0.0/16 via 192.168.5.1");
    expect(n.routes[1]).toMatchObject({ via: ip("192.168.5.1"), dev: "eth0" });
  });
});

describe("ip neigh", () => {
  it("accepts ip n / neighbour / neighbor, defaults nud to permanent", () => {
    const n = h(...NIC, "ip n add 10.0.0.5 lladdr 02:00:00:00:00:05 dev eth0", "ip neighbour add 10.0.0.6 lladdr 02:00:00:00:00:06 dev eth0 nud reachable", "ip neighbor replace 10.0.0.5 lladdr 02:00:00:00:00:55 dev eth0 nud stale");
    expect(n.neighbours.map((x) => [x.ip, x.mac, x.state])).toEqual([
      [ip("10.0.0.5"), "02:00:00:00:00:55", "stale"],
      [ip("10.0.0.6"), "02:00:00:00:00:06", "reachable"],
    ]);
  });

  it("refuses an entry twice and one without lladdr", () => {
    const lines = [...NIC, "ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev eth0", "ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:06 dev eth0", "ip neigh add 10.0.0.7 dev eth0", "ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev eth0 nud probe"];
    const issues = issuesOf(commands(...lines));
    expect(where(issues)).toEqual([
      ["file-exists", 10, col(lines[4]!, "10.0.0.5")],
      ["missing-lladdr", 11, 10 + lines[5]!.length],
      ["bad-value", 12, col(lines[6]!, "probe")],
    ]);
    expect(issues[1]!.message).toContain("No link layer address given");
  });
});

describe("bridge", () => {
  const ports = ["ip link add br0 type bridge", "ip link add v1 type veth peer name v2", "ip link set v1 master br0", ...NIC, "ip link add vx0 type vxlan id 1 dev eth0"];

  it("fdb defaults to self permanent on vxlan and master permanent on a bridge port", () => {
    const n = h(
      ...ports,
      "bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2",
      "bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3",
      "bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3",
      "bridge fdb add 02:00:00:00:00:07 dev v1 static",
      "bridge fdb add 02:00:00:00:00:08 dev v1 master dynamic",
      "bridge fdb replace 02:00:00:00:00:09 dev vx0 dst 10.0.0.4 self permanent",
    );
    expect(n.fdb.map(({ at: _at, ...f }) => f)).toEqual([
      { dev: "vx0", mac: "00:00:00:00:00:00", dst: ip("10.0.0.2"), self: true, master: false, permanent: true },
      { dev: "vx0", mac: "00:00:00:00:00:00", dst: ip("10.0.0.3"), self: true, master: false, permanent: true },
      { dev: "v1", mac: "02:00:00:00:00:07", self: false, master: true, permanent: true },
      { dev: "v1", mac: "02:00:00:00:00:08", self: false, master: true, permanent: false },
      { dev: "vx0", mac: "02:00:00:00:00:09", dst: ip("10.0.0.4"), self: true, master: false, permanent: true },
    ]);
  });

  it("fdb add of a known MAC is File exists; a non-port has no FDB", () => {
    const lines = [...ports, "bridge fdb add 02:00:00:00:00:09 dev vx0 dst 10.0.0.3", "bridge fdb add 02:00:00:00:00:09 dev vx0 dst 10.0.0.4", "bridge fdb add 02:00:00:00:00:0a dev v2"];
    expect(where(issuesOf(commands(...lines)))).toEqual([
      ["file-exists", 6 + 8, col(lines[8]!, "02:")],
      ["not-a-bridge-port", 6 + 9, col(lines[9]!, "v2")],
    ]);
  });

  it("bridge link set turns hairpin on and off; only on a port", () => {
    expect(h(...ports, "bridge link set dev v1 hairpin on").devices[1]).toMatchObject({ name: "br0", hairpin: ["v1"] });
    expect(h(...ports, "bridge link set dev v1 hairpin on", "bridge link set dev v1 hairpin off").devices[1]).not.toHaveProperty("hairpin");
    const line = "bridge link set dev v2 hairpin on";
    expect(where(issuesOf(commands(...ports, line)))).toEqual([["not-a-bridge-port", 6 + ports.length, col(line, "v2")]]);
  });
});

describe("sysctl", () => {
  it("accepts -w, none, -q, several pairs and /proc/sys paths", () => {
    const n = h("sysctl -w net.ipv4.ip_forward=1", "sysctl net.ipv4.tcp_syn_retries=2", "sysctl -qw net/ipv4/conf/all/rp_filter=0 net.ipv4.conf.default.rp_filter=0", "sudo sysctl -w net.ipv4.ip_local_port_range=\"32768 60999\"");
    expect(n.sysctls).toEqual({
      "net.ipv4.ip_forward": "1",
      "net.ipv4.tcp_syn_retries": "2",
      "net.ipv4.conf.all.rp_filter": "0",
      "net.ipv4.conf.default.rp_filter": "0",
      "net.ipv4.ip_local_port_range": "32768 60999",
    });
  });

  it("refuses reading a sysctl", () => {
    expect(where(issuesOf(commands("sysctl net.ipv4.ip_forward")))).toEqual([["unexpected-token", 6, 17]]);
  });
});

describe("syntax errors point at the token", () => {
  it("unknown commands, objects and verbs, stray words, missing arguments, quotes", () => {
    const lines = [
      "nft add rule inet filter input drop",
      "ip rule add from all lookup 100",
      "ip route del 10.0.0.0/8",
      "ip route add 10.0.0.0/8 dev lo vía 1.2.3.4",
      "ip link add v0 type veth",
      "ip link set",
      "ip addr add 10.0.0.1/24 dev 'lo",
      "sudo ip -6 route",
    ];
    const issues = issuesOf(commands(...lines));
    expect(where(issues)).toEqual([
      ["unknown-command", 6, 10],
      ["unknown-command", 7, col(lines[1]!, "rule")],
      ["unknown-command", 8, col(lines[2]!, "del")],
      ["unexpected-token", 9, col(lines[3]!, "vía")],
      ["missing-argument", 10, 10 + lines[4]!.length],
      ["missing-argument", 11, 10 + lines[5]!.length],
      ["unexpected-token", 12, col(lines[6]!, "'lo")],
      ["unexpected-token", 13, col(lines[7]!, "-6")],
    ]);
    expect(issues[0]!.message).toBe('unknown command "nft"; expected one of: ip, bridge, sysctl, iptables');
    expect(issues[1]!.message).toBe('"ip rule" is not modelled; expected one of: link, address, route, neigh');
    expect(issues[3]!.message).toContain('unexpected "vía"; expected one of: via, dev');
    expect(issues[4]!.message).toContain('needs "peer name PEER"');
  });

  it("a later command naming a device whose creation failed is not reported again", () => {
    const lines = ["ip link add v0 type veth peer", "ip link set v0 up", "ip addr add 10.0.0.1/24 dev v0"];
    expect(where(issuesOf(commands(...lines)))).toEqual([["missing-argument", 6, 10 + lines[0]!.length]]);
  });
});
