/**
 * What every subcommand shares: where output goes, the loader and simulator it calls (real ones
 * by default; tests may pass stand-ins), the exit codes, and loading a scenario with its
 * problems printed as `file:line:column: error: …`.
 */
import type { Result } from "../core/issue.js";
import { formatIssue } from "../core/issue.js";
import type { WorldSpec } from "../netns/spec.js";
import { loadScenarioFile } from "../scenario/load.js";
import type { Simulate } from "../sim/probes.js";
import { simulate } from "../sim/exec.js";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliDeps {
  readonly loadScenario: (path: string) => Result<WorldSpec>;
  readonly simulate: Simulate;
}

export const defaultDeps: CliDeps = { loadScenario: loadScenarioFile, simulate };

/** Exit codes of podpath itself (exec and trace pass the tool's own code through). */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  internal: 70,
} as const;

export type Loaded = { readonly ok: true; readonly spec: WorldSpec } | { readonly ok: false; readonly code: number };

/** Loads the scenario, printing every issue to stderr when it cannot be used. */
export function loadSpec(path: string, io: CliIo, deps: CliDeps): Loaded {
  const r = deps.loadScenario(path);
  if (!r.ok) {
    printIssues(r.issues, io);
    return { ok: false, code: EXIT.usage };
  }
  return { ok: true, spec: r.value };
}

export function printIssues(issues: readonly Parameters<typeof formatIssue>[0][], io: CliIo): void {
  for (const i of issues) io.err(`${formatIssue(i)}\n`);
  const n = issues.length;
  if (n > 1) io.err(`${n} errors\n`);
}

/** True when the namespace exists; otherwise says which ones do. */
export function checkNamespace(spec: WorldSpec, path: string, netns: string, io: CliIo): boolean {
  if (spec.namespaces.some((n) => n.name === netns)) return true;
  const names = spec.namespaces.map((n) => n.name).join(", ");
  io.err(`podpath: ${path} has no namespace "${netns}"; its namespaces are: ${names || "(none)"}\n`);
  return false;
}

/**
 * The words after `--` as one command line the simulated shell splits again. A single word is
 * taken as a whole command line (`podpath exec s.yaml pod1 "ping -c 1 10.0.0.2"`); several are
 * quoted where needed so that `-- curl -H 'X: y' …` keeps its arguments.
 */
export function commandLine(words: readonly string[]): string {
  if (words.length === 1) return words[0]!;
  return words.map(shellQuote).join(" ");
}

function shellQuote(w: string): string {
  if (w !== "" && /^[A-Za-z0-9_\-+=.,:/@%^]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}
