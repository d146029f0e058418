/**
 * Checks a VboxModel and turns its text into typed values: adapter numbers, modes, static
 * addresses, MACs and port forwards. Every problem is collected as an Issue (with the VM and
 * adapter in the message); the builders only ever see a model that passed.
 */
import type { Ipv4, Mac, Prefix } from "../core/ip.js";
import { inPrefix, parseIpv4, parsePrefix } from "../core/ip.js";
import type { Issue, Position, Result } from "../core/issue.js";
import { fail, ok } from "../core/issue.js";
import { parseVboxMac, vboxMac } from "./mac.js";
import type { AdapterAttachment, AdapterSpec, PortForwardSpec, VboxModel } from "./model.js";
import { FIRST_ADAPTER, HOST_NS, LAST_ADAPTER, OUTSIDE_NS, guestIfName } from "./names.js";

export interface ParsedAdapter {
  readonly vm: string;
  readonly adapter: number;
  readonly ifname: string;
  readonly attachment: AdapterAttachment;
  /** The guest's static address; undefined = DHCP. */
  readonly static?: Prefix;
  /** netplan's default route for a static address. */
  readonly gateway?: Ipv4;
  readonly mac: Mac;
  readonly portForwards: readonly PortForward[];
  readonly at: Position;
}

export interface PortForward {
  readonly name: string;
  readonly proto: "tcp" | "udp";
  readonly hostPort: number;
  readonly guestPort: number;
  readonly guestIp?: number;
}

export interface ParsedVm {
  readonly name: string;
  /** In adapter-number order (the guest's PCI order). */
  readonly adapters: readonly ParsedAdapter[];
}

const MODES = new Set(["nat", "natnetwork", "hostonly", "bridged", "internal"]);

export function validateModel(model: VboxModel): Result<ParsedVm[]> {
  const issues: Issue[] = [];
  const file = model.file ?? "vbox";
  const where = (at: Position | undefined): Position => at ?? { file, line: 1, column: 1 };
  const seen = new Set<string>();
  const vms: ParsedVm[] = [];
  for (const vm of model.vms) {
    const bad = (code: string, message: string, at?: Position) => issues.push({ code, message, at: where(at ?? vm.at) });
    if (seen.has(vm.name)) bad("duplicate-vm", `VM ${vm.name} is declared twice`);
    if (vm.name === HOST_NS || vm.name === OUTSIDE_NS) bad("name-clash", `VM ${vm.name}: the name is taken by the ${vm.name} namespace the builder creates`);
    seen.add(vm.name);
    const numbers = new Set<number>();
    const adapters: ParsedAdapter[] = [];
    for (const a of vm.adapters) {
      const what = `VM ${vm.name} adapter ${String(a.adapter)}`;
      const badA = (code: string, message: string) => bad(code, `${what}: ${message}`, a.at);
      if (!Number.isInteger(a.adapter) || a.adapter < FIRST_ADAPTER || a.adapter > LAST_ADAPTER) {
        badA("adapter-out-of-range", `adapters are numbered ${FIRST_ADAPTER}–${LAST_ADAPTER}`);
        continue;
      }
      if (numbers.has(a.adapter)) badA("duplicate-adapter", "configured twice");
      numbers.add(a.adapter);
      const attachment = checkAttachment(a, badA);
      let staticAddr: Prefix | undefined;
      if (a.address !== undefined) {
        staticAddr = parsePrefix(a.address, false);
        if (staticAddr === undefined) badA("bad-address", `address ${a.address} is not a.b.c.d/len`);
      }
      let mac = vboxMac(model.seed, vm.name, a.adapter);
      if (a.mac !== undefined) {
        const m = parseVboxMac(a.mac);
        if (m === undefined) badA("bad-mac", `MAC ${a.mac} is not a unicast address (12 hex digits or colon form)`);
        else mac = m;
      }
      const portForwards = checkForwards(a, attachment, badA);
      if (attachment === undefined) continue;
      let gateway: Ipv4 | undefined;
      if (a.gateway !== undefined) {
        gateway = parseIpv4(a.gateway);
        if (gateway === undefined) badA("bad-address", `gateway ${a.gateway} is not an IPv4 address`);
        else if (staticAddr === undefined) badA("bad-address", `gateway ${a.gateway} goes with a static address (a DHCP lease brings its own router)`);
        else if (!inPrefix(gateway, staticAddr.addr, staticAddr.len)) badA("bad-address", `gateway ${a.gateway} is not inside ${a.address} (netplan would need on-link: true)`);
      }
      adapters.push({ vm: vm.name, adapter: a.adapter, ifname: guestIfName(a.adapter), attachment, mac, portForwards, at: where(a.at ?? vm.at), ...(staticAddr ? { static: staticAddr } : {}), ...(gateway !== undefined ? { gateway } : {}) });
    }
    vms.push({ name: vm.name, adapters: adapters.sort((x, y) => x.adapter - y.adapter) });
  }
  return issues.length > 0 ? fail(issues) : ok(vms);
}

/** The attachment, or undefined (with an issue) when its mode or network name is missing. */
function checkAttachment(a: AdapterSpec, bad: (code: string, message: string) => void): AdapterAttachment | undefined {
  // Input may come from YAML/JSON, so the mode is checked at run time whatever the type says.
  const mode: string = (a as { mode: unknown }).mode as string;
  if (!MODES.has(mode)) {
    bad("unknown-mode", `mode ${JSON.stringify(mode)} is not one of nat, natnetwork, hostonly, bridged, internal`);
    return undefined;
  }
  const named = (key: "network" | "lan"): string | undefined => {
    const v = (a as Record<string, unknown>)[key];
    if (typeof v === "string" && v !== "") return v;
    bad("missing-network", `mode ${mode} needs a ${key} name`);
    return undefined;
  };
  switch (mode) {
    case "nat":
      return { mode };
    case "hostonly": {
      const v = (a as { network?: unknown }).network;
      return { mode, network: typeof v === "string" && v !== "" ? v : "vboxnet0" };
    }
    case "bridged": {
      const lan = named("lan");
      return lan === undefined ? undefined : { mode, lan };
    }
    default: {
      const network = named("network");
      return network === undefined ? undefined : { mode: mode as "natnetwork" | "internal", network };
    }
  }
}

function checkForwards(a: AdapterSpec, attachment: AdapterAttachment | undefined, bad: (code: string, message: string) => void): PortForward[] {
  const list: readonly PortForwardSpec[] = a.portForwards ?? [];
  if (list.length > 0 && attachment !== undefined && attachment.mode !== "nat") {
    bad("port-forward-not-nat", `port forwards (--natpf${a.adapter}) need mode nat, not ${attachment.mode}`);
    return [];
  }
  const out: PortForward[] = [];
  const port = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;
  for (const f of list) {
    if (!port(f.hostPort) || !port(f.guestPort)) {
      bad("bad-port", `port forward ${f.name}: ports must be 1–65535`);
      continue;
    }
    if (f.proto !== "tcp" && f.proto !== "udp") {
      bad("bad-port", `port forward ${f.name}: protocol must be tcp or udp`);
      continue;
    }
    const guestIp = f.guestIp === undefined ? undefined : parseIpv4(f.guestIp);
    if (f.guestIp !== undefined && guestIp === undefined) {
      bad("bad-address", `port forward ${f.name}: guest IP ${f.guestIp} is not an address`);
      continue;
    }
    out.push({ name: f.name, proto: f.proto, hostPort: f.hostPort, guestPort: f.guestPort, ...(guestIp !== undefined ? { guestIp } : {}) });
  }
  return out;
}
