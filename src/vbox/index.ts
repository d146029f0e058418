/**
 * VirtualBox networks as builders: a VboxModel (VMs, adapters 1–4 by mode) in, WorldSpec pieces
 * out — segments, the guests' NICs/addresses/routes, and namespaces for VirtualBox's own parts.
 * Nothing here carries packets; the simulator runs the state like any other.
 *
 * Modelled: per-VM NAT (private 10.0.(N+1).0/24 per adapter, engine .2/.3, lease .15, MASQUERADE
 * out, `--natpf` DNAT in), NAT networks (shared, gateway +1, leases from +4), host-only (host
 * vboxnetK, DHCP +100, leases from +101), bridged (LAN router +1 as DHCP/gateway/DNS), internal
 * (static only); guest names enp0s3/8/9/10; Ubuntu's DHCP routes; seeded 08:00:27 MACs.
 * Not modelled (see each file): the NAT engine as a user-space proxy (it routes here: TTL drops by
 * one, traceroute shows 10.0.2.2, peers see one address per engine rather than the host's, a
 * forwarded connection shows the outside peer rather than 10.0.2.2), 10.0.2.2 → host loopback,
 * DHCP servers as hosts, DHCP on internal networks, adapters 5–8, lease timing and `dynamic` flags.
 */
export type * from "./model.js";
export { buildVboxNetworks, vboxWorld } from "./build.js";
export type { GuestAddress, VboxNetworks } from "./build.js";
export { guestIfName } from "./names.js";
export { vboxMac } from "./mac.js";
