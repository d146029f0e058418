/**
 * parseIptablesSave(): iptables-save text (or an iptables-restore input such as kube-proxy
 * writes) to a typed Ruleset, reading it the way `iptables-restore -c` 1.8.9 (nf_tables) does
 * — xtables_restore_parse() in iptables/xtables-restore.c — into a fresh namespace:
 *
 *  - lines: empty and `#…` lines are skipped (a comment must start in column 1); `*table`
 *    starts a block (only outside a block; the table is flushed, so a second block for the
 *    same table replaces the first); `:CHAIN POLICY [p:b]` declares a chain (a built-in
 *    one's policy and counters, or a new user chain — its "policy" word is ignored, and
 *    declaring it twice is harmless); `COMMIT` ends the block; anything else inside a block
 *    is a command (`-A`, `-I`, `-N`, `-X`, `-P`, see rule-line.ts), optionally prefixed
 *    with `[packets:bytes]`; a missing COMMIT at the end is an error;
 *  - a table exists afterwards only if its block declared or changed something; it then has
 *    all its built-in chains (policy ACCEPT unless set);
 *  - `-A`/`-I` need the chain to exist, and a jump/goto target must already exist (as a user
 *    chain: nf_tables refuses a jump to a base chain);
 *  - counters are kept as written, as with `-c` (without `-c` the kernel would start at 0).
 *
 * Then, per table, the kernel's commit-time checks: check-hooks.ts and check-loops.ts.
 * Every problem is collected with file, line, column and what was expected; nothing throws.
 */
import type { Issue, Position, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import type { BuiltinChain, Chain, Counters, Rule, Ruleset, Table, TableName } from "../rule.js";
import { BUILTIN_CHAINS, saveOrder, TABLE_NAMES, ZERO_COUNTERS } from "../rule.js";
import { checkHooks } from "./check-hooks.js";
import type { JumpEdge } from "./check-loops.js";
import { checkJumpLoops } from "./check-loops.js";
import type { Tok } from "./module.js";
import { MAX_CHAIN_NAME, parseRuleLine } from "./rule-line.js";
import { KNOWN_TARGET_NAMES, STANDARD_VERDICTS } from "./targets/index.js";
import { tokenizeLine } from "./tokenize.js";

interface ChainState {
  readonly name: string;
  readonly builtin: boolean;
  policy?: "ACCEPT" | "DROP";
  counters: Counters;
  rules: Rule[];
  at?: Position;
}

interface TableState {
  readonly name: TableName;
  readonly at: Position;
  chains: Map<string, ChainState>;
  edges: JumpEdge[];
  /** Something in the block created the table. */
  used: boolean;
}

/** strtok(…, " \t\n") over a header line: the words and their columns. */
function words(line: string, from: number, file: string, lineNo: number): Tok[] {
  const out: Tok[] = [];
  const re = /[^ \t\n]+/g;
  re.lastIndex = from;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push({ text: m[0], at: { file, line: lineNo, column: m.index + 1 } });
  return out;
}

/** sscanf("%llu") of one counter: digits, optionally after blanks and a `+`. */
function counterValue(text: string): bigint | undefined {
  const m = /^\s*\+?(\d+)/.exec(text);
  if (!m || m[1] === undefined) return undefined;
  const v = BigInt(m[1]);
  return v <= 0xffffffffffffffffn ? v : undefined;
}

/** `[p:b]` of a chain line. */
function parseChainCounters(text: string): Counters | undefined {
  const m = /^\[([^:\]]*):([^\]]*)\]/.exec(text);
  if (!m) return undefined;
  const packets = counterValue(m[1] ?? "");
  const bytes = counterValue(m[2] ?? "");
  return packets === undefined || bytes === undefined ? undefined : { packets, bytes };
}

function isBuiltin(table: TableName, chain: string): chain is BuiltinChain {
  return (BUILTIN_CHAINS[table] as readonly string[]).includes(chain);
}

function newTable(name: TableName, at: Position): TableState {
  const chains = new Map<string, ChainState>();
  for (const b of BUILTIN_CHAINS[name]) chains.set(b, { name: b, builtin: true, policy: "ACCEPT", counters: ZERO_COUNTERS, rules: [] });
  return { name, at, chains, edges: [], used: false };
}

/** parse_chain() of xshared.c for `-N`, and the subset the `:` line checks. */
function chainNameProblem(name: string, strict: boolean): string | undefined {
  if (name.length > MAX_CHAIN_NAME) return `chain name \`${name}' too long (must be under ${MAX_CHAIN_NAME + 1} chars)`;
  if (name.startsWith("-") || name.startsWith("!")) return `chain name not allowed to start with \`${name[0]}'`;
  if (STANDARD_VERDICTS.has(name) || (strict && KNOWN_TARGET_NAMES.has(name))) return "chain name may not clash with target name";
  if (/\s/.test(name)) return `Invalid chain name \`${name}'`;
  return undefined;
}

