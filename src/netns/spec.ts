/**
 * The plain state of a simulated world, exactly what `ip`, `bridge` and `sysctl` would show on
 * each host — no component logic. Scenario loaders (YAML or command-line form) and, later, the
 * control-plane builders (flannel, CNI, kube-proxy, VirtualBox) produce a `WorldSpec`; the packet
 * path consumes it. Both scenario forms must produce the same value for the same state.
 *
 * Conventions:
 *  - Addresses are uint32 numbers (`Ipv4`); lengths are prefix lengths.
 *  - A veth pair appears twice, once per end, each naming its peer (ns + device).
 *  - Routes here are the ones a person added (`ip route add`); the kernel's own routes
 *    (local/broadcast entries and connected subnets for each address) are derived by `netns/`.
 *  - `at` is where the item was written, so later checks can still point at the file.
 */
import type { Ipv4, Mac } from "../core/ip.js";
import type { Position } from "../core/issue.js";
import type { Ruleset } from "../netfilter/rule.js";
import type { ClusterView } from "../k8s/cluster/view.js";

export interface WorldSpec {
  readonly name: string;
  readonly file: string;
  readonly seed: string;
  readonly namespaces: readonly NetnsSpec[];
  /** Layer-2 segments (a switch / VirtualBox network) that NICs attach to by name. */
  readonly segments: readonly SegmentSpec[];
  readonly probes: readonly ProbeSpec[];
  /** Set for cluster scenarios: what the API server knows (kubectl's views read it). */
  readonly cluster?: ClusterView;
  /** A cluster scenario's timeline: the world at each phase, the first being this world's own state. */
  readonly phases?: readonly PhaseSpec[];
}

/** One point of a timeline: its name and time, what happened to get there, and the world then. */
export interface PhaseSpec {
  readonly name: string;
  /** Virtual seconds from the scenario's start. */
  readonly time: number;
  /** One line per action, saying what it did. */
  readonly said: readonly string[];
  readonly world: WorldSpec;
  readonly at?: Position;
}

export interface SegmentSpec {
  readonly name: string;
  readonly at?: Position;
}

export interface NetnsSpec {
  readonly name: string;
  readonly devices: readonly DeviceSpec[];
  readonly addresses: readonly AddressSpec[];
  readonly routes: readonly RouteSpec[];
  readonly neighbours: readonly NeighSpec[];
  readonly fdb: readonly FdbSpec[];
  /** Only keys that differ from the kernel default, e.g. `net.ipv4.ip_forward: "1"`. */
  readonly sysctls: Readonly<Record<string, string>>;
  readonly listeners: readonly ListenerSpec[];
  /** The iptables ruleset (`iptables-save` text, parsed); omitted = empty tables, ACCEPT policies. */
  readonly iptables?: IptablesSpec;
  /** Files a tool may read on this host (`cat`, the resolver's /etc/resolv.conf), by absolute path. */
  readonly files?: Readonly<Record<string, string>>;
  readonly at?: Position;
}

/** A namespace's ruleset: the parsed value for the simulator, the text for `iptables-restore` in kernel tests. */
export interface IptablesSpec {
  readonly ruleset: Ruleset;
  /** The iptables-save text it was parsed from, verbatim. */
  readonly text: string;
  /** The file it came from (the scenario file itself when inline). */
  readonly file: string;
  readonly at?: Position;
}

interface DeviceBase {
  readonly name: string;
  /** Omitted: drawn from the seeded stream when the world is built (as the kernel randomises). */
  readonly mac?: Mac;
  /** Omitted: the kernel default for the kind (1500; vxlan: lower device MTU − 50; lo: 65536). */
  readonly mtu?: number;
  readonly up: boolean;
  /** Bridge this device is enslaved to (`ip link set X master br0`). */
  readonly master?: string;
  readonly at?: Position;
}

