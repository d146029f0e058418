/**
 * `iptables …` typed on a host (a node's `commands:`, a timeline action): the rule changes
 * iptables 1.8.9 (nf_tables) makes, applied to the namespace's ruleset as one transaction.
 *
 *   iptables [-w [S]] [-t TABLE] -A|-I CHAIN [N] RULE | -D CHAIN RULE|N | -F [CHAIN] | -Z [CHAIN]
 *            | -N CHAIN | -X [CHAIN] | -P CHAIN ACCEPT|DROP
 *
 * The rule text is read by the restore parser (netfilter/syntax/rule-line.ts), so a rule typed
 * here means exactly what the same line means in an iptables-save file. After the change the
 * table gets the kernel's checks (targets valid in their hooks, no jump loop), as the
 * transaction iptables-nft commits would. Refusals carry iptables' own words, e.g.
 * `iptables: Bad rule (does a matching rule exist in that chain?).`
 */
import { castDraft } from "immer";
import type { Position } from "../../core/issue.js";
import type { Chain, Rule, Ruleset, Table, TableName } from "../../netfilter/rule.js";
import { BUILTIN_CHAINS, saveOrder, TABLE_NAMES } from "../../netfilter/rule.js";
import { checkHooks } from "../../netfilter/syntax/check-hooks.js";
import { checkJumpLoops, type JumpEdge } from "../../netfilter/syntax/check-loops.js";
import type { Tok } from "../../netfilter/syntax/module.js";
import { parseRuleLine, type Command } from "../../netfilter/syntax/rule-line.js";
import { formatRule, printIptablesSave } from "../../netfilter/syntax/save.js";
import { refuse, type Refusal } from "../issues.js";
import { findNs } from "../ops/world.js";
import type { Ctx, Plan } from "./plan.js";
import { Cursor, Syn, type Token } from "./tokens.js";

const ZERO = { packets: 0n, bytes: 0n } as const;
/** Positions inside the typed line: column = index + 1 in a file of this name, mapped back to an index. */
const LINE_FILE = "\u0000typed-line";

const LETTERS: Readonly<Record<string, string>> = {
  "--append": "A", "--insert": "I", "--delete": "D", "--flush": "F", "--zero": "Z", "--new-chain": "N", "--new": "N", "--delete-chain": "X", "--policy": "P",
};

type Op =
  | { readonly kind: "parsed"; readonly cmd: Command }
  | { readonly kind: "delete-spec"; readonly chain: Token; readonly rule: Rule }
  | { readonly kind: "delete-num"; readonly chain: Token; readonly num: number; readonly numTok: Token }
  | { readonly kind: "flush" | "zero"; readonly chain?: Token }
  | { readonly kind: "delete-all-chains" };

export function parseIptables(c: Cursor, ctx: Ctx, cmd: Token): Plan | Syn {
  const words: Token[] = [];
  for (let t = c.next(); t !== undefined; t = c.next()) words.push(t);
  let table: TableName = "filter";
  let tableTok: Token | undefined;
  const rest: Token[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.text === "-t" || w.text === "--table" || w.text.startsWith("--table=")) {
      const name = w.text.startsWith("--table=") ? { text: w.text.slice(8), start: w.start + 8 } : words[++i];
      if (name === undefined) return new Syn("missing-argument", "iptables: option -t requires a table name (raw, mangle, nat or filter)", w.start);
      if (!(TABLE_NAMES as readonly string[]).includes(name.text)) return new Syn("bad-value", `iptables: can't initialize iptables table \`${name.text}': Table does not exist; expected raw, mangle, nat or filter`, name.start);
      table = name.text as TableName;
      tableTok = name;
    } else if (w.text === "-w" || w.text === "--wait") {
      if (/^\d+(\.\d+)?$/.test(words[i + 1]?.text ?? "")) i++;
    } else if (w.text.startsWith("--wait=") || w.text === "-W" || w.text === "--wait-interval") {
      if (w.text !== "--wait" && !w.text.startsWith("--wait=")) i++;
    } else rest.push(w);
  }
  const first = rest[0];
  const letter = first === undefined ? undefined : first.text.length === 2 && first.text[0] === "-" ? first.text[1]! : LETTERS[first.text];
  if (first === undefined || letter === undefined || !"AIDFZNXP".includes(letter)) {
    const at = first?.start ?? Math.max(c.end, cmd.start);
    return new Syn("unexpected-token", `iptables: expected a command that changes rules (-A, -I, -D, -F, -Z, -N, -X or -P)${first ? `, found ${JSON.stringify(first.text)}` : ""}; listing commands (-L, -S) change nothing`, at);
  }
  const chainTok = rest[1] !== undefined && !rest[1].text.startsWith("-") ? rest[1] : undefined;
  let op: Op | Syn;
  switch (letter) {
    case "F":
    case "Z":
      op = rest.length > (chainTok ? 2 : 1) ? unexpectedAfter(rest[chainTok ? 2 : 1]!) : { kind: letter === "F" ? "flush" : "zero", ...(chainTok ? { chain: chainTok } : {}) };
      break;
    case "X":
      op = chainTok ? parsed(rest, table, ctx.at) : rest.length > 1 ? unexpectedAfter(rest[1]!) : { kind: "delete-all-chains" };
      break;
    case "D": {
      if (!chainTok) return new Syn("missing-argument", "iptables: -D needs a chain, then a rule or a rule number", first.start + first.text.length);
      const num = rest[2];
      if (num !== undefined && /^\d+$/.test(num.text) && rest.length === 3) {
        op = Number(num.text) >= 1 ? { kind: "delete-num", chain: chainTok, num: Number(num.text), numTok: num } : new Syn("bad-value", "iptables: Invalid rule number `0'", num.start);
      } else {
        // The rule is read as an append of the same text would be, then found by its saved form.
        const p = parsed([{ text: "-A", start: first.start }, ...rest.slice(1)], table, ctx.at);
        op = p instanceof Syn ? p : p.kind === "parsed" && p.cmd.kind === "append" ? { kind: "delete-spec", chain: chainTok, rule: p.cmd.rule } : new Syn("bad-value", "iptables: -D needs a rule", first.start);
      }
      break;
    }
    default:
      op = parsed(rest, table, ctx.at);
  }
  if (op instanceof Syn) return op;
  const plan = op;
  const fields: Record<string, Token> = { command: first, ...(chainTok ? { chain: chainTok } : {}), ...(tableTok ? { table: tableTok } : {}) };
  if (plan.kind === "delete-num") fields["num"] = plan.numTok;
  return {
    fields,
    apply: (w) => {
      const ns = findNs(w, ctx.ns);
      if (!ns) return refuse("unknown-namespace", `no namespace ${ctx.ns}`);
      const before: Ruleset = (ns.iptables?.ruleset as Ruleset | undefined) ?? { tables: [] };
      const r = applyOp(before, table, plan);
      if ("refusal" in r) return r.refusal;
      ns.iptables = { ruleset: castDraft(r.ruleset), text: printIptablesSave(r.ruleset), file: ns.iptables?.file ?? `${ctx.ns}:iptables` };
      return undefined;
    },
  };
}