export function parseIptablesSave(text: string, file: string): Result<Ruleset> {
  const issues: Issue[] = [];
  const issue = (code: string, message: string, at: Position): void => {
    issues.push({ code, message, at });
  };
  const tables = new Map<TableName, TableState>();
  const order: TableName[] = [];
  let current: TableState | undefined;

  const lines = text.split("\n");
  // A final newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();

  lines.forEach((line, idx) => {
    const lineNo = idx + 1;
    const lineAt: Position = { file, line: lineNo, column: 1 };
    if (line === "" || line.startsWith("#")) return;

    if (line === "COMMIT" && current) {
      finishTable(current, issue);
      if (!current.used && tables.get(current.name) === current) tables.delete(current.name);
      current = undefined;
      return;
    }
    if (line.startsWith("*") && !current) {
      const name = words(line, 1, file, lineNo)[0];
      if (!name) {
        issue("bad-table", "table name invalid: expected `*raw', `*mangle', `*nat' or `*filter'", lineAt);
        return;
      }
      if (!(TABLE_NAMES as readonly string[]).includes(name.text)) {
        issue(
          name.text === "security" ? "not-modelled" : "bad-table",
          name.text === "security" ? "the security table is not modelled by podpath" : `table name '${name.text}' invalid: expected raw, mangle, nat or filter`,
          name.at,
        );
        // Keep reading the block so later lines get their own issues, against a scratch table.
        current = newTable("filter", name.at);
        return;
      }
      const t = newTable(name.text as TableName, name.at);
      if (!order.includes(t.name)) order.push(t.name);
      tables.set(t.name, t);
      current = t;
      return;
    }
    if (!current) {
      issue("outside-table", `line ${lineNo} failed: expected \`*table' before any chain, rule or COMMIT line`, lineAt);
      return;
    }
    const table = current;

    if (line.startsWith(":")) {
      const [chainTok, policyTok, countersTok] = words(line, 1, file, lineNo);
      if (!chainTok) {
        issue("bad-chain", "chain name invalid: expected `:CHAIN POLICY [packets:bytes]'", lineAt);
        return;
      }
      const problem = chainNameProblem(chainTok.text, false);
      if (problem) {
        issue("bad-chain", problem, chainTok.at);
        return;
      }
      if (!policyTok) {
        issue("bad-policy", "policy invalid: expected ACCEPT, DROP or - after the chain name", lineAt);
        return;
      }
      let counters: Counters = ZERO_COUNTERS;
      if (countersTok) {
        const c = parseChainCounters(countersTok.text);
        if (!c) {
          issue("bad-counters", `invalid policy counters for chain '${chainTok.text}': expected [packets:bytes]`, countersTok.at);
          return;
        }
        counters = c;
      }
      table.used = true;
      const existing = table.chains.get(chainTok.text);
      if (isBuiltin(table.name, chainTok.text)) {
        if (policyTok.text === "-") return;
        if (policyTok.text !== "ACCEPT" && policyTok.text !== "DROP") {
          issue("bad-policy", "Bad policy name: a built-in chain's policy is ACCEPT or DROP", policyTok.at);
          return;
        }
        if (existing) {
          existing.policy = policyTok.text;
          existing.counters = counters;
          existing.at = chainTok.at;
        }
        return;
      }
      // A user chain; declaring it again is harmless (EEXIST is ignored).
      if (!existing) table.chains.set(chainTok.text, { name: chainTok.text, builtin: false, counters: ZERO_COUNTERS, rules: [], at: chainTok.at });
      return;
    }

    // A command line, maybe after `[packets:bytes]`.
    let body = line;
    let offset = 0;
    let counters: Counters = ZERO_COUNTERS;
    if (line.startsWith("[")) {
      const close = line.indexOf("]");
      if (close < 0) {
        issue("bad-counters", `Bad line ${lineNo}: need ]`, lineAt);
        return;
      }
      const inner = line.slice(1, close);
      const colon = inner.indexOf(":");
      if (colon < 0) {
        issue("bad-counters", `Bad line ${lineNo}: need :`, lineAt);
        return;
      }
      const packets = counterValue(inner.slice(0, colon));
      const bytes = counterValue(inner.slice(colon + 1));
      if (packets === undefined || bytes === undefined) {
        issue("bad-counters", `-c ${packets === undefined ? "packet" : "byte"} counter not numeric`, lineAt);
        return;
      }
      counters = { packets, bytes };
      body = line.slice(close + 1);
      offset = close + 1;
    }
    const tokens = tokenizeLine(body, file, lineNo, offset + 1);
    table.used = true;
    const cmd = parseRuleLine(tokens, table.name, counters, { issue }, tokens[0]?.at ?? lineAt);
    if (!cmd) return;
    applyCommand(table, cmd, issue);
  });

  if (current) issue("missing-commit", `COMMIT expected at line ${lines.length + 1}`, { file, line: lines.length + 1, column: 1 });
  if (issues.length > 0) return fail(issues);
  const out: Table[] = [];
  for (const name of order) {
    const t = tables.get(name);
    if (t) out.push(freezeTable(t));
  }
  return ok({ tables: out });
}

