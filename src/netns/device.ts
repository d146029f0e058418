/**
 * A network device as one namespace sees it (`ip link`): name, ifindex, MAC, MTU, up/down,
 * bridge membership, and the parts only some kinds have (veth peer, bridge ports and FDB,
 * vxlan parameters and FDB, the L2 segment a NIC is plugged into). Behaviour lives in link/.
 */
import type { Ipv4, Mac } from "../core/ip.js";
import type { DeviceKind } from "./spec.js";
import type { Netns } from "./netns.js";

export interface BridgeFdbEntry {
  readonly port: Device;
  /** A local entry: the MAC of the bridge or of one of its ports; frames to it go up the stack. */
  readonly local: boolean;
  readonly permanent: boolean;
}

export interface VxlanParams {
  readonly vni: number;
  readonly local?: Ipv4;
  readonly dstport: number;
  readonly lower?: Device;
  readonly learning: boolean;
  /** MAC → remote VTEP addresses (`bridge fdb … dst`); 00:00:00:00:00:00 is the default entry. */
  readonly fdb: Map<Mac, Ipv4[]>;
}

export class Device {
  master: Device | undefined;
  peer: Device | undefined;
  /** Bridge only. */
  readonly ports: Device[] = [];
  readonly fdb = new Map<Mac, BridgeFdbEntry>();
  /** As a bridge port: hairpin mode (off by default). */
  hairpin = false;
  vxlan: VxlanParams | undefined;
  segment: string | undefined;

  constructor(
    readonly ns: Netns,
    readonly ifindex: number,
    readonly name: string,
    readonly kind: DeviceKind,
    public mac: Mac,
    public mtu: number,
    public up: boolean,
  ) {}

  get label(): string {
    return `${this.ns.name}:${this.name}`;
  }
}

export interface Address {
  readonly dev: Device;
  readonly addr: Ipv4;
  readonly len: number;
  readonly broadcast?: Ipv4;
  readonly scope: "universe" | "link" | "host";
}