/** The rule's position is where the command was written in the file (the kernel's checks need one). */
function placed(cmd: Command, at: Position): Command {
  return cmd.kind === "append" || cmd.kind === "insert" ? { ...cmd, rule: { ...cmd.rule, at } } : cmd;
}

function unexpectedAfter(t: Token): Syn {
  return new Syn("unexpected-token", `iptables: Bad argument \`${t.text}'`, t.start);
}

/** -A -I -N -X CHAIN -P (and -D's rule): read by the restore file's parser. */
function parsed(rest: readonly Token[], table: TableName, at: Position): Op | Syn {
  const toks: Tok[] = rest.map((t) => ({ text: t.text, at: { file: LINE_FILE, line: 1, column: t.start + 1 } }));
  let problem: Syn | undefined;
  const cmd = parseRuleLine(toks, table, ZERO, { issue: (code, message, at) => (problem ??= new Syn(code === "not-modelled" ? "not-supported" : "bad-value", `iptables: ${message}`, at.column - 1)) }, toks[0]!.at);
  if (problem) return problem;
  if (!cmd) return new Syn("bad-value", "iptables: the rule could not be read", rest[0]!.start);
  return { kind: "parsed", cmd: placed(cmd, at) };
}

/** The ruleset after the change, or iptables' refusal. */
function applyOp(rs: Ruleset, tableName: TableName, op: Op): { readonly ruleset: Ruleset } | { readonly refusal: Refusal } {
  const t: Table = rs.tables.find((x) => x.name === tableName) ?? { name: tableName, chains: BUILTIN_CHAINS[tableName].map((n): Chain => ({ name: n, builtin: true, policy: "ACCEPT", counters: ZERO, rules: [] })) };
  const chains = new Map(t.chains.map((c) => [c.name, c] as const));
  const noChain = (name: string): { refusal: Refusal } => ({ refusal: refuse("iptables-refused", `iptables: No chain/target/match by that name. — table ${tableName} has no chain ${name}`, "chain") });
  const set = (c: Chain): void => void chains.set(c.name, c);
  switch (op.kind) {
    case "flush":
    case "zero": {
      if (op.chain && !chains.has(op.chain.text)) return noChain(op.chain.text);
      for (const c of chains.values()) {
        if (op.chain && c.name !== op.chain.text) continue;
        set(op.kind === "flush" ? { ...c, rules: [] } : { ...c, counters: ZERO, rules: c.rules.map((r) => ({ ...r, counters: ZERO })) });
      }
      break;
    }
    case "delete-all-chains": {
      for (const c of [...chains.values()]) {
        if (c.builtin) continue;
        if (c.rules.length > 0 || jumpedTo(chains, c.name)) return { refusal: refuse("iptables-refused", busy(c.name, c.rules.length > 0), "command") };
        chains.delete(c.name);
      }
      break;
    }
    case "delete-num": {
      const c = chains.get(op.chain.text);
      if (!c) return noChain(op.chain.text);
      if (op.num > c.rules.length) return { refusal: refuse("iptables-refused", `iptables: No chain/target/match by that name. — chain ${c.name} has ${c.rules.length} rule(s)`, "num") };
      set({ ...c, rules: c.rules.filter((_, i) => i !== op.num - 1) });
      break;
    }
    case "delete-spec": {
      const c = chains.get(op.chain.text);
      if (!c) return noChain(op.chain.text);
      const want = formatRule(c.name, op.rule);
      const i = c.rules.findIndex((r) => formatRule(c.name, r) === want);
      if (i < 0) return { refusal: refuse("iptables-refused", "iptables: Bad rule (does a matching rule exist in that chain?).", "command") };
      set({ ...c, rules: c.rules.filter((_, k) => k !== i) });
      break;
    }
    case "parsed": {
      const cmd = op.cmd;
      const c = chains.get(cmd.chain.text);
      switch (cmd.kind) {
        case "new-chain":
          if (c) return { refusal: refuse("iptables-refused", "iptables: Chain already exists.", "chain") };
          set({ name: cmd.chain.text, builtin: false, counters: ZERO, rules: [] });
          break;
        case "delete-chain":
          if (!c || c.builtin) return noChain(cmd.chain.text);
          if (c.rules.length > 0 || jumpedTo(chains, c.name)) return { refusal: refuse("iptables-refused", busy(c.name, c.rules.length > 0), "chain") };
          chains.delete(c.name);
          break;
        case "policy":
          if (!c || !c.builtin) return { refusal: refuse("iptables-refused", `iptables: Bad built-in chain name. — ${cmd.chain.text} is not a built-in chain of table ${tableName}`, "chain") };
          if (cmd.policy.text !== "ACCEPT" && cmd.policy.text !== "DROP") return { refusal: refuse("iptables-refused", "iptables: Bad policy name. Run `dmesg' for more information. — a built-in chain's policy is ACCEPT or DROP", "chain") };
          set({ ...c, policy: cmd.policy.text });
          break;
        case "append":
        case "insert": {
          if (!c) return noChain(cmd.chain.text);
          const target = cmd.rule.target;
          if (target?.kind === "jump") {
            const to = chains.get(target.chain);
            if (!to || to.builtin) return { refusal: refuse("iptables-refused", `iptables v1.8.9 (nf_tables): Chain '${target.chain}' does not exist`, "command") };
          }
          if (cmd.kind === "insert" && cmd.index > c.rules.length + 1) return { refusal: refuse("iptables-refused", "iptables: Index of insertion too big.", "command") };
          const rules = [...c.rules];
          rules.splice(cmd.kind === "insert" ? cmd.index - 1 : rules.length, 0, cmd.rule);
          set({ ...c, rules });
          break;
        }
      }
    }
  }
  const builtins = BUILTIN_CHAINS[tableName];
  const byName = new Map([...chains].map(([n, c]) => [n, c.rules] as const));
  const hook = checkHooks(tableName, builtins, byName)[0];
  if (hook) return { refusal: refuse("iptables-refused", `${ruleFailed(op, "Invalid argument")} — ${hook.message.replace(/ \(the kernel refuses it.*$/, "")}`, "command") };
  const edges: JumpEdge[] = [];
  for (const c of chains.values()) for (const r of c.rules) if (r.target?.kind === "jump") edges.push({ from: c.name, to: r.target.chain, at: r.at ?? NOWHERE });
  if (checkJumpLoops(tableName, builtins, edges)) return { refusal: refuse("iptables-refused", `${ruleFailed(op, "Too many links")} — the jump makes a loop reachable from a built-in chain`, "command") };
  const table: Table = { ...t, chains: saveOrder(tableName, chains.values()) };
  const tables = rs.tables.some((x) => x.name === tableName) ? rs.tables.map((x) => (x.name === tableName ? table : x)) : [...rs.tables, table];
  return { ruleset: { tables } };
}

function busy(chain: string, hasRules: boolean): string {
  return `iptables v1.8.9 (nf_tables):  CHAIN_DEL failed (Device or resource busy): chain ${chain} — it ${hasRules ? "still has rules" : "is still jumped to"}`;
}

/** The nf_tables batch error iptables prints for a rule the kernel refused. */
function ruleFailed(op: Op, why: string): string {
  const cmd = op.kind === "parsed" ? op.cmd : undefined;
  const verb = cmd?.kind === "insert" ? "RULE_INSERT" : "RULE_APPEND";
  return `iptables v1.8.9 (nf_tables):  ${verb} failed (${why}): rule in chain ${cmd?.chain.text ?? "?"}`;
}

const NOWHERE: Position = { file: LINE_FILE, line: 1, column: 1 };

function jumpedTo(chains: ReadonlyMap<string, Chain>, name: string): boolean {
  return [...chains.values()].some((c) => c.rules.some((r) => r.target?.kind === "jump" && r.target.chain === name));
}
