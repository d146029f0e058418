/**
 * The link-level state `ip link`, `ip addr` and `bridge link` print, derived from a device's
 * admin state and its neighbours the way the kernel derives it:
 *
 *  - carrier (netif_carrier_ok): loopback, vxlan and NICs (cable plugged in) always have it;
 *    a veth has it while both ends are up (veth_open); a bridge while one port forwards
 *    (br_port_state_selection). Without STP a port forwards as soon as bridge and port are up
 *    with carrier (br_make_forwarding), else it is `disabled`.
 *  - operstate (IFLA_OPERSTATE): DOWN when admin down; UNKNOWN for loopback and vxlan, which
 *    never report one; UP with carrier; without carrier, default_operstate() in
 *    net/core/link_watch.c: LOWERLAYERDOWN when the device named by its iflink *in its own
 *    namespace* is not oper-up, else DOWN. For a veth whose peer is in another namespace
 *    that looks up the peer's ifindex among this namespace's devices — the kernel's own quirk,
 *    reproduced on purpose. The kernel decides this once, when the veth pair is created, so
 *    the answer depends on what existed then (see vethNoCarrierState()).
 *  - flags (dev_get_flags + print_link_flags in iproute2): NO-CARRIER when up but not
 *    running, LOWER_UP with carrier, M-DOWN when the same-namespace link device is down.
 *  - qdisc: `noop` until a device is first brought up (a down device is taken as never up,
 *    except lo, which every namespace starts with up); then `noqueue` for the IFF_NO_QUEUE
 *    kinds (lo, veth, bridge, vxlan) and the default `fq_codel` for a NIC.
 *  - the name suffix: print_name_and_link() — `@ifN` plus `link-netns NAME` for a veth whose
 *    peer lives elsewhere (rtnetlink always sends IFLA_LINK with a link-netnsid), `@peer` for a
 *    same-namespace peer. br_fill_ifinfo (`bridge link`) sends IFLA_LINK only when it differs
 *    from the device's own ifindex and never a netnsid, so there the peer's ifindex is looked
 *    up locally (another quirk, also reproduced).
 */
import type { Device } from "../netns/device.js";

export type OperState = "UP" | "DOWN" | "UNKNOWN" | "LOWERLAYERDOWN";

export function carrier(dev: Device, seen: Set<Device> = new Set()): boolean {
  if (!dev.up) return false;
  switch (dev.kind) {
    case "loopback":
    case "vxlan":
    case "nic":
      return true;
    case "veth":
      return dev.peer?.up === true;
    case "bridge":
      if (seen.has(dev)) return false;
      seen.add(dev);
      return dev.ports.some((p) => portForwarding(p, seen));
  }
}

/** A bridge port's STP state without STP: forwarding, or disabled. */
export function portForwarding(port: Device, seen: Set<Device> = new Set()): boolean {
  const br = port.master;
  return br !== undefined && br.up && port.up && carrier(port, seen);
}

/**
 * What default_operstate() found for a veth without carrier. The kernel decides it when the
 * veth's carrier goes off — in practice when the pair is created (veth_newlink), since a peer
 * that stays down sends no later event and bringing the veth itself up does not recompute it.
 * At that moment, in a world set up in one go (as test/kernel and our scenarios do), the
 * devices created before it (lower ifindexes) exist and are still down, lo excepted, and the
 * ones after it do not exist yet.
 */
function vethNoCarrierState(dev: Device, peer: Device): OperState {
  const iflink = peer.ifindex;
  if (iflink === dev.ifindex) return "DOWN";
  const other = dev.ns.byIndex.get(iflink);
  if (!other) return "DOWN";
  if (other === peer) return "LOWERLAYERDOWN";
  if (other.ifindex > dev.ifindex) return "DOWN";
  return other.kind === "loopback" && other.up ? "DOWN" : "LOWERLAYERDOWN";
}

export function operstate(dev: Device): OperState {
  if (!dev.up) return "DOWN";
  if (dev.kind === "loopback" || dev.kind === "vxlan") return "UNKNOWN";
  if (carrier(dev)) return "UP";
  // A bridge (or NIC) is its own iflink: plain DOWN.
  if (dev.kind !== "veth" || !dev.peer) return "DOWN";
  return vethNoCarrierState(dev, dev.peer);
}

