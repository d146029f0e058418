/**
 * `podpath run` for a timeline, and what `podpath test` checks: every phase in order (or the one
 * `--at` picks), each probe of that phase's world run `repeat` times, and that phase's
 * expectations checked (src/scenario/cluster/probe-schema.ts).
 *
 * Seeds: a probe that runs once uses the run's seed (`--seed`, else the scenario's) as it is, so
 * its output is what `podpath exec --seed S` prints. A probe with `repeat: n` runs with the seeds
 * `S:1`, `S:2` … `S:n` — a pure function of the seed and the run number, the same in every phase
 * and for every probe — so any run can be repeated on its own with `exec --at <phase> --seed S:k`.
 *
 * A run's label is `ok` when it exits 0, otherwise `<argv0>: (<exit code>)`. Every-run
 * expectations (`exit`, `stdout`, `stderr`, `outcome`) are checked on each run and reported once;
 * `outcomes` is checked on the labels' counts, `seen` on all the runs' stdout.
 */
import type { PhaseSpec, ProbeSpec, WorldSpec } from "../netns/spec.js";
import type { ProbeCheck, ProbeReport, Simulate } from "../sim/probes.js";
import { runProbes } from "../sim/probes.js";
import type { OutcomeBound } from "../scenario/cluster/probe-schema.js";
import { inRange, isPhaseExpect, phaseDescription, repeatOf, runLabel } from "../scenario/cluster/probe-schema.js";
import type { Json } from "../trace/render-json.js";
import { formatMs } from "../trace/render-text.js";

/** The seed of run `run` (1-based) of a probe that runs `repeat` times. */
export function runSeed(seed: string, run: number, repeat: number): string {
  return repeat === 1 ? seed : `${seed}:${run}`;
}

export interface ProbeRun {
  /** 1-based. */
  readonly run: number;
  readonly seed: string;
  readonly label: string;
  readonly report: ProbeReport;
}

export interface LabelCount {
  readonly label: string;
  readonly count: number;
  /** The first run with this label. */
  readonly sample: ProbeRun;
}

export interface PhaseCheck {
  readonly what: ProbeCheck["what"] | "outcomes" | "seen" | "answers";
  readonly ok: boolean;
  readonly expected: string;
  /** What was seen: an exit code, outcome or line; for a repeated every-run check the failing values with their counts (`7 in 13`). */
  readonly actual: string;
  /** For an every-run check of a repeated probe: how many runs failed it, of how many. */
  readonly runs?: { readonly failed: number; readonly total: number };
}

export interface PhaseProbeReport {
  readonly probe: ProbeSpec;
  readonly repeat: number;
  readonly runs: readonly ProbeRun[];
  /** Most frequent first, then by label. */
  readonly labels: readonly LabelCount[];
  readonly checks: readonly PhaseCheck[];
  readonly passed: boolean;
  /** The simulator's own failure in some run (a bug, not the scenario's). */
  readonly error?: string;
}

export interface PhaseReport {
  readonly name: string;
  readonly time: number;
  readonly description?: string;
  readonly said: readonly string[];
  /** False for a scenario without a timeline: its one point has no name worth a header. */
  readonly timeline: boolean;
  readonly probes: readonly PhaseProbeReport[];
}

export interface PhasesOptions {
  readonly seed: string;
  readonly simulate: Simulate;
  /** Only this phase (`--at`). */
  readonly only?: PhaseSpec;
}

/** True when `run` needs this runner: a timeline, or a probe that repeats or counts outcomes. */
export function needsPhases(spec: WorldSpec): boolean {
  return spec.phases !== undefined || spec.probes.some((p) => repeatOf(p) > 1 || isPhaseExpect(p.expect));
}

export function runPhases(spec: WorldSpec, o: PhasesOptions): PhaseReport[] {
  const points: readonly PhaseSpec[] = o.only !== undefined ? [o.only] : (spec.phases ?? [{ name: "start", time: 0, said: [], world: spec }]);
  const timeline = spec.phases !== undefined;
  return points.map((p) => {
    const description = phaseDescription(p);
    return {
      name: p.name,
      time: p.time,
      ...(description !== undefined ? { description } : {}),
      said: p.said,
      timeline,
      probes: p.world.probes.map((probe) => runProbe(p.world, probe, o)),
    };
  });
}

function runProbe(world: WorldSpec, probe: ProbeSpec, o: PhasesOptions): PhaseProbeReport {
  const repeat = repeatOf(probe);
  const runs: ProbeRun[] = [];
  for (let run = 1; run <= repeat; run++) {
    const seed = runSeed(o.seed, run, repeat);
    const [report] = runProbes({ ...world, probes: [probe] }, { seed, simulate: o.simulate });
    runs.push({ run, seed, label: report!.error !== undefined ? "error" : runLabel(probe.command, report!.result!.exitCode), report: report! });
  }
  const labels = countLabels(runs);
  const failedRun = runs.find((r) => r.report.error !== undefined);
  const checks = [...everyRun(runs), ...overRuns(probe, runs, labels)];
  const error = failedRun?.report.error;
  return { probe, repeat, runs, labels, checks, passed: error === undefined && checks.every((c) => c.ok), ...(error !== undefined ? { error } : {}) };
}

