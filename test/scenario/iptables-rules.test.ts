/**
 * A namespace's `rules:` — a path to an iptables-save file, or the ruleset inline as a block
 * scalar — becomes NetnsSpec.iptables; each form's problems are placed in the file they were
 * written in: the rules file's own line and column, or the line and column inside the YAML.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Issue } from "../../src/core/issue.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { ns } from "./helpers.js";

const RULES = [
  "*nat",
  ":PREROUTING ACCEPT [0:0]",
  ":OUTPUT ACCEPT [0:0]",
  ":KUBE-SERVICES - [0:0]",
  "-A PREROUTING -j KUBE-SERVICES",
  "-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.11:8080",
  "COMMIT",
  "",
].join("\n");

/** The same ruleset with an option iptables-restore does not know: line 6, column 49 (`--dprt`). */
const BAD_RULES = RULES.replace("-m tcp --dport 80", "-m tcp --dprt 80");

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Writes `files` into a fresh directory; returns the path of the first one (the scenario). */
function write(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "podpath-rules-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return join(dir, Object.keys(files)[0]!);
}

/** Deep copy without `at` keys; counters (bigint) as text. */
function stripAt<T>(v: T): unknown {
  return JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === "at" ? undefined : typeof x === "bigint" ? String(x) : x)));
}

function scenario(rulesValue: string): string {
  return `name: rules\nnamespaces:\n  node:\n    rules: ${rulesValue}\n`;
}

/** The ruleset as a YAML block scalar, indented under `rules: |`. */
function inline(text: string): string {
  return `|\n${text.split("\n").filter((l) => l !== "").map((l) => `      ${l}`).join("\n")}\n`;
}

function loaded(path: string): WorldSpec {
  const r = loadScenarioFile(path);
  if (!r.ok) expect.fail(r.issues.map((i) => `${i.at.file}:${i.at.line}:${i.at.column} ${i.message}`).join("\n"));
  return r.value;
}

function problems(path: string): readonly Issue[] {
  const r = loadScenarioFile(path);
  if (r.ok) expect.fail("expected the scenario to be refused");
  return r.issues;
}

describe("rules:", () => {
  it("gives the same ruleset and text from a file and inline", () => {
    const fromFile = loaded(write({ "s.yaml": scenario("./node.iptables"), "node.iptables": RULES }));
    const fromYaml = loaded(write({ "s.yaml": scenario(inline(RULES)) }));
    const a = ns(fromFile, "node").iptables;
    const b = ns(fromYaml, "node").iptables;
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(stripAt(a?.ruleset)).toEqual(stripAt(b?.ruleset));
    expect(a?.text).toBe(RULES);
    expect(b?.text).toBe(RULES);
    expect(a?.ruleset.tables.map((t) => t.name)).toEqual(["nat"]);
    // Only `rules:` differs between the two worlds.
    const withoutRules = (w: WorldSpec) => stripAt({ ...w, file: "", namespaces: w.namespaces.map(({ iptables: _, ...n }) => n) });
    expect(withoutRules(fromFile)).toEqual(withoutRules(fromYaml));
  });

  it("keeps the file a rule came from and where, so traces and errors can point at it", () => {
    const path = write({ "s.yaml": scenario("./node.iptables"), "node.iptables": RULES });
    const spec = ns(loaded(path), "node").iptables;
    expect(spec?.file).toBe(join(path, "..", "node.iptables"));
    const rule = spec?.ruleset.tables[0]?.chains.find((c) => c.name === "KUBE-SERVICES")?.rules[0];
    expect(rule?.at).toEqual({ file: join(path, "..", "node.iptables"), line: 6, column: 1 });
    expect(spec?.at).toMatchObject({ file: path, line: 4, column: 12 });
  });

  it("places a bad rule in a rules file at that file's line and column", () => {
    const path = write({ "s.yaml": scenario("./node.iptables"), "node.iptables": BAD_RULES });
    const issues = problems(path);
    expect(issues.map((i) => [i.at.file, i.at.line, i.at.column])).toEqual([[join(path, "..", "node.iptables"), 6, 49]]);
    expect(issues[0]?.message).toContain("--dprt");
  });

  it("places a bad inline rule at its line and column in the YAML file", () => {
    const path = write({ "s.yaml": scenario(inline(BAD_RULES)) });
    const issues = problems(path);
    // Line 4 is `rules: |`; the ruleset's line 6 is the file's line 10, indented by 6.
    expect(issues.map((i) => [i.at.file, i.at.line, i.at.column])).toEqual([[path, 10, 55]]);
    expect(issues[0]?.message).toContain("--dprt");
  });

  it("moves the positions kept in an inline ruleset into the YAML file", () => {
    const path = write({ "s.yaml": scenario(inline(RULES)) });
    const rule = ns(loaded(path), "node").iptables?.ruleset.tables[0]?.chains.find((c) => c.name === "KUBE-SERVICES")?.rules[0];
    expect(rule?.at).toEqual({ file: path, line: 10, column: 7 });
  });

  it("names a missing file as written, at the rules: value", () => {
    const path = write({ "s.yaml": scenario("./nope.iptables") });
    const issues = problems(path);
    expect(issues.map((i) => [i.code, i.at.file, i.at.line, i.at.column])).toEqual([["read-error", path, 4, 12]]);
    expect(issues[0]?.message).toBe(`"rules": cannot read iptables rules file "./nope.iptables" (${join(path, "..", "nope.iptables")}): no such file`);
  });

  it("refuses a rules: that is neither a path nor a ruleset", () => {
    const path = write({ "s.yaml": "name: rules\nnamespaces:\n  node:\n    rules: [a, b]\n" });
    expect(problems(path).map((i) => [i.code, i.at.line, i.at.column])).toEqual([["wrong-type", 4, 12]]);
  });

  it("lists rules-file problems after the scenario's own, each file in line order", () => {
    const text = `name: rules\nnamespaces:\n  node:\n    rules: ./node.iptables\n    bogus: 1\n`;
    const path = write({ "s.yaml": text, "node.iptables": BAD_RULES });
    expect(problems(path).map((i) => [i.at.file === path ? "yaml" : "rules", i.at.line])).toEqual([
      ["yaml", 5],
      ["rules", 6],
    ]);
  });
});
