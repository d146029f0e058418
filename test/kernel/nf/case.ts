/**
 * One netfilter differential case as data: a ruleset for the router (iptables-save text), the
 * commands typed afterwards (in order, in one world, so conntrack entries, `recent` lists and
 * `statistic --mode nth` counters carry from one command to the next), and what it exercises.
 *
 * Owns the case type and the text helpers the generators write rulesets with, so every ruleset
 * is in the form `iptables-save` prints (built-in chains with policy and `[0:0]` counters, user
 * chains sorted by name, `COMMIT`) unless a case says it is in kube-proxy's restore form.
 */
import type { TableName } from "../../../src/netfilter/rule.js";
import { BUILTIN_CHAINS, TABLE_NAMES } from "../../../src/netfilter/rule.js";

export type Host = "client" | "router" | "server" | "pod1" | "pod2";

export interface Step {
  readonly netns: Host;
  readonly command: string;
}

export interface NfCase {
  /** Unique and stable: `<family>-<n>` for generated cases, a descriptive name for hand-written ones. */
  readonly name: string;
  /** The matches and targets (and options) the case exercises, e.g. `tcp --dport`, `!`, `REJECT tcp-reset`. */
  readonly exercises: readonly string[];
  /** Restored into the router with iptables-restore (tables it does not name are emptied). */
  readonly tables: string;
  /** `save`: the text is what iptables-save prints back (checked on the kernel); `restore`: kube-proxy's input form. */
  readonly form: "save" | "restore";
  readonly steps: readonly Step[];
  /**
   * How peer ports in listener echoes compare: `ephemeral` maps ports ≥ 32768 (the kernel's
   * ip_local_port_range) to EPH and keeps fixed ports exact; `any` maps every `{peer}` port to
   * PORT (for --random / --random-fully source ports).
   */
  readonly ports: "ephemeral" | "any";
  /** Why a case is in the list when it is not obvious (shown by --list). */
  readonly note?: string;
}

export interface TableSpec {
  readonly policies?: Partial<Record<string, "ACCEPT" | "DROP">>;
  /** User chains (declared in sorted order, as iptables-save prints them). */
  readonly chains?: readonly string[];
  /** `-A …` lines, in order. */
  readonly rules: readonly string[];
}

/** One table in iptables-save form. */
export function tableText(name: TableName, t: TableSpec): string {
  const lines = [`*${name}`];
  for (const c of BUILTIN_CHAINS[name]) lines.push(`:${c} ${t.policies?.[c] ?? "ACCEPT"} [0:0]`);
  for (const c of [...(t.chains ?? [])].sort()) lines.push(`:${c} - [0:0]`);
  lines.push(...t.rules, "COMMIT");
  return `${lines.join("\n")}\n`;
}

/** Several tables, in the order iptables-save prints them (raw, mangle, nat, filter). */
export function rulesetText(tables: Partial<Record<TableName, TableSpec>>): string {
  return TABLE_NAMES.flatMap((n) => {
    const t = tables[n];
    return t ? [tableText(n, t)] : [];
  }).join("");
}

/** The tables a ruleset text names (`*nat` lines). */
export function tablesNamed(text: string): TableName[] {
  const out: TableName[] = [];
  for (const m of text.matchAll(/^\*(\w+)\s*$/gm)) {
    const t = m[1] as TableName;
    if (TABLE_NAMES.includes(t) && !out.includes(t)) out.push(t);
  }
  return out;
}

/** An empty table with ACCEPT policies: what a table the case does not name is reset to. */
export function emptyTable(name: TableName): string {
  return tableText(name, { rules: [] });
}
