/**
 * What the netfilter tools (iptables, iptables-save, conntrack) read from a simulated host: the
 * namespace's ruleset and its conntrack table, both held by its IptablesEngine. A namespace
 * without `rules:` has no engine — the kernel's state of a fresh namespace: no tables, no
 * tracked connections.
 *
 * Also the one message every tool gives when asked to change that state.
 */
import type { Netns } from "../netns/netns.js";
import type { ConntrackTable } from "../netfilter/conntrack/table.js";
import { IptablesEngine } from "../netfilter/engine.js";
import type { Ruleset } from "../netfilter/rule.js";

const EMPTY: Ruleset = { tables: [] };

/** The host's rules with their counters as of now (restored counts plus the packets since). */
export function rulesetOf(ns: Netns): Ruleset {
  return ns.nf instanceof IptablesEngine ? ns.nf.counted() : EMPTY;
}

export function conntrackOf(ns: Netns): ConntrackTable | undefined {
  return ns.nf instanceof IptablesEngine ? ns.nf.conntrack : undefined;
}

/** podpath's refusal of a command that would change the host's rules or connections. */
export function readOnlyMessage(tool: string, what: string, ns: Netns): string {
  return `${tool}: podpath: ${what} would change the simulated host's netfilter state, which is read-only: ${ns.name}'s rules come from the scenario file (its "rules:"); edit them there\n`;
}
