/**
 * The bridge plugin's ADD and DEL (containernetworking/plugins plugins/main/bridge), as state:
 * - ensureBridge: cni0 created on the first ADD, up. Its MTU is left to the kernel: created with
 *   IFLA_MTU it is not "set by user", so br_mtu_auto_adjust follows the smallest port (1450 with
 *   pod veths, 1500 once the last one is gone) — the spec's omitted `mtu` means exactly that.
 * - cni0's MAC is left to the seeded stream: the kernel gives a new bridge a random address, and
 *   ensureAddr writes that same address back (LinkSetHardwareAddr) so it is "set" and no longer
 *   follows the lowest port MAC as ports come and go. The spec's bridges keep their MAC, so no
 *   extra behaviour is needed.
 * - setupVeth: eth0 in the pod (MTU from the config, MAC from the kernel), the host end
 *   vethXXXXXXXX (same MTU, up) enslaved to cni0 with hairpin mode as configured.
 * - ConfigureIface: the address with its broadcast (vishvananda/netlink fills it in for IPv4
 *   below /31), then result.Routes in order — host-local's (the cluster network, gateway filled
 *   in) and, with isDefaultGateway, the default route calcGateways appended. proto boot, the
 *   netlink default. net.ipv4.conf.eth0.arp_notify=1 in the pod.
 * - isGateway: the gateway with the pod's prefix length on cni0 (ensureAddr, once) and
 *   net.ipv4.ip_forward=1 (ip.EnableIP4Forward).
 * IPv6-only sysctls the plugin writes (accept_ra on cni0 and the host end, accept_dad in the pod)
 * are left out: the simulator has no IPv6.
 */
import type { Ipv4 } from "../../core/ip.js";
import { ZERO_MAC, broadcastOf, ipv4 } from "../../core/ip.js";
import type { AddressSpec, BridgeSpec, DeviceSpec, NetnsSpec, RouteSpec, VethSpec } from "../../netns/spec.js";
import { TABLE_MAIN } from "../../netns/spec.js";
import type { BridgeConf, NodeCniState } from "./model.js";

/** kubelet's CNI_IFNAME. */
export const POD_IFNAME = "eth0";

/** The pod's loopback, which the runtime (containerd's loopback plugin) brings up — not the bridge plugin. */
const LO: DeviceSpec = { kind: "loopback", name: "lo", up: true, mtu: 65536, mac: ZERO_MAC };
const LO_ADDR: AddressSpec = { dev: "lo", addr: ipv4(0x7f000001), len: 8, scope: "host" };

export const EMPTY_NODE: NodeCniState = { devices: [], addresses: [], sysctls: {} };

export interface BridgeAdd {
  readonly node: string;
  readonly podNetns: string;
  readonly hostVeth: string;
  readonly ip: Ipv4;
  readonly gateway: Ipv4;
}

export function bridgeAdd(state: NodeCniState, conf: BridgeConf, a: BridgeAdd): { readonly state: NodeCniState; readonly netns: NetnsSpec } {
  const len = conf.ipam.subnet.len;
  const existing = state.devices.find((d): d is BridgeSpec => d.kind === "bridge" && d.name === conf.bridge);
  const bridge: BridgeSpec = existing ?? { kind: "bridge", name: conf.bridge, up: true, hairpin: [] };
  const hostEnd: VethSpec = { kind: "veth", name: a.hostVeth, up: true, mtu: conf.mtu, master: conf.bridge, peer: { netns: a.podNetns, name: POD_IFNAME } };
  const withPort: BridgeSpec = conf.hairpinMode ? { ...bridge, hairpin: [...(bridge.hairpin ?? []), a.hostVeth] } : bridge;
  const devices = existing
    ? [...state.devices.map((d) => (d === existing ? withPort : d)), hostEnd]
    : [...state.devices, withPort, hostEnd];

  let addresses = state.addresses;
  let sysctls = state.sysctls;
  if (conf.isGateway) {
    const gw: AddressSpec = { dev: conf.bridge, addr: a.gateway, len, broadcast: broadcastOf(a.gateway, len), scope: "universe" };
    if (!addresses.some((x) => x.dev === conf.bridge && x.addr === gw.addr && x.len === gw.len)) addresses = [...addresses, gw];
    sysctls = { ...sysctls, "net.ipv4.ip_forward": "1" };
  }

  const route = (dst: { addr: Ipv4; len: number }): RouteSpec => ({
    table: TABLE_MAIN, type: "unicast", dst: dst.addr, len: dst.len, via: a.gateway, dev: POD_IFNAME,
    metric: 0, scope: "universe", proto: "boot", onlink: false,
  });
  const routes = conf.ipam.routes.map(route);
  if (conf.isDefaultGateway) routes.push(route({ addr: ipv4(0), len: 0 }));

  const eth0: VethSpec = { kind: "veth", name: POD_IFNAME, up: true, mtu: conf.mtu, peer: { netns: a.node, name: a.hostVeth } };
  const netns: NetnsSpec = {
    name: a.podNetns,
    devices: [LO, eth0],
    addresses: [LO_ADDR, { dev: POD_IFNAME, addr: a.ip, len, broadcast: broadcastOf(a.ip, len), scope: "universe" }],
    routes,
    neighbours: [],
    fdb: [],
    sysctls: { [`net.ipv4.conf.${POD_IFNAME}.arp_notify`]: "1" },
    listeners: [],
  };
  return { state: { devices, addresses, sysctls }, netns };
}

/** DEL: deleting the pod's eth0 takes its host end with it; cni0, its address and ip_forward stay. */
export function bridgeDel(state: NodeCniState, conf: BridgeConf, hostVeth: string): NodeCniState {
  const devices = state.devices
    .filter((d) => d.name !== hostVeth)
    .map((d) => (d.kind === "bridge" && d.name === conf.bridge && d.hairpin?.includes(hostVeth) ? { ...d, hairpin: d.hairpin.filter((p) => p !== hostVeth) } : d));
  return { ...state, devices };
}

