/**
 * Neighbour entries: `ip neigh add|replace` and structured `neighbours:`.
 *
 * Owns the neigh_add rules: the key is (device, address); `add` on an existing key is "File
 * exists", `replace` overwrites it. (`lladdr` being required is checked where it is parsed.)
 */
import type { Ipv4, Mac } from "../../core/ip.js";
import { formatIpv4 } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import type { NeighState } from "../../netns/spec.js";
import { refuse, type Refusal } from "../issues.js";
import { isRefusal, needDev, nsOf, type WorldDraft } from "./world.js";

export interface NewNeigh {
  readonly ip: Ipv4;
  readonly dev: string;
  readonly mac: Mac;
  readonly state: NeighState;
  readonly at: Position;
}

export function addNeigh(w: WorldDraft, nsName: string, n: NewNeigh, mode: "add" | "replace"): Refusal | undefined {
  const ns = nsOf(w, nsName);
  const dev = needDev(ns, n.dev, "dev");
  if (isRefusal(dev)) return dev;
  const entry = { ip: n.ip, dev: n.dev, mac: n.mac, state: n.state, at: n.at };
  const i = ns.neighbours.findIndex((x) => x.dev === n.dev && x.ip === n.ip);
  if (i >= 0 && mode === "add") return refuse("file-exists", `File exists: ${formatIpv4(n.ip)} on ${n.dev} already has a neighbour entry (use replace)`, "ip");
  if (i >= 0) ns.neighbours[i] = entry;
  else ns.neighbours.push(entry);
  return undefined;
}
