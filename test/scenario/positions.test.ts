/**
 * Positions: a command's token is found inside its YAML string however the string is written
 * (plain, 'single', "double" with escapes, folded over lines, block), and a path resolves to the
 * key, the value, or — when a key is missing — the mapping that should hold it.
 */
import { describe, expect, it } from "vitest";
import { IssueSink } from "../../src/scenario/issues.js";
import { parseYaml } from "../../src/scenario/yaml-positions.js";
import { issuesOf, where } from "./helpers.js";

function locate(text: string, path: (string | number)[], index: number): [number, number] {
  const y = parseYaml(text, "f.yaml", new IssueSink());
  const at = y.source.scalarLocator(path);
  if (at === undefined) expect.fail("no scalar at path");
  const p = at(index);
  return [p.line, p.column];
}

describe("scalarLocator", () => {
  it("maps a plain scalar index to its column", () => {
    // "ip route add" starts at column 6; index 9 is the "a" of "add".
    expect(locate("x:\n  - ip route add\n", ["x", 0], 9)).toEqual([2, 14]);
  });

  it("skips the opening quote and folds '' in single-quoted scalars", () => {
    const text = "x: 'it''s here'\n";
    // value "it's here": index 5 is "h"; source: ' i t ' ' s _ h → column 4 + 6 = 10
    expect(locate(text, ["x"], 5)).toEqual([1, 11]);
  });

  it("accounts for escapes in double-quoted scalars", () => {
    const text = 'x: "a\\tb \\"c\\" \\x41Z"\n';
    // value: a TAB b space " c " space A Z  → index 9 is "Z"
    // source columns: " at 4, a 5, \t 6-7, b 8, space 9, \" 10-11, c 12, \" 13-14, space 15, \x41 16-19, Z 20
    expect(locate(text, ["x"], 9)).toEqual([1, 20]);
    expect(locate(text, ["x"], 5)).toEqual([1, 12]);
  });

  it("follows a plain scalar folded over two lines", () => {
    const text = "x:\n  - ip route add 10.0.0.0/8\n    via 10.1.1.1\n";
    // value "ip route add 10.0.0.0/8 via 10.1.1.1": "via" starts at index 24.
    expect(locate(text, ["x", 0], 24)).toEqual([3, 5]);
  });

  it("follows a folded block scalar", () => {
    const text = "x: >-\n  ip route add\n  10.1.2.3/8 dev lo\n";
    expect(locate(text, ["x"], 13)).toEqual([3, 3]);
  });

  it("points just past the value for a missing argument", () => {
    expect(locate("x: 'ip addr'\n", ["x"], 7)).toEqual([1, 12]);
  });
});

describe("paths to positions", () => {
  it("points at the mapping when a required key is missing", () => {
    const issues = issuesOf("name: t\nnamespaces:\n  h:\n    routes:\n      - { via: 10.0.0.1 }\n");
    expect(where(issues)).toEqual([["missing-key", 5, 9]]);
    expect(issues[0]!.message).toContain('"dst"');
  });

  it("points at the key itself for an unknown key", () => {
    const issues = issuesOf("name: t\nnamespaces:\n  h:\n    devices:\n      br0:\n        type: bridge\n        stp: on\n");
    expect(where(issues)).toEqual([["unknown-key", 7, 9]]);
    expect(issues[0]!.message).toBe('unknown key "stp"; expected one of: type, mac, mtu, up, hairpin');
  });

  it("points at a command token inside a double-quoted string after an escape", () => {
    const issues = issuesOf('name: t\nnamespaces:\n  h:\n    commands: ["ip \\"link\\" add x type dummy"]\n');
    // The value starts at column 17; "dummy" is at value index 21, and the two \" escapes
    // before it take one extra column each in the source: 17 + 21 + 2.
    expect(where(issues)).toEqual([["bad-value", 4, 40]]);
  });
});
