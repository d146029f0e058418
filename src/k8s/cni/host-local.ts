/**
 * host-local IPAM for one range (containernetworking/plugins plugins/ipam/host-local):
 * Range.Canonicalize (gateway = network + 1, rangeStart = network + 1, rangeEnd = the address
 * before broadcast; /31 and /32 refused), IPAllocator.Get with its round-robin iterator (start
 * after last_reserved_ip, wrap at rangeEnd to rangeStart, skip the gateway, give up on returning
 * to where the search began), requested addresses, and Release (which leaves last_reserved_ip
 * alone — so a deleted pod's address is not handed out again until the range wraps).
 * Error texts are host-local's, wrapped as its cmdAdd wraps them.
 */
import type { Ipv4, Prefix } from "../../core/ip.js";
import { broadcastOf, formatIpv4, formatPrefix, inPrefix, ipv4, networkOf } from "../../core/ip.js";
import type { HostLocalState } from "./model.js";

export interface HostLocalRange {
  readonly subnet: Prefix;
  readonly gateway: Ipv4;
  readonly start: Ipv4;
  readonly end: Ipv4;
}

export const EMPTY_STATE: HostLocalState = { reserved: new Map() };

export type Canonical = { readonly ok: true; readonly range: HostLocalRange } | { readonly ok: false; readonly error: string };

export function canonicalRange(subnet: Prefix): Canonical {
  const net = networkOf(subnet.addr, subnet.len);
  if (subnet.len > 30) return { ok: false, error: `invalid range set 0: Network ${formatPrefix({ addr: net, len: subnet.len })} too small to allocate from` };
  return { ok: true, range: { subnet: { addr: net, len: subnet.len }, gateway: ipv4(net + 1), start: ipv4(net + 1), end: ipv4(broadcastOf(net, subnet.len) - 1) } };
}

/** Range.String(), as the "no IP addresses available" message prints the range set. */
export function rangeText(r: HostLocalRange): string {
  return `${formatIpv4(r.start)}-${formatIpv4(r.end)}`;
}

function contains(r: HostLocalRange, a: Ipv4): boolean {
  return inPrefix(a, r.subnet.addr, r.subnet.len) && a >= r.start && a <= r.end;
}

export type Allocation =
  | { readonly ok: true; readonly ip: Ipv4; readonly gateway: Ipv4; readonly state: HostLocalState }
  /** `state`: host-local's files after the failed ADD (a reservation made and rolled back still moved last_reserved_ip). */
  | { readonly ok: false; readonly code: IpamErrorCode; readonly error: string; readonly state: HostLocalState };

export type IpamErrorCode = "ipam-exhausted" | "ipam-requested-ip" | "ipam-duplicate";

function reserve(state: HostLocalState, a: Ipv4, owner: string): HostLocalState | undefined {
  if (state.reserved.has(a)) return undefined; // O_EXCL create of the address's file fails
  const reserved = new Map(state.reserved);
  reserved.set(a, owner);
  return { reserved, lastReserved: a };
}

/** host-local cmdAdd for one range set with one range. */
export function allocate(state: HostLocalState, r: HostLocalRange, owner: string, requested?: Ipv4): Allocation {
  const wrap = (e: string) => `failed to allocate for range 0: ${e}`;
  if (requested !== undefined && contains(r, requested)) {
    if (requested === r.gateway) return { ok: false, code: "ipam-requested-ip", error: wrap(`requested ip ${formatIpv4(requested)} is subnet's gateway`), state };
    const next = reserve(state, requested, owner);
    if (!next) return { ok: false, code: "ipam-requested-ip", error: wrap(`requested IP address ${formatIpv4(requested)} is not available in range set ${rangeText(r)}`), state };
    return { ok: true, ip: requested, gateway: r.gateway, state: next };
  }
  for (const [a, who] of state.reserved) {
    if (who === owner && contains(r, a)) return { ok: false, code: "ipam-duplicate", error: wrap(`${formatIpv4(a)} has been allocated to ${owner}, duplicate allocation is not allowed`), state };
  }
  const got = searchFree(state, r, owner);
  if (!got) return { ok: false, code: "ipam-exhausted", error: wrap(`no IP addresses available in range set: ${rangeText(r)}`), state };
  if (requested !== undefined) {
    // A requested address no range holds: host-local allocated normally, then releases it and
    // fails. The released file goes; last_reserved_ip keeps the address it wrote.
    return { ok: false, code: "ipam-requested-ip", error: `failed to allocate all requested IPs: ${formatIpv4(requested)}`, state: { reserved: state.reserved, lastReserved: got.ip } };
  }
  return { ok: true, ip: got.ip, gateway: r.gateway, state: got.state };
}

/** GetIter + Next: from last_reserved_ip + 1 (or rangeStart), skipping the gateway and taken addresses. */
function searchFree(state: HostLocalState, r: HostLocalRange, owner: string): { ip: Ipv4; state: HostLocalState } | undefined {
  const resume = state.lastReserved !== undefined && contains(r, state.lastReserved);
  let cur: Ipv4 | undefined = resume ? state.lastReserved : undefined;
  let startIp: Ipv4 | undefined;
  for (;;) {
    if (cur === undefined) {
      cur = r.start;
      startIp = cur;
    } else {
      cur = cur === r.end ? r.start : ipv4(cur + 1);
      if (startIp === undefined) startIp = cur;
      else if (cur === startIp) return undefined;
    }
    if (cur === r.gateway) continue;
    const next = reserve(state, cur, owner);
    if (next) return { ip: cur, state: next };
  }
}

/** host-local cmdDel: every file naming the owner goes; last_reserved_ip stays. */
export function release(state: HostLocalState, owner: string): HostLocalState {
  const reserved = new Map([...state.reserved].filter(([, who]) => who !== owner));
  return state.lastReserved === undefined ? { reserved } : { reserved, lastReserved: state.lastReserved };
}