export interface LoopbackSpec extends DeviceBase {
  readonly kind: "loopback";
}
export interface VethSpec extends DeviceBase {
  readonly kind: "veth";
  readonly peer: { readonly netns: string; readonly name: string };
}
export interface BridgeSpec extends DeviceBase {
  readonly kind: "bridge";
  /** Ports whose hairpin flag is on (`bridge link set dev X hairpin on`). */
  readonly hairpin?: readonly string[];
}
export interface VxlanSpec extends DeviceBase {
  readonly kind: "vxlan";
  readonly vni: number;
  readonly local?: Ipv4;
  /** UDP destination port; the Linux default when not given is 8472. */
  readonly dstport: number;
  /** Underlay device the tunnel is bound to (`dev enp0s3`). */
  readonly dev?: string;
  readonly learning: boolean;
}
/** A NIC plugged into a named L2 segment (VirtualBox adapter, physical port). */
export interface NicSpec extends DeviceBase {
  readonly kind: "nic";
  readonly segment: string;
}
export type DeviceSpec = LoopbackSpec | VethSpec | BridgeSpec | VxlanSpec | NicSpec;
export type DeviceKind = DeviceSpec["kind"];

export interface AddressSpec {
  readonly dev: string;
  readonly addr: Ipv4;
  readonly len: number;
  /** `brd +` gives the subnet broadcast; omitted means none, as `ip addr add` without brd. */
  readonly broadcast?: Ipv4;
  readonly scope: Scope;
  readonly at?: Position;
}

export type Scope = "universe" | "link" | "host";
export type RouteType = "unicast" | "local" | "broadcast" | "unreachable" | "blackhole" | "prohibit" | "throw";

export const TABLE_LOCAL = 255;
export const TABLE_MAIN = 254;
export const TABLE_DEFAULT = 253;

export interface RouteSpec {
  readonly table: number;
  readonly type: RouteType;
  readonly dst: Ipv4;
  readonly len: number;
  readonly via?: Ipv4;
  readonly dev?: string;
  readonly src?: Ipv4;
  readonly metric: number;
  readonly scope: Scope;
  /** `proto` as `ip route` prints it: boot (the default for `ip route add`), kernel, static, dhcp… */
  readonly proto: string;
  readonly onlink: boolean;
  readonly at?: Position;
}

export type NeighState = "permanent" | "noarp" | "reachable" | "stale";
export interface NeighSpec {
  readonly dev: string;
  readonly ip: Ipv4;
  readonly mac: Mac;
  readonly state: NeighState;
  readonly at?: Position;
}

/** A `bridge fdb` entry: on a bridge port (`master`) or on a vxlan device (`self`, with `dst`). */
export interface FdbSpec {
  readonly dev: string;
  readonly mac: Mac;
  readonly dst?: Ipv4;
  readonly self: boolean;
  readonly master: boolean;
  readonly permanent: boolean;
  readonly at?: Position;
}

/**
 * A server socket: `http` answers an HTTP request with `body`; `tcp` sends `body` on accept; `udp`
 * answers each datagram with `body`; `dns` is a name server for `zone` on both UDP and TCP `port`,
 * as CoreDNS serves :53 (sock/dns-server.ts), and ignores `body`.
 */
export interface ListenerSpec {
  readonly kind: "http" | "tcp" | "udp" | "dns";
  readonly port: number;
  /** Bound address; omitted = 0.0.0.0. */
  readonly addr?: Ipv4;
  readonly body: string;
  /** kind "dns" only: the names it is authoritative for. */
  readonly zone?: DnsZoneSpec;
  readonly at?: Position;
}

/** What a cluster DNS server knows: CoreDNS's kubernetes plugin for one cluster domain. */
export interface DnsZoneSpec {
  /** The domain it is authoritative for, without trailing dot, e.g. "cluster.local". */
  readonly domain: string;
  /** Fully-qualified lower-case names without trailing dot → their A records. */
  readonly records: Readonly<Record<string, readonly Ipv4[]>>;
}

/** One command typed on one host, with what must come of it. */
export interface ProbeSpec {
  readonly name: string;
  readonly netns: string;
  /** The command line as a person types it, e.g. `curl -s http://10.244.2.2`. */
  readonly command: string;
  readonly expect: ExpectSpec;
  /** Include in kernel differential tests (default true). */
  readonly kernel: boolean;
  readonly at?: Position;
}

/** The outcome classes a probe may expect (docs/scenario-format.md, "Outcomes"). */
export const OUTCOMES = [
  "delivered",
  "refused",
  "no-route-to-host",
  "network-unreachable",
  "timeout",
  "ttl-exceeded",
  "permission-denied",
  "invalid-argument",
] as const;

export interface ExpectSpec {
  readonly exit?: number;
  readonly stdoutContains?: readonly string[];
  readonly stderrContains?: readonly string[];
  /** The outcome class of the probe (see apps/outcome.ts). */
  readonly outcome?: string;
}
