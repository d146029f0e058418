/**
 * Scenario probes: each probe's command runs on a fresh world built from the spec (so probes
 * never see each other's ARP entries, connections or rate-limit state), and its expectations
 * become checks — the exit code, each substring that must appear in stdout / stderr, and the
 * outcome class (apps/outcome.ts). A world that cannot be built is the scenario's problem and
 * surfaces as the InputError `simulate` throws; a probe that crashes the simulator is reported
 * as that probe's error, and the other probes still run.
 */
import { InputError } from "../core/issue.js";
import type { ProbeSpec, WorldSpec } from "../netns/spec.js";
import type { Trace } from "../trace/types.js";
import type { Outcome } from "../apps/outcome.js";
import { classifyOutcome, errnoFromTraces } from "../apps/outcome.js";
import type { ExecOptions, ExecResult } from "./exec.js";
import { simulate } from "./exec.js";

export interface ProbeCheck {
  /** `exit`, `stdout`, `stderr` (a substring that must appear) or `outcome`. */
  readonly what: "exit" | "stdout" | "stderr" | "outcome";
  readonly ok: boolean;
  /** The expected exit code, substring or outcome name. */
  readonly expected: string;
  /** The exit code or outcome seen; for substrings the line that contains it, or "" when none does. */
  readonly actual: string;
}

export interface ProbeReport {
  readonly probe: ProbeSpec;
  /** Missing only when the simulator failed (see `error`). */
  readonly result?: ExecResult;
  /** Virtual milliseconds the command took. */
  readonly elapsedMs: number;
  /** How the run is classified, whether or not the probe states an outcome. */
  readonly outcome: Outcome;
  readonly checks: readonly ProbeCheck[];
  readonly passed: boolean;
  /** The simulator's own failure (a bug, not the scenario's), when it threw. */
  readonly error?: string;
}

/** What runProbes needs from the simulator; tests may pass a stand-in. */
export type Simulate = (spec: WorldSpec, netns: string, command: string, options: ExecOptions) => { readonly result: ExecResult; readonly traces: readonly Trace[]; readonly elapsedMs: number };

export interface ProbeOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: string;
  readonly simulate?: Simulate;
}

export function runProbes(spec: WorldSpec, options: ProbeOptions = {}): ProbeReport[] {
  const sim = options.simulate ?? simulate;
  const seed = options.seed ?? spec.seed;
  return spec.probes.map((probe) => {
    let run: ReturnType<Simulate>;
    try {
      run = sim(spec, probe.netns, probe.command, { seed });
    } catch (e) {
      if (e instanceof InputError) throw e;
      const error = e instanceof Error ? e.message : String(e);
      return { probe, elapsedMs: 0, outcome: "unknown", checks: [], passed: false, error };
    }
    const outcome = classifyOutcome(probe.command, run.result, hintFrom(run.traces));
    const checks = checkProbe(probe, run.result, outcome);
    return { probe, result: run.result, elapsedMs: run.elapsedMs, outcome, checks, passed: checks.every((c) => c.ok) };
  });
}

function hintFrom(traces: readonly Trace[]): { errno?: string } {
  const errno = errnoFromTraces(traces);
  return errno !== undefined ? { errno } : {};
}

export function checkProbe(probe: ProbeSpec, result: ExecResult, outcome: Outcome): ProbeCheck[] {
  const e = probe.expect;
  const checks: ProbeCheck[] = [];
  if (e.exit !== undefined) {
    checks.push({ what: "exit", ok: result.exitCode === e.exit, expected: String(e.exit), actual: String(result.exitCode) });
  }
  for (const s of e.stdoutContains ?? []) checks.push(contains("stdout", result.stdout, s));
  for (const s of e.stderrContains ?? []) checks.push(contains("stderr", result.stderr, s));
  if (e.outcome !== undefined) checks.push({ what: "outcome", ok: outcome === e.outcome, expected: e.outcome, actual: outcome });
  return checks;
}

function contains(what: "stdout" | "stderr", text: string, needle: string): ProbeCheck {
  const ok = text.includes(needle);
  const line = ok ? (text.split("\n").find((l) => l.includes(needle)) ?? needle) : "";
  return { what, ok, expected: needle, actual: line };
}
