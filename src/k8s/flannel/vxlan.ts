/**
 * The state flanneld's vxlan backend leaves on a node (pkg/backend/vxlan: device.go,
 * vxlan.go RegisterNetwork, vxlan_network.go handleSubnetEvents), as plain namespace state:
 *
 *  - `flannel.<VNI>`: vxlan id VNI, `local` = the external interface's address (IfaceAddr, not
 *    the public IP), `dev` = that interface, dstport = Backend.Port or the kernel's 8472,
 *    nolearning unless Backend.Learning, MTU = (Backend.MTU or the interface's MTU) − 50, up;
 *    its MAC is the one stored in the node's backend-data annotation (a restart keeps it), else
 *    a random locally administered one — here drawn from the seed;
 *  - the address `<lease network>/32` on it (no connected or broadcast routes);
 *  - per remote lease, in this order: a permanent neighbour (remote subnet address → remote
 *    VtepMAC), an FDB entry (VtepMAC → dst remote public IP, self permanent) and the route
 *    `<remote subnet> via <remote subnet address> dev flannel.<VNI> onlink`;
 *  - with DirectRouting, a remote whose public IP `ip route get` reaches without a gateway gets
 *    only `<remote subnet> via <remote public IP>` (the kernel picks the device) — also when
 *    that IP is the node's own, which the kernel accepts (checked on Linux 6.18).
 */
import type { Ipv4, Mac, Prefix } from "../../core/ip.js";
import { parseIpv4, parseMac } from "../../core/ip.js";
import { makeRng, randomMac } from "../../core/rng.js";
import type { FdbSpec, NeighSpec, NetnsSpec, RouteSpec, VxlanSpec } from "../../netns/spec.js";
import { TABLE_MAIN } from "../../netns/spec.js";
import type { HostState } from "./host.js";
import { gatewayDev, routeGet } from "./host.js";
import type { ExternalInterface } from "./iface.js";
import { member, parseJson } from "./json.js";
import type { LogEntry } from "./klog.js";
import type { VxlanBackendConf } from "./net-conf.js";
import { LINUX_VXLAN_PORT } from "./net-conf.js";
import { SITES } from "./sites.js";

/** What flannel installs on one node, in the project's namespace-state types. */
export type FlannelNodeState = Pick<NetnsSpec, "devices" | "addresses" | "routes" | "neighbours" | "fdb">;

/** A remote node as the lease watcher sees it (from its annotations and podCIDR). */
export interface RemoteLease {
  readonly node: string;
  readonly subnet: Prefix;
  readonly publicIp: Ipv4;
  readonly vtepMac: Mac;
}

export function vxlanDeviceName(conf: VxlanBackendConf): string {
  return `flannel.${conf.vni}`;
}

/** net.ParseMAC for the 6-byte colon or dash forms, normalised the way net.HardwareAddr prints. */
function parseGoMac(text: string): Mac | undefined {
  return parseMac(text.replace(/-/g, ":"));
}

export interface VtepMac {
  readonly mac: Mac;
  readonly log: readonly LogEntry[];
}

/**
 * The VTEP MAC: the stored one if flanneld finds it in backend-data (it logs that it set it,
 * even when the text does not parse), else a fresh random one drawn from `seed`.
 */
export function vtepMac(conf: VxlanBackendConf, stored: string, seed: string, nodeName: string): VtepMac {
  const log: LogEntry[] = [];
  let mac: Mac | undefined;
  if (stored !== "") {
    mac = parseGoMac(stored);
    log.push({ severity: "I", site: SITES.vtepMacSet, message: `Interface flannel.${conf.vni} mac address set to: ${stored}` });
  }
  return { mac: mac ?? randomMac(makeRng(seed).fork(`flannel/vtep/${nodeName}`)), log };
}

