/**
 * What things are called: guest interface names by adapter number (research B6: VirtualBox puts
 * adapter 1 on PCI slot 3 and adapters 2–4 on slots 8–10; systemd names them en p0 s<slot>), and
 * the namespaces and segments the builders create for VirtualBox's own parts.
 */

/** Adapter numbers the GUI offers (`--nic1` … `--nic4`); 5–8 exist only through VBoxManage and are not modelled. */
export const FIRST_ADAPTER = 1;
export const LAST_ADAPTER = 4;

/** The predictable name follows the adapter number, not how many adapters are on (B6). */
export function guestIfName(adapter: number): string {
  return `enp0s${adapter === 1 ? 3 : adapter + 6}`;
}

/** The host machine: holds the host-only adapters (vboxnet0 …). */
export const HOST_NS = "host";
/** The world beyond the host that NAT engines, NAT services and LAN routers masquerade onto. */
export const OUTSIDE_NS = "internet";
export const OUTSIDE_SEGMENT = "internet";

/** A VM's private NAT network for one adapter: its segment and the engine's namespace share the name. */
export const natEngineName = (vm: string, adapter: number): string => `${vm}-nat${adapter}`;
export const natNetworkSegment = (network: string): string => `natnet-${network}`;
/** The NAT service of a NAT network (VBoxNetNAT), one per network. */
export const natServiceNs = (network: string): string => `natnet-${network}`;
export const hostOnlySegment = (network: string): string => `hostonly-${network}`;
export const lanSegment = (lan: string): string => `lan-${lan}`;
export const lanRouterNs = (lan: string): string => `${lan}-router`;
export const internalSegment = (network: string): string => `intnet-${network}`;

/** Inside every infrastructure namespace: the side facing the VMs and the side facing the outside. */
export const INNER_DEV = "eth0";
export const UPLINK_DEV = "eth1";
