/**
 * Forwarding database entries: `bridge fdb add|append|replace` and structured `fdb:`.
 *
 * Owns where an entry lives and its flags. A vxlan device keeps its own table (`self`): keyed by
 * MAC, `add` on a known MAC is "File exists", `append` adds another destination (an identical
 * one is quietly accepted, as vxlan_fdb_append does), `replace` rewrites it. A bridge port's
 * entries live in its bridge (`master`), keyed by MAC across all ports of that bridge.
 * Defaults follow docs/scenario-format.md: `self` on vxlan, `master` on a bridge port,
 * permanent. (iproute2 itself assumes `self` whenever neither flag is given; see the report.)
 */
import type { Ipv4, Mac } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import type { FdbSpec } from "../../netns/spec.js";
import { refuse, type Refusal } from "../issues.js";
import { isRefusal, needDev, nsOf, type WorldDraft } from "./world.js";

export interface NewFdb {
  readonly mac: Mac;
  readonly dev: string;
  readonly dst?: Ipv4;
  readonly self?: boolean;
  readonly master?: boolean;
  readonly permanent: boolean;
  readonly at: Position;
}

export type FdbMode = "add" | "append" | "replace";

export function addFdb(w: WorldDraft, nsName: string, f: NewFdb, mode: FdbMode): Refusal | undefined {
  const ns = nsOf(w, nsName);
  const dev = needDev(ns, f.dev, "dev");
  if (isRefusal(dev)) return dev;
  const isVxlan = dev.kind === "vxlan";
  const port = dev.master;
  const master = f.master ?? (f.self === true ? false : !isVxlan && port !== undefined);
  const self = f.self ?? (!master && isVxlan);
  if (self && master) return refuse("not-supported", `an entry both "self" and "master" is not modelled; pick one`, "self");
  if (!self && !master) {
    return refuse("not-a-bridge-port", `"${f.dev}" is a ${dev.kind} that is not a bridge port; an FDB entry needs a vxlan device (self) or a bridge port (master)`, "dev");
  }
  if (self && !isVxlan) return refuse("not-supported", `"self" entries are modelled only on vxlan devices; "${f.dev}" is a ${dev.kind}`, "self");
  if (master && port === undefined) return refuse("not-a-bridge-port", `"${f.dev}" is not a bridge port, so it has no master FDB`, "master");
  if (f.dst !== undefined && !self) return refuse("not-supported", `"dst" belongs to vxlan entries (self); "${f.dev}" is a bridge port`, "dst");

  const entry: FdbSpec = { dev: f.dev, mac: f.mac, self, master, permanent: f.permanent, at: f.at, ...(f.dst !== undefined ? { dst: f.dst } : {}) };
  if (self) {
    const same = (x: FdbSpec): boolean => x.self && x.dev === f.dev && x.mac === f.mac;
    const first = ns.fdb.findIndex(same);
    if (mode === "add" && first >= 0) return refuse("file-exists", `File exists: ${f.mac} is already in the FDB of ${f.dev} (use append for another destination, or replace)`, "mac");
    if (mode === "append" && ns.fdb.some((x) => same(x) && x.dst === f.dst)) return undefined;
    if (mode === "replace" && first >= 0) ns.fdb[first] = entry;
    else ns.fdb.push(entry);
    return undefined;
  }
  const inBridge = (x: FdbSpec): boolean => {
    if (!x.master || x.mac !== f.mac) return false;
    return ns.devices.find((d) => d.name === x.dev)?.master === port;
  };
  const first = ns.fdb.findIndex(inBridge);
  if (mode === "add" && first >= 0) return refuse("file-exists", `File exists: ${f.mac} is already in the FDB of bridge ${port ?? "?"}`, "mac");
  if (first >= 0) ns.fdb[first] = entry;
  else ns.fdb.push(entry);
  return undefined;
}