type IssueFn = (code: string, message: string, at: Position) => void;

function applyCommand(table: TableState, cmd: NonNullable<ReturnType<typeof parseRuleLine>>, issue: IssueFn): void {
  const chain = table.chains.get(cmd.chain.text);
  switch (cmd.kind) {
    case "new-chain": {
      const problem = chainNameProblem(cmd.chain.text, true);
      if (problem) issue("bad-chain", problem, cmd.chain.at);
      else if (chain) issue("chain-exists", `Chain already exists: ${cmd.chain.text}`, cmd.chain.at);
      else table.chains.set(cmd.chain.text, { name: cmd.chain.text, builtin: false, counters: ZERO_COUNTERS, rules: [], at: cmd.chain.at });
      return;
    }
    case "delete-chain": {
      if (!chain || chain.builtin) {
        issue("no-chain", `No chain/target/match by that name: \`${cmd.chain.text}' is not a user chain of table ${table.name}`, cmd.chain.at);
        return;
      }
      const referenced = [...table.chains.values()].some((c) => c.rules.some((r) => r.target?.kind === "jump" && r.target.chain === cmd.chain.text));
      if (chain.rules.length > 0 || referenced) {
        issue("chain-busy", `cannot delete chain ${cmd.chain.text}: it ${chain.rules.length > 0 ? "still has rules" : "is still jumped to"} (CHAIN_DEL failed: Device or resource busy)`, cmd.chain.at);
        return;
      }
      table.chains.delete(cmd.chain.text);
      return;
    }
    case "policy": {
      if (!chain || !chain.builtin) {
        issue("bad-chain", `Bad built-in chain name: \`${cmd.chain.text}' is not a built-in chain of table ${table.name}`, cmd.chain.at);
        return;
      }
      if (cmd.policy.text !== "ACCEPT" && cmd.policy.text !== "DROP") {
        issue("bad-policy", "Bad policy name: a built-in chain's policy is ACCEPT or DROP", cmd.policy.at);
        return;
      }
      chain.policy = cmd.policy.text;
      return;
    }
    case "append":
    case "insert": {
      if (!chain) {
        issue("no-chain", `No chain/target/match by that name: chain \`${cmd.chain.text}' does not exist in table ${table.name} (declare it with \`:${cmd.chain.text} - [0:0]' first)`, cmd.chain.at);
        return;
      }
      const t = cmd.rule.target;
      if (t?.kind === "jump") {
        const to = table.chains.get(t.chain);
        const at = cmd.jump?.at ?? cmd.chain.at;
        if (!to) {
          issue("no-chain", `Chain '${t.chain}' does not exist in table ${table.name} (declare it before the rule that jumps to it)`, at);
          return;
        }
        if (to.builtin) {
          issue("jump-to-builtin", `cannot ${t.goto ? "goto" : "jump to"} the built-in chain ${t.chain}: only user chains can be jump targets (the kernel refuses it: RULE_APPEND failed)`, at);
          return;
        }
      }
      if (cmd.kind === "insert") {
        if (cmd.index > chain.rules.length + 1) {
          issue("bad-rule-number", `Index of insertion too big: chain ${cmd.chain.text} has ${chain.rules.length} rule(s)`, cmd.indexAt);
          return;
        }
        chain.rules.splice(cmd.index - 1, 0, cmd.rule);
      } else chain.rules.push(cmd.rule);
      if (t?.kind === "jump" && cmd.rule.at) table.edges.push({ from: cmd.chain.text, to: t.chain, at: cmd.rule.at });
    }
  }
}

/** COMMIT: the kernel's validation of the table. */
function finishTable(t: TableState, issue: IssueFn): void {
  if (!t.used) return;
  const builtins = BUILTIN_CHAINS[t.name];
  const chains = new Map<string, readonly Rule[]>();
  for (const [name, c] of t.chains) chains.set(name, c.rules);
  for (const p of checkHooks(t.name, builtins, chains)) issue(p.code, p.message, p.at);
  const edges = t.edges.filter((e) => t.chains.has(e.from) && t.chains.has(e.to));
  const loop = checkJumpLoops(t.name, builtins, edges);
  if (loop) issue("jump-loop", loop.message, loop.at);
}

/** The table as iptables-save lists it (saveOrder). */
function freezeTable(t: TableState): Table {
  const chains: Chain[] = saveOrder(t.name, t.chains.values()).map((c) => ({
    name: c.name,
    builtin: c.builtin,
    ...(c.builtin && c.policy ? { policy: c.policy } : {}),
    counters: c.counters,
    rules: c.rules,
    ...(c.at ? { at: c.at } : {}),
  }));
  return { name: t.name, chains, at: t.at };
}