function countLabels(runs: readonly ProbeRun[]): LabelCount[] {
  const by = new Map<string, { count: number; sample: ProbeRun }>();
  for (const r of runs) {
    const c = by.get(r.label);
    if (c === undefined) by.set(r.label, { count: 1, sample: r });
    else c.count++;
  }
  return [...by].map(([label, c]) => ({ label, ...c })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** `12/25 ok, 13/25 curl: (7)`. */
export function labelSummary(labels: readonly LabelCount[], total: number): string {
  return labels.map((l) => `${l.count}/${total} ${l.label}`).join(", ");
}

/** exit / stdout / stderr / outcome: checked on every run, reported once. */
function everyRun(runs: readonly ProbeRun[]): PhaseCheck[] {
  const checked = runs.filter((r) => r.report.error === undefined);
  const first = checked[0];
  if (first === undefined) return [];
  if (runs.length === 1) return [...first.report.checks];
  return first.report.checks.map((c, j) => {
    const failing = checked.map((r) => r.report.checks[j]!).filter((x) => !x.ok);
    const runsOf = { failed: failing.length, total: runs.length };
    if (failing.length === 0) return { what: c.what, ok: true, expected: c.expected, actual: c.actual, runs: runsOf };
    const seen = new Map<string, number>();
    for (const f of failing) seen.set(f.actual, (seen.get(f.actual) ?? 0) + 1);
    const actual = [...seen].sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v} in ${n}`).join(", ");
    return { what: c.what, ok: false, expected: c.expected, actual, runs: runsOf };
  });
}

/** outcomes / seen: checked over all runs. */
function overRuns(probe: ProbeSpec, runs: readonly ProbeRun[], labels: readonly LabelCount[]): PhaseCheck[] {
  const e = probe.expect;
  if (!isPhaseExpect(e)) return [];
  const checks: PhaseCheck[] = [];
  if (e.outcomes !== undefined) checks.push(outcomesCheck(e.outcomes, labels, runs.length));
  for (const s of e.seen ?? []) {
    const n = runs.filter((r) => r.report.result?.stdout.includes(s) === true).length;
    checks.push({ what: "seen", ok: n > 0, expected: s, actual: `${n === 0 ? "none" : n} of ${plural(runs.length, "run")}` });
  }
  for (const a of e.answers ?? []) {
    const n = runs.filter((r) => r.report.result?.stdout.includes(a.text) === true).length;
    const share = runs.length > 0 ? ` (${((100 * n) / runs.length).toFixed(1)}%)` : "";
    checks.push({ what: "answers", ok: inRange(a.range, n, runs.length), expected: `${JSON.stringify(a.text)} ${a.range.text}`, actual: `${n} of ${plural(runs.length, "run")}${share}` });
  }
  return checks;
}

function outcomesCheck(bounds: readonly OutcomeBound[], labels: readonly LabelCount[], total: number): PhaseCheck {
  const countOf = (label: string): number => labels.find((l) => l.label === label)?.count ?? 0;
  const wrong = bounds.filter((b) => !inRange(b.range, countOf(b.label), total)).map((b) => b.label);
  const unlisted = labels.filter((l) => !bounds.some((b) => b.label === l.label)).map((l) => l.label);
  const why = [...(wrong.length > 0 ? [`${wrong.join(", ")} out of range`] : []), ...(unlisted.length > 0 ? [`${unlisted.join(", ")} not listed`] : [])];
  const summary = labelSummary(labels, total);
  return {
    what: "outcomes",
    ok: why.length === 0,
    expected: bounds.map((b) => `${b.label} ${b.range.text}`).join(", "),
    actual: why.length === 0 ? summary : `${summary} (${why.join("; ")})`,
  };
}

export function phaseCheckText(c: PhaseCheck): string {
  const every = c.runs !== undefined ? " in every run" : "";
  const verdict = (failure: string): string => (c.ok ? "✓ passed" : `✗ failed: ${failure}`);
  switch (c.what) {
    case "exit":
    case "outcome":
      return `${c.what} ${c.expected}${every}: ${verdict(`expected ${c.expected}, got ${c.actual}${c.runs ? ` of ${c.runs.total} runs` : ""}`)}`;
    case "stdout":
    case "stderr":
      return `${c.what} contains ${JSON.stringify(c.expected)}${every}: ${verdict(`expected it in ${c.what}, got no line containing it${c.runs ? ` in ${c.runs.failed} of ${c.runs.total} runs` : ""}`)}`;
    case "outcomes":
      return `outcomes ${c.expected}: ${verdict(`expected ${c.expected}, got ${c.actual}`)}`;
    case "answers":
      return `answers ${c.expected}: ${c.ok ? `✓ passed (${c.actual})` : `✗ failed: got ${c.actual}`}`;
    case "seen":
      return `seen ${JSON.stringify(c.expected)}: ${verdict(`expected it in the stdout of at least one run, got it in ${c.actual}`)}`;
  }
}

export function outputLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.replace(/\r/g, "").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function phaseHeader(p: PhaseReport): string {
  return `── phase ${p.name}, ${p.time} s${p.description !== undefined ? ` — ${p.description}` : ""}`;
}

function resultLines(r: ProbeReport, indent: string): string[] {
  if (r.result === undefined) return [];
  return [...outputLines(r.result.stdout).map((l) => `${indent}${l}`), ...outputLines(r.result.stderr).map((l) => `${indent}2> ${l}`)];
}

export function phaseProbeText(r: PhaseProbeReport): string {
  const p = r.probe;
  const lines = [`${r.passed ? "✓" : "✗"} ${p.name}`];
  if (r.repeat === 1) {
    const one = r.runs[0]!.report;
    lines.push(`  ${p.netns}$ ${p.command}${one.result ? `    [exit ${one.result.exitCode}, ${formatMs(one.elapsedMs)} ms]` : ""}`);
    lines.push(...resultLines(one, "    "));
  } else {
    const last = r.runs[r.runs.length - 1]!;
    lines.push(`  ${p.netns}$ ${p.command}    [${r.repeat} runs, --seed ${r.runs[0]!.seed} … ${last.seed}]`);
    lines.push(`  ${labelSummary(r.labels, r.repeat)}`);
    for (const l of r.labels) {
      const s = l.sample;
      const res = s.report.result;
      lines.push(`  ${l.label} — run ${s.run} (--seed ${s.seed})${res ? `    [exit ${res.exitCode}, ${formatMs(s.report.elapsedMs)} ms]` : ""}`);
      lines.push(...resultLines(s.report, "    "));
    }
  }
  if (r.error !== undefined) lines.push(`  ✗ failed: the simulator failed: ${r.error}`);
  else if (r.checks.length === 0) lines.push("  (no expectations)");
  for (const c of r.checks) lines.push(`  ${phaseCheckText(c)}`);
  return lines.join("\n").replace(/[ \t]+$/gm, "") + "\n";
}

export interface Tally {
  readonly phases: number;
  readonly probes: number;
  readonly runs: number;
  readonly passed: number;
  readonly failed: number;
}

/** Counts over phases; `probes` is the most any phase has (each phase carries the same probes). */
export function tally(reports: readonly PhaseReport[]): Tally {
  const all = reports.flatMap((p) => p.probes);
  const passed = all.filter((r) => r.passed).length;
  return {
    phases: reports.length,
    probes: Math.max(0, ...reports.map((p) => p.probes.length)),
    runs: all.reduce((n, r) => n + r.runs.length, 0),
    passed,
    failed: all.length - passed,
  };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `2 phases, 3 probes, 54 runs` (phases only for a timeline). */
export function tallyText(t: Tally, timeline: boolean): string {
  return [...(timeline ? [plural(t.phases, "phase")] : []), plural(t.probes, "probe"), plural(t.runs, "run")].join(", ");
}

export function phasesText(reports: readonly PhaseReport[]): string {
  let out = "";
  for (const p of reports) {
    if (p.timeline) {
      out += `\n${phaseHeader(p)}\n`;
      for (const s of p.said) out += `  ${s}\n`;
    }
    for (const r of p.probes) out += `\n${phaseProbeText(r)}`;
  }
  return out;
}

/** A probe's failed checks, one line each (for `podpath test`). */
export function failureLines(p: PhaseReport, r: PhaseProbeReport): string[] {
  const where = p.timeline ? `phase ${p.name} › ${r.probe.name}` : r.probe.name;
  if (r.error !== undefined) return [`${where}: the simulator failed: ${r.error}`];
  return r.checks.filter((c) => !c.ok).map((c) => `${where}: ${phaseCheckText(c)}`);
}

function runJson(s: ProbeRun): Json {
  const res = s.report.result;
  return {
    run: s.run,
    seed: s.seed,
    exitCode: res ? res.exitCode : null,
    stdout: res ? res.stdout : null,
    stderr: res ? res.stderr : null,
    elapsedMs: s.report.elapsedMs,
    outcome: s.report.outcome,
    error: s.report.error ?? null,
  };
}

export function phasesJson(reports: readonly PhaseReport[]): Json {
  return reports.map((p) => {
    const t = tally([p]);
    return {
      name: p.name,
      time: p.time,
      description: p.description ?? null,
      said: [...p.said],
      probes: p.probes.map((r) => ({
        name: r.probe.name,
        namespace: r.probe.netns,
        command: r.probe.command,
        repeat: r.repeat,
        runs: { total: r.runs.length, labels: r.labels.map((l) => ({ label: l.label, count: l.count, sample: runJson(l.sample) })) },
        checks: r.checks.map((c) => ({ what: c.what, ok: c.ok, expected: c.expected, actual: c.actual, ...(c.runs ? { failedRuns: c.runs.failed, runs: c.runs.total } : {}) })),
        passed: r.passed,
        error: r.error ?? null,
      })),
      passed: t.passed,
      failed: t.failed,
    };
  });
}
