/**
 * Internal networks (`--nic<N> intnet --intnet<N> NAME`, research B5): a switch only the VMs with
 * the same network name share. The host is not on it, nothing routes out, and there is no DHCP
 * (VirtualBox can add a DHCP server to one; not modelled), so guests need static addresses.
 */
import type { NetworkPlan } from "./network.js";
import { internalSegment } from "./names.js";

export function internalPlan(name: string): NetworkPlan {
  return { mode: "internal", segment: internalSegment(name), reserved: [] };
}
