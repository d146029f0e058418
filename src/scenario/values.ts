/**
 * Scalar values of the scenario language: addresses, prefixes, MACs, names, numbers in range,
 * route tables / scopes / protocols / types, neighbour states.
 *
 * Owns one parser per kind of value, shared by the structured form (wrapped as zod schemas in
 * schema.ts) and the command lines (commands/*), so both forms accept exactly the same text and
 * report the same message. The defaults that `ip` itself fills in before talking to the kernel
 * (address scope, route table and scope) live here too, for the same reason.
 */
import {
  broadcastOf,
  formatPrefix,
  isMulticastMac,
  networkOf,
  parseIpv4,
  parseMac,
  parsePrefix,
  ZERO_MAC,
  type Ipv4,
  type Mac,
  type Prefix,
} from "../core/ip.js";
import type { NeighState, RouteType, Scope } from "../netns/spec.js";
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN } from "../netns/spec.js";
import type { IssueCode } from "./issues.js";

/** A parsed value, or why the text is not one (the caller knows where the text was). */
export type Value<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: IssueCode; readonly message: string };

const good = <T>(value: T): Value<T> => ({ ok: true, value });
const bad = <T = never>(code: IssueCode, message: string): Value<T> => ({ ok: false, code, message });

export function quote(text: string): string {
  return JSON.stringify(text);
}

export function ipv4Text(text: string): Value<Ipv4> {
  const a = parseIpv4(text);
  return a === undefined ? bad("expected-ipv4", `expected an IPv4 address like 10.0.0.1, found ${quote(text)}`) : good(a);
}

/** An interface address: `a.b.c.d/len`, host bits allowed; a bare address is /32 as with `ip addr add`. */
export function ifaddrText(text: string): Value<Prefix> {
  const p = parsePrefix(text, true);
  return p === undefined
    ? bad("expected-prefix", `expected an address with prefix length like 10.0.0.1/24, found ${quote(text)}`)
    : good(p);
}

/**
 * A route destination: `default` (also `all`/`any`, as iproute2's get_prefix), `a.b.c.d/len` or a
 * bare address (/32). Host bits are refused as fib_table_insert does (fib_valid_key_len).
 */
export function routeDstText(text: string): Value<Prefix> {
  if (text === "default" || text === "all" || text === "any") return good({ addr: 0 as Ipv4, len: 0 });
  const p = parsePrefix(text, true);
  if (p === undefined) {
    return bad("expected-prefix", `expected a destination like 10.244.0.0/16, an address or "default", found ${quote(text)}`);
  }
  const net = networkOf(p.addr, p.len);
  if (net !== p.addr) {
    return bad(
      "invalid-prefix",
      `Invalid prefix for given prefix length: ${text} has host bits set; expected ${formatPrefix({ addr: net, len: p.len })}`,
    );
  }
  return good(p);
}

/** Any MAC (FDB and neighbour entries may name all-zeros or multicast addresses). */
export function macText(text: string): Value<Mac> {
  const m = parseMac(text);
  return m === undefined ? bad("expected-mac", `expected a MAC address like 02:00:00:00:00:01, found ${quote(text)}`) : good(m);
}

/** A device's own MAC: eth_validate_addr refuses multicast and all-zeros ("Cannot assign requested address"). */
export function deviceMacText(text: string): Value<Mac> {
  const m = macText(text);
  if (!m.ok) return m;
  if (m.value === ZERO_MAC || isMulticastMac(m.value)) {
    return bad("invalid-mac", `${m.value} is not a unicast MAC a device can have (Cannot assign requested address)`);
  }
  return m;
}

export function intInRange(n: number, lo: number, hi: number, what: string, kernelSays?: string): Value<number> {
  if (!Number.isInteger(n) || n < lo || n > hi) {
    const why = kernelSays === undefined ? "" : ` (${kernelSays})`;
    return bad("out-of-range", `${what} ${n} is out of range; expected a whole number ${lo}–${hi}${why}`);
  }
  return good(n);
}

/** Decimal digits only: what people type; iproute2's hex forms are not worth the ambiguity. */
export function intText(text: string, lo: number, hi: number, what: string, kernelSays?: string): Value<number> {
  if (!/^\d+$/.test(text)) return bad("expected-number", `expected ${what} as a whole number, found ${quote(text)}`);
  return intInRange(Number(text), lo, hi, what, kernelSays);
}

/** Ethernet-like devices: min_mtu 68 (IPv4's minimum) and max_mtu 65535 (ETH_MAX_MTU). */
export const MTU_MIN = 68;
export const MTU_MAX = 65535;
/** lo has no max_mtu; below 68 IPv4 would be switched off on it, which we do not model. */
export const LO_MTU_MAX = 2147483647;
export const LO_MTU = 65536;

export function mtuValue(n: number, loopback: boolean): Value<number> {
  if (n < MTU_MIN) return intInRange(n, MTU_MIN, loopback ? LO_MTU_MAX : MTU_MAX, "mtu", "mtu less than device minimum");
  return intInRange(n, MTU_MIN, loopback ? LO_MTU_MAX : MTU_MAX, "mtu", "mtu greater than device maximum");
}

export const VNI_MAX = 16777215;
export const vniValue = (n: number): Value<number> => intInRange(n, 0, VNI_MAX, "VNI", "invalid id");
export const portValue = (n: number): Value<number> => intInRange(n, 1, 65535, "port");
/** The kernel's vxlan default port (IANA's 4789 only when asked for); `dstport 0` also means this. */
export const VXLAN_DEFAULT_PORT = 8472;
export const dstportValue = (n: number): Value<number> => {
  const v = intInRange(n, 0, 65535, "dstport");
  return v.ok && v.value === 0 ? good(VXLAN_DEFAULT_PORT) : v;
};
export const METRIC_MAX = 4294967295;
export const metricValue = (n: number): Value<number> => intInRange(n, 0, METRIC_MAX, "metric");

