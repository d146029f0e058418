/**
 * The corpus without root: every good ruleset parses, prints exactly what the real tools
 * printed for it (the .out files the kernel test records), and survives print -> parse ->
 * print unchanged; every bad ruleset yields exactly its `# expect:` issues, all at once.
 */
import { describe, expect, test } from "vitest";
import { formatIssue } from "../../../src/core/issue.js";
import { formatRule, parseIptablesSave, printIptablesSave } from "../../../src/netfilter/syntax/index.js";
import { corpusFiles, expectations, parseGolden, readText, viewCommands } from "./corpus.js";

const short = (f: string): string => f.replace(/.*corpus\//, "");

describe("good rulesets", () => {
  for (const file of corpusFiles("good")) {
    const parsed = parseIptablesSave(readText(file), short(file));

    test(`${short(file)} parses`, () => {
      expect(parsed.ok ? [] : parsed.issues.map(formatIssue)).toEqual([]);
    });

    test(`${short(file)} prints what iptables 1.8.9 printed`, () => {
      if (!parsed.ok) return;
      const golden = parseGolden(readText(file.replace(/\.rules$/, ".out")));
      const cmds = viewCommands(parsed.value);
      expect([...golden.keys()]).toEqual(cmds.map((c) => c.argv.join(" ")));
      for (const c of cmds) expect(c.ours(parsed.value), c.argv.join(" ")).toBe(golden.get(c.argv.join(" ")));
    });

    test(`${short(file)} print -> parse -> print is stable`, () => {
      if (!parsed.ok) return;
      for (const counters of [false, true]) {
        const once = printIptablesSave(parsed.value, { counters });
        const again = parseIptablesSave(once, "printed");
        expect(again.ok ? [] : again.issues.map(formatIssue)).toEqual([]);
        if (!again.ok) return;
        expect(printIptablesSave(again.value, { counters })).toBe(once);
        // Rule by rule too: formatRule of the re-read rule is the line it came from.
        for (const t of again.value.tables) for (const c of t.chains) for (const r of c.rules) expect(once).toContain(formatRule(c.name, r));
      }
    });
  }
});

describe("bad rulesets", () => {
  for (const file of corpusFiles("bad")) {
    test(`${short(file)} gives exactly its expected issues`, () => {
      const text = readText(file);
      const want = expectations(text);
      expect(want.length).toBeGreaterThan(0);
      const parsed = parseIptablesSave(text, short(file));
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.issues.map((i) => ({ code: i.code, line: i.at.line, column: i.at.column, message: i.message }))).toEqual(want);
      for (const i of parsed.issues) expect(i.at.file).toBe(short(file));
    });
  }
});
