/**
 * Worlds the view tests run commands in, and the helper that runs one command line. Every
 * expected text in test/views was first printed by iproute2 6.1 in real namespaces holding the
 * same state (same ifindexes, MACs, addresses, routes; IPv6 disabled by sysctl as test/kernel
 * does), with the real namespace prefix removed from `link-netns` names. The tests themselves
 * never touch the kernel.
 */
import { loadScenario } from "../../src/scenario/load.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { simulate } from "../../src/sim/exec.js";
import type { ExecResult } from "../../src/sim/exec.js";
import { buildWorld } from "../../src/sim/build.js";
import type { World } from "../../src/sim/world.js";

export function load(yaml: string): WorldSpec {
  const r = loadScenario(yaml, "views-test.yaml");
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 1));
  return r.value;
}

export function build(spec: WorldSpec): World {
  const r = buildWorld(spec);
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 1));
  return r.value;
}

export function run(spec: WorldSpec, ns: string, command: string): ExecResult {
  return simulate(spec, ns, command).result;
}

/** Lines joined with newlines, each ending in one. */
export function lines(...ls: string[]): string {
  return ls.map((l) => `${l}\n`).join("");
}

/**
 * A flannel-style node: an underlay veth to node2, a CNI bridge with one live and one dead
 * pod veth, a vxlan, a veth pair inside the node with one end down, a bridge with no ports,
 * addresses of every scope plus a secondary, every route type, neighbours and FDB entries.
 */
export const NODE = load(`
name: views node
seed: 7
namespaces:
  node1:
    sysctls: { net.ipv4.ip_forward: 1 }
    devices:
      eth1: { type: veth, peer: node2/eth1, mac: "02:00:00:00:01:01" }
      cni0: { type: bridge, mac: "02:c0:00:00:01:01", hairpin: [veth2] }
      veth1: { type: veth, peer: pod1/eth0, master: cni0, mac: "02:e0:00:00:01:02" }
      veth2: { type: veth, peer: pod2/eth0, master: cni0, mac: "02:e0:00:00:01:03" }
      flannel.1: { type: vxlan, id: 1, local: 192.168.56.101, dev: eth1, dstport: 8472, learning: false, mac: "02:fa:00:00:01:01" }
      vA: { type: veth, peer: node1/vB, mac: "02:0a:00:00:00:0a" }
      vB: { type: veth, peer: node1/vA, mac: "02:0b:00:00:00:0b", up: false }
      dead0: { type: bridge, mac: "02:de:00:00:00:01" }
    addresses:
      eth1: [{ addr: 192.168.56.101/24, brd: + }]
      cni0: [{ addr: 10.244.1.1/24, brd: + }, { addr: 10.244.1.50/24 }, { addr: 10.9.9.9/32, scope: host }, { addr: 10.8.8.8/24, scope: link }]
      flannel.1: [10.244.1.0/32]
      vA: [{ addr: 192.0.2.1/24, brd: + }]
      dead0: [{ addr: 198.18.0.1/24, brd: + }]
    routes:
      - { dst: default, via: 192.168.56.1, dev: eth1, metric: 100, proto: dhcp }
      - { dst: 10.244.2.0/24, via: 10.244.2.0, dev: flannel.1, onlink: true }
      - { dst: 198.51.100.0/26, type: unreachable }
      - { dst: 198.51.100.64/26, type: prohibit }
      - { dst: 198.51.100.128/26, type: blackhole }
      - { dst: 198.51.100.192/26, type: throw }
      - { dst: 172.16.0.0/16, via: 192.168.56.1, metric: 50, proto: static }
      - { dst: 172.16.0.0/16, via: 192.168.56.2, metric: 100 }
      - { dst: 172.16.0.0/24, dev: cni0, scope: link, src: 10.244.1.1 }
      - { dst: 203.0.113.0/24, via: 192.0.2.254 }
      - { dst: 10.0.0.0/8, dev: cni0, table: 100, scope: link }
    neighbours:
      - { ip: 10.244.2.0, dev: flannel.1, mac: "02:fa:00:00:02:01", state: permanent }
      - { ip: 10.244.1.2, dev: cni0, mac: "0a:58:0a:f4:01:02", state: reachable }
      - { ip: 10.244.1.3, dev: cni0, mac: "0a:58:0a:f4:01:03", state: stale }
      - { ip: 10.244.1.4, dev: cni0, mac: "0a:58:0a:f4:01:04", state: noarp }
    fdb:
      - { mac: "02:fa:00:00:02:01", dev: flannel.1, dst: 192.168.56.102 }
      - { mac: "00:00:00:00:00:00", dev: flannel.1, dst: 192.168.56.103 }
      - { mac: "00:00:00:00:00:00", dev: flannel.1, dst: 192.168.56.104 }
      - { mac: "0a:58:0a:f4:01:09", dev: veth1 }
  node2:
    devices:
      eth1: { type: veth, peer: node1/eth1, mac: "02:00:00:00:02:01" }
    addresses: { eth1: [{ addr: 192.168.56.1/24, brd: + }] }
  pod1:
    devices: { eth0: { type: veth, peer: node1/veth1, mac: "0a:58:0a:f4:01:02" } }
    addresses: { eth0: [{ addr: 10.244.1.2/24, brd: + }] }
    routes: [{ dst: default, via: 10.244.1.1 }]
  pod2:
    devices: { eth0: { type: veth, peer: node1/veth2, mac: "0a:58:0a:f4:01:03", up: false } }
    addresses: { eth0: [{ addr: 10.244.1.3/24, brd: + }] }
`);