/** Device names as dev_valid_name accepts them: 1–15 bytes, no '/', ':' or whitespace, not "." or "..". */
export function deviceNameText(text: string): Value<string> {
  if (text.length === 0 || text.length > 15 || text === "." || text === ".." || /[/:\s]/.test(text)) {
    return bad("bad-name", `${quote(text)} is not a valid device name; expected 1–15 characters without '/', ':' or spaces`);
  }
  return good(text);
}

/** Namespace names end up as file names under /run/netns. */
export function netnsNameText(text: string): Value<string> {
  if (text.length === 0 || text === "." || text === ".." || /[/\s]/.test(text)) {
    return bad("bad-name", `${quote(text)} is not a valid namespace name; expected a name without '/' or spaces`);
  }
  return good(text);
}

/** `netns/name` (the other end of a veth); a bare name means the same namespace, as without `netns`. */
export function peerText(text: string, here: string): Value<{ netns: string; name: string }> {
  const slash = text.indexOf("/");
  const netns = slash < 0 ? here : text.slice(0, slash);
  const name = slash < 0 ? text : text.slice(slash + 1);
  if (netns.length === 0) return bad("bad-name", `expected peer as NETNS/NAME, found ${quote(text)}`);
  const n = deviceNameText(name);
  return n.ok ? good({ netns, name }) : n;
}

/** `ip route` table names from /etc/iproute2/rt_tables; table 0 (unspec) is main, as fib_new_table does. */
export function tableValue(v: string | number): Value<number> {
  if (typeof v === "number" || /^\d+$/.test(v)) {
    const n = intInRange(Number(v), 0, 4294967295, "table");
    return n.ok && n.value === 0 ? good(TABLE_MAIN) : n;
  }
  const named: Record<string, number> = { main: TABLE_MAIN, local: TABLE_LOCAL, default: TABLE_DEFAULT };
  const t = named[v];
  return t === undefined ? bad("bad-value", `unknown table ${quote(v)}; expected main, local, default or a number`) : good(t);
}

export function scopeText(text: string): Value<Scope> {
  switch (text) {
    case "global":
    case "universe":
    case "0":
      return good("universe");
    case "link":
    case "253":
      return good("link");
    case "host":
    case "254":
      return good("host");
    default:
      return bad("bad-value", `unknown scope ${quote(text)}; expected global (universe), link or host`);
  }
}

/** /etc/iproute2/rt_protos: `ip route` prints these names for the numbers, so we store the names. */
const PROTOS: Record<number, string> = {
  0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 8: "gated", 9: "ra", 10: "mrt",
  11: "zebra", 12: "bird", 13: "dnrouted", 14: "xorp", 15: "ntk", 16: "dhcp", 18: "keepalived",
  42: "babel", 186: "bgp", 187: "isis", 188: "ospf", 189: "rip", 192: "eigrp",
};
const PROTO_NAMES = new Set(Object.values(PROTOS));

export function protoValue(v: string | number): Value<string> {
  if (typeof v === "number" || /^\d+$/.test(v)) {
    const n = intInRange(Number(v), 0, 255, "proto");
    return n.ok ? good(PROTOS[n.value] ?? String(n.value)) : n;
  }
  return PROTO_NAMES.has(v)
    ? good(v)
    : bad("bad-value", `unknown proto ${quote(v)}; expected a number 0–255 or one of: ${[...PROTO_NAMES].join(", ")}`);
}

export const ROUTE_TYPES: readonly RouteType[] = ["unicast", "local", "broadcast", "unreachable", "blackhole", "prohibit", "throw"];
export function routeTypeText(text: string): RouteType | undefined {
  return (ROUTE_TYPES as readonly string[]).includes(text) ? (text as RouteType) : undefined;
}

export const NEIGH_STATES: readonly NeighState[] = ["permanent", "noarp", "reachable", "stale"];
export function nudText(text: string): Value<NeighState> {
  const s = text.toLowerCase();
  return (NEIGH_STATES as readonly string[]).includes(s)
    ? good(s as NeighState)
    : bad("bad-value", `unsupported nud ${quote(text)}; expected one of: ${NEIGH_STATES.join(", ")}`);
}

/** `brd +` = all host bits set, `brd -` = none, or an explicit address (ipaddr_modify in iproute2). */
export function brdText(text: string, p: Prefix): Value<Ipv4> {
  if (text === "+") return good(broadcastOf(p.addr, p.len));
  if (text === "-") return good(networkOf(p.addr, p.len));
  const a = parseIpv4(text);
  return a === undefined ? bad("expected-ipv4", `expected brd as +, - or an IPv4 address, found ${quote(text)}`) : good(a);
}

/** iproute2's default_scope(): loopback addresses get scope host, everything else global. */
export function defaultAddrScope(addr: Ipv4): Scope {
  return addr >>> 24 === 127 ? "host" : "universe";
}

/** iproute_modify(): local/broadcast routes go to table local unless a table was named. */
export function defaultRouteTable(type: RouteType): number {
  return type === "local" || type === "broadcast" ? TABLE_LOCAL : TABLE_MAIN;
}

/** iproute_modify(): host for local, link for broadcast and for unicast without a gateway, else global. */
export function defaultRouteScope(type: RouteType, hasVia: boolean): Scope {
  if (type === "local") return "host";
  if (type === "broadcast") return "link";
  if (type === "unicast" && !hasVia) return "link";
  return "universe";
}
