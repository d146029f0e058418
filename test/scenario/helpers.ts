/**
 * Shared by the scenario tests: load text, get the issues or the world, and compare worlds
 * without the `at` positions (which differ between the structured and the command form).
 */
import { expect } from "vitest";
import type { Issue } from "../../src/core/issue.js";
import type { NetnsSpec, WorldSpec } from "../../src/netns/spec.js";
import { loadScenario } from "../../src/scenario/load.js";

export const FILE = "test.yaml";

export function loadOk(text: string): WorldSpec {
  const r = loadScenario(text, FILE);
  if (!r.ok) expect.fail(`expected the scenario to load, got:\n${r.issues.map((i) => `${i.at.line}:${i.at.column} ${i.code}: ${i.message}`).join("\n")}`);
  return r.value;
}

export function issuesOf(text: string): readonly Issue[] {
  const r = loadScenario(text, FILE);
  if (r.ok) expect.fail("expected issues, but the scenario loaded");
  return r.issues;
}

/** `[code, line, column]` for each issue, in order: the compact form most tests assert on. */
export function where(issues: readonly Issue[]): [string, number, number][] {
  return issues.map((i) => [i.code, i.at.line, i.at.column]);
}

export function ns(w: WorldSpec, name: string): NetnsSpec {
  const n = w.namespaces.find((x) => x.name === name);
  if (n === undefined) expect.fail(`no namespace ${name}`);
  return n;
}

/** Deep copy without any `at` key. */
export function stripAt<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === "at" ? undefined : x))) as T;
}

/** A scenario with one namespace `h` whose body is the given YAML lines (indented for you). */
export function oneNs(body: string, extra = ""): string {
  const indented = body
    .split("\n")
    .map((l) => (l.length > 0 ? `    ${l}` : l))
    .join("\n");
  return `name: t\nsegments: [lan]\nnamespaces:\n  h:\n${indented}\n${extra}`;
}

/** A namespace `h` with the given command lines (each quoted as a YAML single-quoted string). */
export function commands(...lines: string[]): string {
  return oneNs(`commands:\n${lines.map((l) => `  - '${l.replaceAll("'", "''")}'`).join("\n")}`);
}
