/**
 * `iptables [-t TABLE] -S [CHAIN [N]] [-v]` and `iptables [-t TABLE] -L [CHAIN] -n [-v] [-x]
 * [--line-numbers]` (iptables 1.8.9, nf_tables backend) as read-only views of a Ruleset,
 * mirroring list_rules() / print_firewall() of iptables-nft and the helpers in
 * iptables/xshared.c (print_header(), print_rule_details(), print_fragment(), print_ifaces(),
 * print_ipv4_addresses(), xtables_print_num()):
 *
 *  -S: `-P CHAIN POLICY` for the built-ins, `-N CHAIN` for user chains, then every rule as
 *      iptables-save writes it; `-v` adds `-c PKTS BYTES` to policies and, inside rules,
 *      between the matches and the target; a rule number prints that rule alone;
 *  -L -n: per chain a `Chain NAME (policy P)` / `(N references)` header, the column header,
 *      one line per rule — target (9 wide), protocol as a number (5 wide, `!` before it),
 *      `--`/`-f`/`!f`, source and destination (19 wide, `/32` left out), then `[goto] ` and
 *      the extensions' own words (tcp dpt:80, /* comment *\/, MARK or 0x4000 …); chains are
 *      separated by an empty line; `-v` adds pkts/bytes (K/M/G-scaled unless `-x`) and the
 *      in/out interfaces; `--line-numbers` a `num` column.
 *
 * Only numeric output (-n) is modelled: without it the real tool resolves names through DNS
 * and /etc/services. A chain that does not exist ends the view like the real tool does.
 */
import { formatIpv4 } from "../core/ip.js";
import type { AddrMatch, Chain, Counters, IfaceMatch, Rule, Ruleset, Table, TableName } from "../netfilter/rule.js";
import { printMatch } from "../netfilter/syntax/matches/index.js";
import { nftPrintBack } from "../netfilter/syntax/nft-print-back.js";
import { formatRule } from "../netfilter/syntax/save.js";
import { listTargetName, printTarget } from "../netfilter/syntax/targets/index.js";
import { ViewExit } from "./common.js";
import { tableOf } from "./iptables-save.js";

export interface ListRulesOptions {
  readonly table?: TableName;
  readonly chain?: string;
  /** 1-based rule number after the chain (`-S CHAIN N`). */
  readonly rulenum?: number;
  /** `-v`: counters. */
  readonly verbose?: boolean;
}

export interface ListOptions {
  readonly table?: TableName;
  readonly chain?: string;
  readonly verbose?: boolean;
  /** `-x`: exact counters instead of K/M/G. */
  readonly exact?: boolean;
  /** `--line-numbers`. */
  readonly lineNumbers?: boolean;
}

function noChain(chain: string, table: TableName): ViewExit {
  return new ViewExit(1, `iptables v1.8.9 (nf_tables): chain \`${chain}' in table \`${table}' is incompatible, use 'nft' tool.\n`);
}

function chainsOf(t: Table, chain: string | undefined): readonly Chain[] {
  if (chain === undefined) return t.chains;
  const c = t.chains.find((x) => x.name === chain);
  if (c === undefined) throw noChain(chain, t.name);
  return [c];
}

const counterWords = (c: Counters): string => ` -c ${c.packets} ${c.bytes}`;

/** `iptables -S`. */
export function iptablesListRules(rs: Ruleset, opts: ListRulesOptions = {}): string {
  const t = tableOf(rs, opts.table ?? "filter");
  const chains = chainsOf(t, opts.chain);
  const out: string[] = [];
  if (opts.rulenum !== undefined) {
    const c = chains[0];
    const r = c?.rules[opts.rulenum - 1];
    if (c && r) out.push(formatRule(c.name, r, { listCounters: opts.verbose ?? false }));
    return out.map((l) => `${l}\n`).join("");
  }
  for (const c of chains) {
    if (c.builtin) out.push(`-P ${c.name} ${c.policy ?? "ACCEPT"}${opts.verbose ? counterWords(c.counters) : ""}`);
    else out.push(`-N ${c.name}`);
  }
  for (const c of chains) for (const r of c.rules) out.push(formatRule(c.name, r, { listCounters: opts.verbose ?? false }));
  return out.map((l) => `${l}\n`).join("");
}

