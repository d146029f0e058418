/** A namespace as a booted machine has it before any NIC: lo up with 127.0.0.1/8 (the scenario loader's convention too). */
import { ipv4 } from "../core/ip.js";
import type { AddressSpec, DeviceSpec, NetnsSpec } from "../netns/spec.js";

export const LOOPBACK: DeviceSpec = { kind: "loopback", name: "lo", up: true };
export const LOOPBACK_ADDR: AddressSpec = { dev: "lo", addr: ipv4(0x7f000001), len: 8, scope: "host" };

export function machine(name: string, parts: Partial<Omit<NetnsSpec, "name">>): NetnsSpec {
  return {
    name,
    devices: [LOOPBACK, ...(parts.devices ?? [])],
    addresses: [LOOPBACK_ADDR, ...(parts.addresses ?? [])],
    routes: parts.routes ?? [],
    neighbours: parts.neighbours ?? [],
    fdb: parts.fdb ?? [],
    sysctls: parts.sysctls ?? {},
    listeners: parts.listeners ?? [],
    ...(parts.iptables ? { iptables: parts.iptables } : {}),
  };
}
