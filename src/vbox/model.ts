/**
 * The input of the VirtualBox builders: VMs and their adapters as `VBoxManage modifyvm` sets
 * them (`--nic<N> nat|natnetwork|hostonly|bridged|intnet`), plus the networks' own settings
 * where a user changed VirtualBox's defaults. Plain readonly data; text (addresses, modes) is
 * checked by validate.ts and every problem comes back as an Issue, never a throw.
 */
import type { Position } from "../core/issue.js";
import type { ListenerSpec } from "../netns/spec.js";

export interface VboxModel {
  /** Where issues point when an item carries no `at` of its own. */
  readonly file?: string;
  /** Seed for MACs the user left out (VirtualBox draws them at random; here from this string). */
  readonly seed: string;
  readonly vms: readonly VmSpec[];
  /** Host-only networks whose host adapter or DHCP server differ from VirtualBox's defaults. */
  readonly hostOnly?: readonly HostOnlyNetworkSpec[];
  /** NAT networks (`VBoxManage natnetwork add`); an adapter may name one not listed here (defaults apply). */
  readonly natNetworks?: readonly NatNetworkSpec[];
  /** Physical LANs that bridged adapters join, each with its router; unlisted ones get the defaults. */
  readonly lans?: readonly LanSpec[];
  /** The "internet" the NAT engines masquerade onto: what listens there, for tests. */
  readonly outside?: OutsideSpec;
}

export interface VmSpec {
  readonly name: string;
  readonly adapters: readonly AdapterSpec[];
  readonly at?: Position;
}

export type AdapterMode = AdapterAttachment["mode"];

/** One `--nic<N>`: N is 1–4 (the GUI's four adapters). */
export type AdapterSpec = AdapterAttachment & {
  readonly adapter: number;
  /** `a.b.c.d/len` configured in the guest (netplan `addresses:`); omitted = DHCP. */
  readonly address?: string;
  /** With a static address: netplan's default route (`routes: [{to: default, via: …}]`), `a.b.c.d`. */
  readonly gateway?: string;
  /** `--macaddress<N>`; omitted = drawn from the model's seed in VirtualBox's 08:00:27 OUI. */
  readonly mac?: string;
  /** `--natpf<N>` rules (NAT mode only). */
  readonly portForwards?: readonly PortForwardSpec[];
  readonly at?: Position;
};

export type AdapterAttachment =
  | { readonly mode: "nat" }
  | { readonly mode: "natnetwork"; readonly network: string }
  /** `--hostonlyadapter<N>`; omitted = vboxnet0. */
  | { readonly mode: "hostonly"; readonly network?: string }
  | { readonly mode: "bridged"; readonly lan: string }
  | { readonly mode: "internal"; readonly network: string };

/** `--natpf<N> "name,tcp,,hostPort,,guestPort"`: host port on the NAT engine's outside address. */
export interface PortForwardSpec {
  readonly name: string;
  readonly proto: "tcp" | "udp";
  readonly hostPort: number;
  readonly guestPort: number;
  /** Needed when the guest has a static address; default the guest's DHCP address (10.0.2.15). */
  readonly guestIp?: string;
}

export interface HostOnlyNetworkSpec {
  /** vboxnet0, vboxnet1, … */
  readonly name: string;
  /** The host adapter's address, `a.b.c.d/len`. */
  readonly hostAddress?: string;
  /** `false` = `VBoxManage dhcpserver modify --disable`. */
  readonly dhcp?: boolean;
}

export interface NatNetworkSpec {
  readonly name: string;
  /** `--network`, default 10.0.2.0/24. */
  readonly network?: string;
  readonly dhcp?: boolean;
}

export interface LanSpec {
  readonly name: string;
  /** The LAN prefix, default 192.168.1.0/24; the router is its first address. */
  readonly network?: string;
  /** First address the router's DHCP server leases, default .100. */
  readonly dhcpFirst?: number;
}

export interface OutsideSpec {
  readonly listeners?: readonly ListenerSpec[];
}
