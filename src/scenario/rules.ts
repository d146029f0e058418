/**
 * A namespace's `rules:` — its iptables ruleset, as `iptables-save` prints it (or as
 * `iptables-restore` reads it: kube-proxy's restore input loads too).
 *
 * Owns the two forms and where their problems are reported:
 *  - a single-line string is a path, relative to the scenario file (`rules: ./node1.iptables`);
 *    problems inside that file are reported at that file's own line and column, and a file that
 *    cannot be read is reported at the `rules:` value, naming the path as written;
 *  - a string with line breaks (a YAML block scalar, `rules: |`) is the ruleset itself; its
 *    problems are reported at their place in the YAML file, and so are the positions kept in the
 *    ruleset (rules, chains, tables), so traces point into the scenario.
 * Parsing is parseIptablesSave() (src/netfilter/syntax/), which reads the text the way
 * `iptables-restore` 1.8.9 does; the verbatim text goes to NetnsSpec.iptables for the kernel
 * tests, which load it with the real iptables-restore.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import type { Position } from "../core/issue.js";
import type { IptablesSpec, WorldSpec } from "../netns/spec.js";
import type { Chain, Rule, Ruleset, Table } from "../netfilter/rule.js";
import { parseIptablesSave } from "../netfilter/syntax/index.js";
import type { Builder } from "./builder.js";
import type { NsInput } from "./structured.js";
import type { Path } from "./yaml-positions.js";
import { describeFound } from "./zod-issues.js";

/** Positions inside `text` (1-based line/column) → positions in the file the text sits in. */
function textPlacer(text: string, locate: (index: number) => Position): (p: Position) => Position {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (p) => locate((starts[p.line - 1] ?? text.length) + p.column - 1);
}

function movedRule(r: Rule, place: (p: Position) => Position): Rule {
  return r.at === undefined ? r : { ...r, at: place(r.at) };
}

function movedChain(c: Chain, place: (p: Position) => Position): Chain {
  return { ...c, rules: c.rules.map((r) => movedRule(r, place)), ...(c.at !== undefined ? { at: place(c.at) } : {}) };
}

function movedTable(t: Table, place: (p: Position) => Position): Table {
  return { ...t, chains: t.chains.map((c) => movedChain(c, place)), ...(t.at !== undefined ? { at: place(t.at) } : {}) };
}

/** The ruleset with every kept position moved by `place`. */
function movedRuleset(rs: Ruleset, place: (p: Position) => Position): Ruleset {
  return { tables: rs.tables.map((t) => movedTable(t, place)) };
}

/** Where a `rules:` path points, relative to the scenario file's directory. */
export function rulesFilePath(scenarioFile: string, written: string): string {
  return isAbsolute(written) ? written : join(dirname(scenarioFile), written);
}

/** Reads and parses one namespace's `rules:`; problems go to the builder's sink. */
export function loadRules(b: Builder, ns: NsInput): IptablesSpec | undefined {
  const raw = ns.sections.rules;
  if (raw === undefined) return undefined;
  const path: Path = [...ns.path, "rules"];
  const at = b.src.at(path);
  if (typeof raw !== "string") {
    b.sink.add("wrong-type", `"rules": expected a path to an iptables-save file, or the ruleset as a block (rules: |), found ${describeFound(raw)}`, at);
    return undefined;
  }
  const inline = raw.includes("\n");
  let text = raw;
  let file = b.src.file;
  if (!inline) {
    const written = raw.trim();
    if (written === "") {
      b.sink.add("bad-value", `"rules": expected a path to an iptables-save file, or the ruleset as a block (rules: |), found an empty string`, at);
      return undefined;
    }
    file = rulesFilePath(b.src.file, written);
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "is a directory" : (err.code ?? err.message);
      b.sink.add("read-error", `"rules": cannot read iptables rules file "${written}" (${file}): ${why}`, at);
      return undefined;
    }
  }
  const parsed = parseIptablesSave(text, file);
  const locate = inline ? b.src.scalarLocator(path) : undefined;
  const place = locate !== undefined ? textPlacer(text, locate) : (p: Position) => p;
  if (!parsed.ok) {
    for (const i of parsed.issues) b.sink.addIssue({ ...i, at: place(i.at) });
    return undefined;
  }
  return { ruleset: locate !== undefined ? movedRuleset(parsed.value, place) : parsed.value, text, file, at };
}

/** The world with each namespace's ruleset attached. */
export function withRulesets(world: WorldSpec, rules: ReadonlyMap<string, IptablesSpec>): WorldSpec {
  if (rules.size === 0) return world;
  return {
    ...world,
    namespaces: world.namespaces.map((n) => {
      const r = rules.get(n.name);
      return r === undefined ? n : { ...n, iptables: r };
    }),
  };
}
