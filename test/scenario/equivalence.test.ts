/**
 * Both forms give the same state: a scenario written with structured items and the same one
 * written as the command lines a person would type on the hosts (with `ip link set … up`) load
 * to deep-equal worlds once the `at` positions are removed.
 */
import { describe, expect, it } from "vitest";
import { loadOk, stripAt } from "./helpers.js";

const PROBES = `probes:
  - name: pod1 reaches host2
    from: pod1
    run: ping -c 1 -W 1 10.0.0.2
    expect: { exit: 0, stdout: ["1 received"], outcome: delivered }
`;

const STRUCTURED = `name: equivalence
seed: 7
segments: [lan]
namespaces:
  host1:
    sysctls: { net.ipv4.ip_forward: 1 }
    devices:
      eth0: { type: nic, segment: lan, mac: "02:00:00:00:01:01" }
      br0:  { type: bridge, hairpin: [veth1] }
      veth1: { type: veth, peer: pod1/eth0, master: br0 }
      vx0:  { type: vxlan, id: 1, local: 10.0.0.1, dev: eth0, dstport: 8472, learning: false }
    addresses:
      eth0: [10.0.0.1/24]
      br0: [{ addr: 10.244.1.1/24, brd: + }]
    routes:
      - { dst: default, via: 10.0.0.254, dev: eth0, metric: 100, proto: dhcp }
      - { dst: 10.244.2.0/24, via: 10.244.2.0, dev: vx0, onlink: true }
      - { dst: 10.9.0.0/16, type: blackhole }
      - { dst: 10.10.0.0/16, dev: eth0, table: 100, src: 10.0.0.1 }
    neighbours:
      - { ip: 10.244.2.0, dev: vx0, mac: "02:00:00:00:02:aa", state: permanent }
      - { ip: 10.0.0.254, dev: eth0, mac: "02:00:00:00:00:fe", state: reachable }
    fdb:
      - { mac: "02:00:00:00:02:aa", dev: vx0, dst: 10.0.0.2 }
      - { mac: "02:00:00:00:00:66", dev: veth1 }
    listeners:
      - { kind: http, port: 80, body: "hello from host1" }
  pod1:
    devices:
      eth0: { type: veth, peer: host1/veth1, mtu: 1450 }
    addresses: { eth0: [10.244.1.2/24] }
    routes: [ { dst: default, via: 10.244.1.1 } ]
  host2:
    devices:
      eth0: { type: nic, segment: lan }
      vx0: { type: vxlan, id: 1, local: 10.0.0.2, dev: eth0, mac: "02:00:00:00:02:aa", learning: false }
    addresses:
      eth0: [10.0.0.2/24]
    routes:
      - { dst: 10.244.1.0/24, via: 10.244.1.0, dev: vx0, onlink: true }
    fdb:
      - { mac: "00:00:00:00:00:00", dev: vx0, dst: 10.0.0.1 }
    sysctls: { net.ipv4.ip_forward: 1 }
${PROBES}`;

const COMMANDS = `name: equivalence
seed: 7
segments: [lan]
namespaces:
  host1:
    listeners:
      - { kind: http, port: 80, body: "hello from host1" }
    commands:
      - sysctl -w net.ipv4.ip_forward=1
      - ip link add eth0 type nic segment lan
      - ip link set dev eth0 address 02:00:00:00:01:01
      - ip link add br0 type bridge
      - ip link add veth1 type veth peer name eth0 netns pod1
      - ip link set veth1 master br0
      - bridge link set dev veth1 hairpin on
      - ip link add vx0 type vxlan id 1 local 10.0.0.1 dev eth0 dstport 8472 nolearning
      - ip link set eth0 up
      - ip link set br0 up
      - ip link set veth1 up
      - ip link set vx0 up
      - ip addr add 10.0.0.1/24 dev eth0
      - ip addr add 10.244.1.1/24 brd + dev br0
      - ip route add default via 10.0.0.254 dev eth0 metric 100 proto dhcp
      - ip route add 10.244.2.0/24 via 10.244.2.0 dev vx0 onlink
      - ip route add blackhole 10.9.0.0/16
      - ip route add 10.10.0.0/16 dev eth0 table 100 src 10.0.0.1
      - ip neigh add 10.244.2.0 lladdr 02:00:00:00:02:aa dev vx0 nud permanent
      - ip neigh add 10.0.0.254 lladdr 02:00:00:00:00:fe dev eth0 nud reachable
      - bridge fdb add 02:00:00:00:02:aa dev vx0 dst 10.0.0.2
      - bridge fdb add 02:00:00:00:00:66 dev veth1
  pod1:
    commands:
      - ip link set eth0 mtu 1450
      - ip link set eth0 up
      - ip a add 10.244.1.2/24 dev eth0
      - ip r add default via 10.244.1.1
  host2:
    commands:
      - ip link add eth0 type nic segment lan
      - ip addr add 10.0.0.2/24 dev eth0
      - ip link set eth0 up
      - ip link add vx0 type vxlan id 1 local 10.0.0.2 dev eth0 dstport 8472 nolearning
      - ip link set vx0 address 02:00:00:00:02:aa
      - ip link set vx0 up
      - ip route add 10.244.1.0/24 via 10.244.1.0 dev vx0 onlink
      - bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.1 self permanent
      - sysctl net.ipv4.ip_forward=1
${PROBES}`;

/** host2 half structured, half commands: structured items come first, then the commands. */
const MIXED = STRUCTURED.replace(
  `    routes:
      - { dst: 10.244.1.0/24, via: 10.244.1.0, dev: vx0, onlink: true }
    fdb:
      - { mac: "00:00:00:00:00:00", dev: vx0, dst: 10.0.0.1 }
    sysctls: { net.ipv4.ip_forward: 1 }`,
  `    commands:
      - ip route add 10.244.1.0/24 via 10.244.1.0 dev vx0 onlink
      - bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.1
      - sysctl -w net.ipv4.ip_forward=1`,
);

describe("structured and command forms", () => {
  it("give deep-equal worlds (without positions)", () => {
    const a = loadOk(STRUCTURED);
    const b = loadOk(COMMANDS);
    expect(stripAt(b)).toEqual(stripAt(a));
    // Not vacuous: the worlds hold what was written.
    expect(a.namespaces.map((n) => n.devices.length)).toEqual([5, 2, 3]);
    expect(a.namespaces[0]!.routes).toHaveLength(4);
  });

  it("also when one namespace mixes both", () => {
    expect(MIXED).not.toBe(STRUCTURED);
    expect(stripAt(loadOk(MIXED))).toEqual(stripAt(loadOk(STRUCTURED)));
  });

  it("differ when the commands forget to bring a device up", () => {
    const forgot = COMMANDS.replace("      - ip link set br0 up\n", "");
    expect(stripAt(loadOk(forgot))).not.toEqual(stripAt(loadOk(STRUCTURED)));
  });
});