/**
 * Bridge ports of every sort: a same-namespace veth pair, a port of a down bridge, a port
 * whose peer's ifindex names another local device (bridge link's own name lookup), a vxlan
 * without a lower device, a bridge at MTU 1200 (too small for IPv6, so no 33:33 groups).
 */
export const PORTS = load(`
name: views ports
seed: 3
namespaces:
  n1:
    devices:
      br0: { type: bridge, mac: "02:b0:00:00:00:01", mtu: 1200 }
      brX: { type: bridge, mac: "02:b0:00:00:00:02", up: false }
      vx0: { type: vxlan, id: 42, dstport: 4789, master: br0, mac: "02:0c:00:00:00:01", mtu: 1500 }
      vx1: { type: vxlan, id: 43, local: 10.1.0.1, dev: br0, dstport: 8472, mac: "02:0c:00:00:00:02", mtu: 1450 }
      pA: { type: veth, peer: n1/pB, master: br0, mac: "02:0a:00:00:00:01" }
      pB: { type: veth, peer: n1/pA, mac: "02:0a:00:00:00:02" }
      q1: { type: veth, peer: n2/e9, master: brX, mac: "02:0a:00:00:00:03" }
      q2: { type: veth, peer: n2/e1, master: br0, mac: "02:0a:00:00:00:04", mtu: 1200 }
    addresses:
      br0: [{ addr: 10.1.0.1/16, brd: + }]
      vx1: [{ addr: 10.2.0.1/24 }]
    fdb:
      - { mac: "00:00:00:00:00:00", dev: vx1, dst: 10.1.0.2 }
      - { mac: "02:00:00:00:00:77", dev: pA }
      - { mac: "02:00:00:00:00:78", dev: q2, permanent: true }
  n2:
    devices:
      e1: { type: veth, peer: n1/q2, mac: "02:0e:00:00:00:01", mtu: 1200 }
      e9: { type: veth, peer: n1/q1, mac: "02:0e:00:00:00:09", up: false }
`);

/** A VirtualBox-like host: two NICs, one of them down, and lo down. */
export const NICS = load(`
name: views nics
seed: 5
segments: [nat, hostonly]
namespaces:
  host:
    devices:
      lo: { type: loopback, up: false }
      enp0s3: { type: nic, segment: nat, mac: "08:00:27:00:01:03" }
      enp0s8: { type: nic, segment: hostonly, mac: "08:00:27:00:01:08", up: false }
    addresses:
      enp0s3: [{ addr: 10.0.2.15/24, brd: + }]
    routes:
      - { dst: default, via: 10.0.2.2, dev: enp0s3, metric: 100, proto: dhcp }
`);
