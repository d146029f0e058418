/** What every mode's builder says about one L2 network before any guest is placed on it. */
import type { Ipv4, Mac, Prefix } from "../core/ip.js";
import type { AdapterMode } from "./model.js";
import type { DhcpServer } from "./dhcp.js";

export interface NetworkPlan {
  readonly mode: AdapterMode;
  readonly segment: string;
  /** The subnet VirtualBox (or the LAN) runs on it; internal networks have none. */
  readonly prefix?: Prefix;
  readonly dhcp?: DhcpServer;
  /** Addresses VirtualBox's own parts hold on the segment (gateway, DNS, host adapter, DHCP server). */
  readonly reserved: readonly Ipv4[];
  /** A routing namespace in front of the network (NAT engine, NAT service, LAN router). */
  readonly gateway?: { readonly name: string; readonly addresses: readonly Ipv4[]; readonly mac?: Mac };
  /** The host's adapter on it (host-only): device name, address, MAC. */
  readonly hostAdapter?: { readonly dev: string; readonly addr: Ipv4; readonly len: number; readonly mac: Mac };
}

/** network + n, for offsets inside a prefix. */
export const at = (p: Prefix, n: number): Ipv4 => ((p.addr + n) >>> 0) as Ipv4;
