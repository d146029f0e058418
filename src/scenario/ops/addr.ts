/**
 * Interface addresses: `ip addr add|replace`.
 *
 * Owns the kernel's rule for duplicates (__inet_insert_ifa): the same address with the same
 * prefix length on the same device is "Address already assigned"; the same address with another
 * length is a second, valid entry. `replace` updates broadcast and scope in place.
 */
import type { Ipv4 } from "../../core/ip.js";
import { formatPrefix } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import type { Scope } from "../../netns/spec.js";
import { refuse, type Refusal } from "../issues.js";
import { isRefusal, needDev, nsOf, type WorldDraft } from "./world.js";

export interface NewAddress {
  readonly dev: string;
  readonly addr: Ipv4;
  readonly len: number;
  readonly broadcast?: Ipv4;
  readonly scope: Scope;
  readonly at: Position;
}

export function addAddress(w: WorldDraft, nsName: string, a: NewAddress, mode: "add" | "replace"): Refusal | undefined {
  const ns = nsOf(w, nsName);
  const dev = needDev(ns, a.dev, "dev");
  if (isRefusal(dev)) return dev;
  const entry = {
    dev: a.dev,
    addr: a.addr,
    len: a.len,
    scope: a.scope,
    at: a.at,
    ...(a.broadcast !== undefined ? { broadcast: a.broadcast } : {}),
  };
  const i = ns.addresses.findIndex((x) => x.dev === a.dev && x.addr === a.addr && x.len === a.len);
  if (i >= 0 && mode === "add") {
    return refuse("duplicate-address", `${formatPrefix(a)} is already on ${a.dev}: Address already assigned`, "addr");
  }
  if (i >= 0) ns.addresses[i] = entry;
  else ns.addresses.push(entry);
  return undefined;
}
