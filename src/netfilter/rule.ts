/**
 * The ruleset as typed values: what `iptables-save` prints, parsed once (syntax/) and read by
 * the evaluators (eval/). One rule = the IP header filter of `struct ipt_entry` (addresses,
 * protocol, interfaces) + a list of match extensions + one target, as in the kernel's
 * ip_tables; each match and target value holds exactly what its kernel extension stores
 * (xt_tcpudp, xt_mark, xt_conntrack, xt_statistic, xt_recent, ipt_REJECT, xt_nat …), so the
 * printer can give back the kernel's form and the evaluators need no text.
 *
 * This file is the contract between the parser/printer, the evaluators and the views.
 */
import type { Ipv4 } from "../core/ip.js";
import type { Position } from "../core/issue.js";

export type TableName = "raw" | "mangle" | "nat" | "filter";
/** Kernel order of tables inside one hook (by priority): raw, mangle, nat (DNAT), filter. */
export const TABLE_NAMES: readonly TableName[] = ["raw", "mangle", "nat", "filter"];

export type BuiltinChain = "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING";

/** The built-in chains each table has, in the order iptables-save prints them. */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly BuiltinChain[]>> = {
  raw: ["PREROUTING", "OUTPUT"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  filter: ["INPUT", "FORWARD", "OUTPUT"],
};

/** Chains as iptables-save lists them: the built-ins in BUILTIN_CHAINS order, then user chains by name (strcmp). */
export function saveOrder<C extends { readonly name: string; readonly builtin: boolean }>(table: TableName, chains: Iterable<C>): C[] {
  const all = [...chains];
  const builtins = BUILTIN_CHAINS[table].map((n) => all.find((c) => c.builtin && c.name === n)).filter((c): c is C => c !== undefined);
  const users = all.filter((c) => !c.builtin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...builtins, ...users];
}

export interface Counters {
  readonly packets: bigint;
  readonly bytes: bigint;
}

export interface Ruleset {
  /** Tables in the order they appeared (iptables-save prints the ones that exist). */
  readonly tables: readonly Table[];
}

export interface Table {
  readonly name: TableName;
  /** Built-ins first (BUILTIN_CHAINS order), then user chains sorted by name, as iptables-save prints. */
  readonly chains: readonly Chain[];
  readonly at?: Position;
}

export interface Chain {
  readonly name: string;
  readonly builtin: boolean;
  /** Built-in chains only: the policy taken when the chain's rules run out. */
  readonly policy?: "ACCEPT" | "DROP";
  readonly counters: Counters;
  readonly rules: readonly Rule[];
  readonly at?: Position;
}

/** An address test (`-s`, `-d`): `addr/len`, `!` inverts. `addr` already has host bits cleared. */
export interface AddrMatch {
  readonly addr: Ipv4;
  readonly len: number;
  readonly neg: boolean;
  /**
   * Only where the kernel keeps host bits (xt_conntrack's --ctorigsrc & co. store the address as
   * written and print it back, `10.0.0.1/16`): that address. Matching always uses `addr`/`len`.
   */
  readonly written?: Ipv4;
}

/** An interface test (`-i`, `-o`): `eth+` matches every name starting `eth`. */
export interface IfaceMatch {
  readonly name: string;
  /** Trailing `+` in the text: a prefix match on `name` (which excludes the `+`). */
  readonly wildcard: boolean;
  readonly neg: boolean;
}

/** `-p`: a protocol number (tcp 6, udp 17, icmp 1 …); `all`/0 is the same as no test. */
export interface ProtoMatch {
  readonly proto: number;
  readonly neg: boolean;
}

/** An inclusive port range; a single port has `min === max`. */
export interface PortRange {
  readonly min: number;
  readonly max: number;
  readonly neg: boolean;
}

export type CtState = "INVALID" | "NEW" | "ESTABLISHED" | "RELATED" | "UNTRACKED" | "SNAT" | "DNAT";
export type CtStatus = "NONE" | "EXPECTED" | "SEEN_REPLY" | "ASSURED" | "CONFIRMED";
export type AddrType =
  | "UNSPEC" | "UNICAST" | "LOCAL" | "BROADCAST" | "ANYCAST" | "MULTICAST"
  | "BLACKHOLE" | "UNREACHABLE" | "PROHIBIT" | "THROW" | "NAT" | "XRESOLVE";

export interface FlagSet<T> {
  readonly values: readonly T[];
  readonly neg: boolean;
}

/** One `-m <module> …` (or the implicit `-m tcp` after `-p tcp --dport`), as its kernel extension stores it. */
export type Match =
  | { readonly module: "tcp"; readonly sport?: PortRange; readonly dport?: PortRange;
      /** `--tcp-flags mask comp` (bits FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32); `--syn` is SYN,RST,ACK,FIN SYN. */
      readonly flags?: { readonly mask: number; readonly comp: number; readonly neg: boolean } }
  | { readonly module: "udp"; readonly sport?: PortRange; readonly dport?: PortRange }
  | { readonly module: "multiport"; readonly dir: "sports" | "dports" | "ports";
      /** Ports and ranges as written (max 15 entries, a range counts twice). */
      readonly ports: readonly { readonly min: number; readonly max: number }[]; readonly neg: boolean }
  | { readonly module: "icmp"; /** 255 = any. */ readonly type: number;
      /** Inclusive code range; 0..255 when only the type is given. */
      readonly codeMin: number; readonly codeMax: number; readonly neg: boolean }
  | { readonly module: "comment"; readonly text: string }
  | { readonly module: "mark"; readonly value: number; readonly mask: number; readonly neg: boolean }
  | { readonly module: "conntrack";
      readonly ctstate?: FlagSet<CtState>;
      readonly ctstatus?: FlagSet<CtStatus>;
      readonly ctproto?: ProtoMatch;
      readonly ctorigsrc?: AddrMatch; readonly ctorigdst?: AddrMatch;
      readonly ctreplsrc?: AddrMatch; readonly ctrepldst?: AddrMatch;
      readonly ctorigsrcport?: PortRange; readonly ctorigdstport?: PortRange;
      readonly ctreplsrcport?: PortRange; readonly ctrepldstport?: PortRange;
      readonly ctdir?: "ORIGINAL" | "REPLY" }
  | { readonly module: "state"; readonly states: FlagSet<CtState> }
  | { readonly module: "addrtype"; readonly srcType?: FlagSet<AddrType>; readonly dstType?: FlagSet<AddrType>;
      readonly limitIfaceIn: boolean; readonly limitIfaceOut: boolean }
  | { readonly module: "statistic"; readonly mode: "random";
      /** As the kernel stores it: a 31-bit fixed-point fraction, matched when (random & 0x7fffffff) < this. */
      readonly probability: number; readonly neg: boolean }
  | { readonly module: "statistic"; readonly mode: "nth"; readonly every: number; readonly packet: number; readonly neg: boolean }
  | { readonly module: "recent"; readonly cmd: "set" | "rcheck" | "update" | "remove";
      readonly name: string; readonly seconds?: number; readonly hitcount?: number;
      readonly reap: boolean; readonly rttl: boolean; readonly side: "rsource" | "rdest";
      readonly mask: Ipv4; readonly neg: boolean }
  | { readonly module: "physdev";
      readonly physdevIn?: IfaceMatch; readonly physdevOut?: IfaceMatch;
      readonly isIn?: boolean | "neg"; readonly isOut?: boolean | "neg"; readonly isBridged?: boolean | "neg" };

export type MatchModule = Match["module"];

/** A NAT range (`--to-destination 10.0.0.1-10.0.0.3:80-90`), as struct nf_nat_range2 holds it. */
export interface NatRange {
  readonly minIp?: Ipv4;
  readonly maxIp?: Ipv4;
  readonly minPort?: number;
  readonly maxPort?: number;
}

export type RejectWith =
  | "icmp-net-unreachable" | "icmp-host-unreachable" | "icmp-port-unreachable" | "icmp-proto-unreachable"
  | "icmp-net-prohibited" | "icmp-host-prohibited" | "icmp-admin-prohibited" | "tcp-reset";

export type Target =
  | { readonly kind: "ACCEPT" }
  | { readonly kind: "DROP" }
  | { readonly kind: "RETURN" }
  /** `-j CHAIN`, or `-g CHAIN` when `goto`. */
  | { readonly kind: "jump"; readonly chain: string; readonly goto: boolean }
  | { readonly kind: "REJECT"; readonly with: RejectWith }
  /** Every MARK form is stored as the kernel does: new = (old & ~mask) ^ value. */
  | { readonly kind: "MARK"; readonly value: number; readonly mask: number }
  | { readonly kind: "CONNMARK"; readonly op: "set-xmark"; readonly value: number; readonly mask: number }
  | { readonly kind: "DNAT"; readonly to: NatRange; readonly random: boolean; readonly persistent: boolean }
  | { readonly kind: "SNAT"; readonly to: NatRange; readonly random: boolean; readonly randomFully: boolean; readonly persistent: boolean }
  | { readonly kind: "MASQUERADE"; readonly toPorts?: { readonly min: number; readonly max: number }; readonly random: boolean; readonly randomFully: boolean }
  | { readonly kind: "REDIRECT"; readonly toPorts?: { readonly min: number; readonly max: number }; readonly random: boolean }
  | { readonly kind: "LOG"; readonly prefix?: string; readonly level?: number }
  | { readonly kind: "NOTRACK" }
  | { readonly kind: "CT"; readonly notrack: boolean }
  | { readonly kind: "TRACE" };

export type TargetKind = Target["kind"];

export interface Rule {
  readonly src?: AddrMatch;
  readonly dst?: AddrMatch;
  readonly proto?: ProtoMatch;
  readonly inIface?: IfaceMatch;
  readonly outIface?: IfaceMatch;
  /** `-f` / `! -f`: second and later fragments (never true for the packets podpath sends). */
  readonly fragment?: { readonly neg: boolean };
  readonly matches: readonly Match[];
  /** No `-j`/`-g`: the rule only counts packets; evaluation continues with the next rule. */
  readonly target?: Target;
  readonly counters: Counters;
  /** Where `-A` was written, for errors and traces. */
  readonly at?: Position;
}

export const ZERO_COUNTERS: Counters = { packets: 0n, bytes: 0n };
