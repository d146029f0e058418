/** The two VirtualBox nodes of scenarios/lowlevel/vxlan-underlay-*.yaml, as flanneld finds them before it runs. */
import { parseIpv4, parsePrefix } from "../../../src/core/ip.js";
import type { Ipv4, Prefix } from "../../../src/core/ip.js";
import type { NetnsSpec, WorldSpec } from "../../../src/netns/spec.js";
import { loadScenarioFile } from "../../../src/scenario/load.js";
import type { HostState } from "../../../src/k8s/flannel/host.js";
import type { KlogClock } from "../../../src/k8s/flannel/klog.js";

export const ip = (s: string): Ipv4 => parseIpv4(s)!;
export const cidr = (s: string): Prefix => parsePrefix(s)!;

export function scenario(name: "nat" | "hostonly"): WorldSpec {
  const r = loadScenarioFile(new URL(`../../../scenarios/lowlevel/vxlan-underlay-${name}.yaml`, import.meta.url).pathname);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
  return r.value;
}

export function ns(world: WorldSpec, name: string): NetnsSpec {
  const n = world.namespaces.find((x) => x.name === name);
  if (!n) throw new Error(`no namespace ${name}`);
  return n;
}

/** The node with only what the VM has at boot: lo, the NAT NIC with its DHCP default route, the host-only NIC. */
export function bootHost(world: WorldSpec, node: string): HostState {
  const n = ns(world, node);
  const keep = new Set(["lo", "enp0s3", "enp0s8"]);
  return {
    devices: n.devices.filter((d) => keep.has(d.name)),
    addresses: n.addresses.filter((a) => keep.has(a.dev)),
    routes: n.routes.filter((r) => r.dev !== undefined && keep.has(r.dev)),
  };
}

/** Drops source positions so generated and loaded values compare equal. */
export function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === "at" ? undefined : x))) as T;
}

/** 21 Nov 2024 09:00:00 UTC, pid 1 (flanneld is PID 1 in its container), 1 ms between lines. */
export const CLOCK: KlogClock = { pid: 1, startUs: Date.UTC(2024, 10, 21, 9, 0, 0) * 1000, stepUs: 1000 };

export const NET_CONF = `{
  "Network": "10.244.0.0/16",
  "EnableNFTables": false,
  "Backend": {
    "Type": "vxlan"
  }
}
`;
