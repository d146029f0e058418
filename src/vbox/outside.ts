/**
 * The "outside world": one namespace on one segment, standing for the host's LAN and the
 * internet beyond it, with the listeners a test wants to reach. Each NAT engine, NAT service
 * and bridged LAN's router gets its own address here (203.0.113.10 upwards, TEST-NET-3, in the
 * order the builders ask), which MASQUERADE then puts on the packets it forwards.
 *
 * Not as VirtualBox does it: a real NAT engine re-sends from the host's own sockets, so every
 * VM's NAT traffic leaves with the host's single address. Distinct addresses keep each engine's
 * conntrack and replies apart on one segment without a second layer of NAT on a host namespace.
 */
import type { Ipv4, Prefix } from "../core/ip.js";
import { broadcastOf, parseIpv4 } from "../core/ip.js";
import type { NetnsSpec } from "../netns/spec.js";
import type { OutsideSpec } from "./model.js";
import { machine } from "./namespace.js";
import { OUTSIDE_NS, OUTSIDE_SEGMENT } from "./names.js";

export const OUTSIDE_PREFIX: Prefix = { addr: parseIpv4("203.0.113.0")!, len: 24 };
export const OUTSIDE_ADDR = parseIpv4("203.0.113.1")!;
const FIRST_UPLINK = parseIpv4("203.0.113.10")!;
const LAST_UPLINK = parseIpv4("203.0.113.254")!;

export class UplinkPool {
  private next: number = FIRST_UPLINK;
  readonly given: Ipv4[] = [];

  take(): Ipv4 | undefined {
    if (this.next > LAST_UPLINK) return undefined;
    const a = this.next++ as Ipv4;
    this.given.push(a);
    return a;
  }
}

export function outsideNamespace(spec: OutsideSpec | undefined): NetnsSpec {
  return machine(OUTSIDE_NS, {
    devices: [{ kind: "nic", name: "eth0", segment: OUTSIDE_SEGMENT, up: true }],
    addresses: [{ dev: "eth0", addr: OUTSIDE_ADDR, len: OUTSIDE_PREFIX.len, broadcast: broadcastOf(OUTSIDE_ADDR, OUTSIDE_PREFIX.len), scope: "universe" }],
    listeners: spec?.listeners ?? [],
  });
}