/** xtables_print_num(): `%5llu ` or K/M/G/T with `%4lluK `, or `%8llu ` when exact. */
function num(n: bigint, exact: boolean, table: boolean): string {
  const pad = (s: string, w: number): string => (table ? s.padStart(w) : s) + " ";
  if (exact) return pad(`${n}`, 8);
  if (n <= 99999n) return pad(`${n}`, 5);
  for (const unit of ["K", "M", "G"]) {
    n = (n + 500n) / 1000n;
    if (n <= 9999n) return pad(`${n}${unit}`, 5);
  }
  n = (n + 500n) / 1000n;
  return pad(`${n}T`, 5);
}

function references(t: Table, chain: string): number {
  let n = 0;
  for (const c of t.chains) for (const r of c.rules) if (r.target?.kind === "jump" && r.target.chain === chain) n++;
  return n;
}

function header(t: Table, c: Chain, opts: ListOptions): string {
  let s = `Chain ${c.name}`;
  if (c.builtin) {
    s += ` (policy ${c.policy ?? "ACCEPT"}`;
    if (opts.verbose) s += ` ${num(c.counters.packets, opts.exact ?? false, false)}packets, ${num(c.counters.bytes, opts.exact ?? false, false)}bytes`;
    s += ")";
  } else s += ` (${references(t, c.name)} references)`;
  s += "\n";
  if (opts.lineNumbers) s += "num".padEnd(4) + " ";
  if (opts.verbose) s += opts.exact ? `${"pkts".padStart(8)} ${"bytes".padStart(10)} ` : `${"pkts".padStart(5)} ${"bytes".padStart(5)} `;
  s += `${"target".padEnd(9)}  prot opt`;
  if (opts.verbose) s += ` ${"in".padEnd(6)} ${"out".padEnd(6)} `;
  s += ` ${"source".padEnd(19)}  ${"destination".padEnd(19)} \n`;
  return s;
}

/** ipv4_addr_to_string() with FMT_NUMERIC: `a.b.c.d` for /32, `a.b.c.d/len` otherwise. */
function addrText(a: AddrMatch | undefined): string {
  if (a === undefined) return "0.0.0.0/0";
  return formatIpv4(a.addr) + (a.len === 32 ? "" : `/${a.len}`);
}

function ifaceText(i: IfaceMatch | undefined): string {
  // A bare `+` matches every name; iptables-nft stores no test for it.
  if (i === undefined || (i.wildcard && i.name === "")) return "*";
  return `${i.neg ? "!" : ""}${i.name}${i.wildcard ? "+" : ""}` || "*";
}

function ruleLine(r: Rule, n: number, opts: ListOptions): string {
  let s = "";
  if (opts.lineNumbers) s += `${n}`.padEnd(4) + " ";
  if (opts.verbose) s += num(r.counters.packets, opts.exact ?? false, true) + num(r.counters.bytes, opts.exact ?? false, true);
  s += (r.target ? listTargetName(r.target) : "").padEnd(9) + " ";
  s += (r.proto?.neg ? "!" : " ") + `${r.proto?.proto ?? 0}`.padEnd(5);
  s += r.fragment ? (r.fragment.neg ? "!f " : "-f ") : "-- ";
  if (opts.verbose) s += ` ${ifaceText(r.inIface).padEnd(6)} ${ifaceText(r.outIface).padEnd(6)} `;
  s += (r.src?.neg ? "!" : " ") + addrText(r.src).padEnd(19) + " ";
  s += (r.dst?.neg ? "!" : " ") + addrText(r.dst).padEnd(19) + " ";
  if (r.target?.kind === "jump" && r.target.goto) s += "[goto] ";
  for (const m of nftPrintBack(r.matches)) s += printMatch(m);
  if (r.target) s += printTarget(r.target);
  return `${s}\n`;
}

/** `iptables -L -n`. */
export function iptablesList(rs: Ruleset, opts: ListOptions = {}): string {
  const t = tableOf(rs, opts.table ?? "filter");
  const chains = chainsOf(t, opts.chain);
  return chains
    .map((c) => header(t, c, opts) + c.rules.map((r, i) => ruleLine(r, i + 1, opts)).join(""))
    .join("\n");
}
