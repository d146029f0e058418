/**
 * What a match or target sees of the packet in one table at one hook (struct xt_action_param):
 * the namespace, the hook, the packet (and its conntrack entry), the in/out devices — plus the
 * per-namespace state some extensions keep (xt_recent lists, statistic nth counters) and the
 * source of random choices.
 */
import type { Device } from "../../netns/device.js";
import type { Netns } from "../../netns/netns.js";
import type { Skb } from "../../ipv4/skb.js";
import type { NfHook } from "../hooks.js";
import type { TableName } from "../rule.js";
import type { Chooser } from "../choice.js";
import type { RecentTables } from "../match/recent.js";
import type { Rng } from "../../core/rng.js";
import type { ConntrackTable } from "../conntrack/table.js";

export interface NfState {
  readonly conntrack: ConntrackTable;
  readonly recent: RecentTables;
  /** statistic --mode nth counters, one per rule's match (the kernel keeps it in the match's info). */
  readonly nth: WeakMap<object, number>;
  /** Port choices for NAT (nf_nat_l4proto_unique_tuple draws from the kernel's PRNG). */
  readonly natRng: Rng;
  readonly chooser: Chooser;
}

export interface PacketCtx {
  readonly ns: Netns;
  readonly hook: NfHook;
  readonly table: TableName;
  readonly skb: Skb;
  readonly inDev: Device | undefined;
  readonly outDev: Device | undefined;
  readonly state: NfState;
}

/** Where in the ruleset a rule sits, 1-based as `iptables -L --line-numbers` counts. */
export interface RuleSite {
  readonly table: TableName;
  readonly chain: string;
  readonly rule: number;
}