/** RegisterNetwork: the device and its /32 address. */
export function vxlanDevice(conf: VxlanBackendConf, ext: ExternalInterface, lease: Prefix, mac: Mac): Pick<FlannelNodeState, "devices" | "addresses"> {
  const name = vxlanDeviceName(conf);
  const dev: VxlanSpec = {
    kind: "vxlan",
    name,
    vni: conf.vni,
    local: ext.ifaceAddr,
    dev: ext.iface,
    dstport: conf.port === 0 ? LINUX_VXLAN_PORT : conf.port,
    learning: conf.learning,
    mac,
    mtu: (conf.mtu ?? ext.mtu) - 50,
    up: true,
  };
  return { devices: [dev], addresses: [{ dev: name, addr: lease.addr, len: 32, scope: "universe" }] };
}

const route = (r: Pick<RouteSpec, "dst" | "len" | "via" | "dev" | "onlink">): RouteSpec => ({
  table: TABLE_MAIN,
  type: "unicast",
  metric: 0,
  scope: "universe",
  proto: "boot",
  ...r,
});

/** handleSubnetEvents for EventAdded of each remote lease, against the node's host state. */
export function remoteEntries(conf: VxlanBackendConf, host: HostState, remotes: readonly RemoteLease[]): Pick<FlannelNodeState, "routes" | "neighbours" | "fdb"> {
  const dev = vxlanDeviceName(conf);
  const routes: RouteSpec[] = [];
  const neighbours: NeighSpec[] = [];
  const fdb: FdbSpec[] = [];
  for (const r of remotes) {
    if (conf.directRouting) {
      const got = routeGet(host, r.publicIp);
      if (got.ok && got.via === undefined) {
        const out = gatewayDev(host, r.publicIp);
        routes.push(route({ dst: r.subnet.addr, len: r.subnet.len, via: r.publicIp, onlink: false, ...(out !== undefined ? { dev: out } : {}) }));
        continue;
      }
    }
    neighbours.push({ dev, ip: r.subnet.addr, mac: r.vtepMac, state: "permanent" });
    fdb.push({ dev, mac: r.vtepMac, dst: r.publicIp, self: true, master: false, permanent: true });
    routes.push(route({ dst: r.subnet.addr, len: r.subnet.len, via: r.subnet.addr, dev, onlink: true }));
  }
  return { routes, neighbours, fdb };
}

/**
 * nodeToLease + the vxlan backend's decoding of one node's annotations; undefined when flanneld
 * would skip the node (not flannel-managed, not vxlan, unparsable public IP or backend data).
 */
export function remoteFromAnnotations(
  node: string,
  subnet: Prefix | undefined,
  annotations: Readonly<Record<string, string>>,
  keys: { readonly kubeSubnetManager: string; readonly backendType: string; readonly publicIp: string; readonly backendData: string },
): RemoteLease | undefined {
  if (annotations[keys.kubeSubnetManager] !== "true" || !subnet) return undefined;
  if (annotations[keys.backendType] !== "vxlan") return undefined;
  const publicIp = parseIpv4(annotations[keys.publicIp] ?? "");
  if (publicIp === undefined) return undefined;
  // json.Unmarshal into vxlanLeaseAttrs: member names match case-insensitively.
  const data = parseJson(annotations[keys.backendData] ?? "");
  const macNode = data.ok ? member(data.node, "VtepMAC")?.value : undefined;
  const vtep = macNode?.kind === "string" ? parseGoMac(macNode.value) : undefined;
  return vtep ? { node, subnet, publicIp, vtepMac: vtep } : undefined;
}

/** `VXLAN config: …` as RegisterNetwork logs it (Port is the configured value, 0 by default). */
export function vxlanConfigEntry(conf: VxlanBackendConf): LogEntry {
  return {
    severity: "I",
    site: SITES.vxlanConfig,
    message: `VXLAN config: VNI=${conf.vni} Port=${conf.port} GBP=false Learning=${conf.learning} DirectRouting=${conf.directRouting}`,
  };
}

