/**
 * One namespace shape for the three VirtualBox parts that route a private network out: the
 * per-VM NAT engine, a NAT network's NAT service and a bridged LAN's router. Each has `eth0` on
 * the private segment holding its service addresses, `eth1` on the outside segment, forwarding
 * on, and the masquerade ruleset (masquerade.ts).
 */
import type { Ipv4, Mac, Prefix } from "../core/ip.js";
import { broadcastOf } from "../core/ip.js";
import type { Result } from "../core/issue.js";
import { fail, ok } from "../core/issue.js";
import type { AddressSpec, DeviceSpec, NetnsSpec } from "../netns/spec.js";
import type { Forward } from "./masquerade.js";
import { machine } from "./namespace.js";
import { masqueradeRules } from "./masquerade.js";
import { INNER_DEV, OUTSIDE_SEGMENT, UPLINK_DEV } from "./names.js";
import { OUTSIDE_PREFIX } from "./outside.js";

export interface GatewayPlan {
  readonly name: string;
  readonly segment: string;
  /** The inside prefix; the first of `addresses` is the primary. */
  readonly inside: Prefix;
  readonly addresses: readonly Ipv4[];
  readonly mac?: Mac;
  readonly uplink: Ipv4;
  readonly forwards: readonly Forward[];
  /** Where the ruleset says it came from (shown by views and issues). */
  readonly file: string;
}

const addr = (dev: string, a: Ipv4, len: number): AddressSpec => ({ dev, addr: a, len, broadcast: broadcastOf(a, len), scope: "universe" });

export function gatewayNamespace(p: GatewayPlan): Result<NetnsSpec> {
  const rules = masqueradeRules(p.inside, p.uplink, p.forwards, p.file);
  if (!rules.ok) return fail(rules.issues);
  const devices: DeviceSpec[] = [
    { kind: "nic", name: INNER_DEV, segment: p.segment, up: true, ...(p.mac ? { mac: p.mac } : {}) },
    { kind: "nic", name: UPLINK_DEV, segment: OUTSIDE_SEGMENT, up: true },
  ];
  const addresses = [...p.addresses.map((a) => addr(INNER_DEV, a, p.inside.len)), addr(UPLINK_DEV, p.uplink, OUTSIDE_PREFIX.len)];
  return ok(machine(p.name, { devices, addresses, sysctls: { "net.ipv4.ip_forward": "1" }, iptables: rules.value }));
}
