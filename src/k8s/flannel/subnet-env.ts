/**
 * /run/flannel/subnet.env as flanneld writes it (subnet.WriteSubnetFile, IPv4 stack):
 * FLANNEL_NETWORK, FLANNEL_SUBNET — the lease's first host address with the lease's prefix
 * length (sn.IncrementIP), not its network address — FLANNEL_MTU (the external interface's MTU
 * − 50, what the vxlan network's MTU() returns) and FLANNEL_IPMASQ (`--ip-masq`, Go's %t).
 * The CNI flannel plugin reads this file for every pod it sets up.
 */
import type { Prefix } from "../../core/ip.js";
import { formatPrefix, ipv4 } from "../../core/ip.js";

export const SUBNET_ENV_PATH = "/run/flannel/subnet.env";

export function subnetEnv(network: Prefix, lease: Prefix, mtu: number, ipMasq: boolean): string {
  const first = { addr: ipv4(lease.addr + 1), len: lease.len };
  return `FLANNEL_NETWORK=${formatPrefix(network)}\nFLANNEL_SUBNET=${formatPrefix(first)}\nFLANNEL_MTU=${mtu}\nFLANNEL_IPMASQ=${ipMasq}\n`;
}