/** IFF_RUNNING: netif_oper_up(). */
function running(dev: Device): boolean {
  const o = operstate(dev);
  return dev.up && (o === "UP" || o === "UNKNOWN");
}

/** `<NO-CARRIER,BROADCAST,MULTICAST,UP,LOWER_UP>` in print_link_flags() order. */
export function linkFlags(dev: Device, mdown: boolean): string {
  const f: string[] = [];
  if (dev.up && !running(dev)) f.push("NO-CARRIER");
  if (dev.kind === "loopback") f.push("LOOPBACK");
  else f.push("BROADCAST", "MULTICAST");
  if (dev.up) f.push("UP");
  if (dev.up && carrier(dev)) f.push("LOWER_UP");
  if (mdown) f.push("M-DOWN");
  return `<${f.join(",")}>`;
}

export function qdisc(dev: Device): string {
  // Every namespace starts with lo up, so a down lo has had its qdisc attached already.
  if (!dev.up && dev.kind !== "loopback") return "noop";
  return dev.kind === "nic" ? "fq_codel" : "noqueue";
}

export interface LinkName {
  /** `eth0@if5`, `veth1@veth1p`, or the plain name. */
  readonly text: string;
  readonly mdown: boolean;
  /** The peer's namespace for `link-netns NAME`, when the peer is elsewhere. */
  readonly netns?: string;
}

/** print_name_and_link() for an RTM_GETLINK dump (`ip link`, `ip addr`). */
export function linkName(dev: Device): LinkName {
  const peer = dev.kind === "veth" ? dev.peer : undefined;
  if (!peer) return { text: dev.name, mdown: false };
  if (peer.ns !== dev.ns) return { text: `${dev.name}@if${peer.ifindex}`, mdown: false, netns: peer.ns.name };
  return { text: `${dev.name}@${peer.name}`, mdown: !peer.up };
}

/** print_name_and_link() for an AF_BRIDGE dump (`bridge link`): IFLA_LINK, no netnsid. */
export function bridgeLinkName(dev: Device): LinkName {
  const peer = dev.kind === "veth" ? dev.peer : undefined;
  if (!peer || peer.ifindex === dev.ifindex) return { text: dev.name, mdown: false };
  const local = dev.ns.byIndex.get(peer.ifindex);
  // ll_index_to_flags() of an unknown index is -1: IFF_UP set, so no M-DOWN.
  if (!local) return { text: `${dev.name}@if${peer.ifindex}`, mdown: false };
  return { text: `${dev.name}@${local.name}`, mdown: !local.up };
}

/** `link/ether MAC brd ff:ff:ff:ff:ff:ff` (or the loopback form). */
export function linkLine(dev: Device): string {
  if (dev.kind === "loopback") return `link/loopback ${dev.mac} brd 00:00:00:00:00:00`;
  return `link/ether ${dev.mac} brd ff:ff:ff:ff:ff:ff`;
}

/**
 * The bridge port cost br_stp_if.c:port_cost() gives from the link speed: veth reports
 * 10 Gb/s (2), a NIC is taken as a 1 Gb/s adapter such as VirtualBox's (4), a vxlan reports
 * its lower device's speed (a bridge reports its fastest forwarding port), and no speed at all
 * is the old 10 Mb/s guess (100).
 */
export function portCost(dev: Device): number {
  const speed = linkSpeed(dev, new Set());
  if (speed === undefined) return 100;
  if (speed > 10000) return 1;
  return speed === 10000 ? 2 : speed === 5000 ? 3 : speed === 2500 || speed === 1000 ? 4 : speed === 100 ? 19 : 100;
}

function linkSpeed(dev: Device, seen: Set<Device>): number | undefined {
  if (seen.has(dev)) return undefined;
  seen.add(dev);
  switch (dev.kind) {
    case "veth":
      return 10000;
    case "nic":
      return 1000;
    case "vxlan":
      return dev.vxlan?.lower ? linkSpeed(dev.vxlan.lower, seen) : undefined;
    case "bridge": {
      const speeds = dev.ports.filter((p) => portForwarding(p)).map((p) => linkSpeed(p, seen) ?? 0);
      return speeds.length > 0 ? Math.max(...speeds) : undefined;
    }
    case "loopback":
      return undefined;
  }
}
