/**
 * Per-VM NAT (`--nic<N> nat`, research B2): every NAT adapter of every VM gets a private network
 * 10.0.(N+1).0/24 — adapter 1 → 10.0.2.0/24 — with the engine at .2 (gateway, and the host's
 * loopback alias), its DNS proxy at .3, and a DHCP server leasing from .15 (16 addresses), so
 * every VM is 10.0.2.15 in its own network and no VM can see another.
 *
 * Modelled as a namespace on the private segment answering ARP for .2 and .3 only (slirp's
 * arp_input answers for its service addresses; another 10.0.2.x gets no reply), with slirp's MAC
 * 52:54:00:12:35:02, forwarding with MASQUERADE onto the outside segment, nothing in from
 * outside but replies and `--natpf` forwards. Not modelled: the engine is really a user-space
 * proxy that re-sends payloads from host sockets — it does not decrement TTL (traceroute
 * through it differs), forwards only TCP, UDP and ping, answers no ICMP errors of its own,
 * shows the host's address to peers (see outside.ts), and maps 10.0.2.2 to the host's loopback;
 * the TFTP address .4 and `--natnet<N>` ranges are left out.
 */
import type { Mac } from "../core/ip.js";
import { parseIpv4 } from "../core/ip.js";
import type { NetworkPlan } from "./network.js";
import { at } from "./network.js";
import { natEngineName } from "./names.js";

const SLIRP_MAC = "52:54:00:12:35:02" as Mac;

export function natEnginePlan(vm: string, adapter: number): NetworkPlan {
  const prefix = { addr: parseIpv4(`10.0.${adapter + 1}.0`)!, len: 24 };
  const gw = at(prefix, 2);
  const dns = at(prefix, 3);
  return {
    mode: "nat",
    segment: natEngineName(vm, adapter),
    prefix,
    dhcp: { first: at(prefix, 15), last: at(prefix, 30), router: gw, dns: [dns] },
    reserved: [gw, dns],
    gateway: { name: natEngineName(vm, adapter), addresses: [gw, dns], mac: SLIRP_MAC },
  };
}
