/**
 * `podpath run`: every probe of a scenario (sim/probes.ts), each on a fresh world, reported
 * probe by probe — the host and command, the tool's output indented (stderr lines marked `2>`),
 * each expectation `✓ passed` or `✗ failed: expected …, got …` — and a summary line. Exit 0 only
 * when every probe held.
 *
 * A scenario with a timeline (or probes that repeat) runs phase by phase (run-phases.ts): every
 * phase in order, or the one `--at` picks, each with a header, what its actions did, and its
 * probes with that phase's expectations; a repeated probe shows its labels' counts and one
 * sample run per label.
 */
import type { Json } from "../trace/render-json.js";
import type { ProbeCheck, ProbeReport } from "../sim/probes.js";
import { runProbes } from "../sim/probes.js";
import { formatMs } from "../trace/render-text.js";
import type { CliDeps, CliIo } from "./context.js";
import { EXIT, loadSpec } from "./context.js";
import { pickPhase } from "./phase.js";
import type { PhaseSpec, WorldSpec } from "../netns/spec.js";
import { needsPhases, outputLines, phaseCheckText, phasesJson, phasesText, runPhases, tally, tallyText } from "./run-phases.js";

export interface RunArgs {
  readonly scenario: string;
  readonly seed?: string;
  /** `--at`: the point of the timeline the probes run at (default start). */
  readonly at?: string;
  readonly json: boolean;
}

export function runCmd(args: RunArgs, io: CliIo, deps: CliDeps): number {
  const loaded = loadSpec(args.scenario, io, deps);
  if (!loaded.ok) return loaded.code;
  const picked = pickPhase(loaded.spec, args.at ?? "start");
  if (!picked.ok) {
    io.err(`podpath: ${picked.message}\n`);
    return EXIT.usage;
  }
  const spec = picked.world;
  const seed = args.seed ?? spec.seed;
  if (needsPhases(spec)) return runTimeline(args, spec, seed, picked.phase, io, deps);
  const reports = runProbes(spec, { seed, simulate: deps.simulate });
  const passed = reports.filter((r) => r.passed).length;
  const failed = reports.length - passed;
  if (args.json) {
    const doc: Json = { scenario: args.scenario, name: spec.name, seed, probes: reports.map(reportJson), passed, failed };
    io.out(JSON.stringify(doc, null, 2) + "\n");
  } else {
    const n = reports.length;
    io.out(`${spec.name} — ${args.scenario}, seed ${seed}, ${n} ${n === 1 ? "probe" : "probes"}\n`);
    for (const r of reports) io.out(`\n${reportText(r)}`);
    io.out(`\n${passed} passed, ${failed} failed\n`);
  }
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

export function reportText(r: ReportLike): string {
  const p = r.probe;
  const lines = [`${r.passed ? "✓" : "✗"} ${p.name}`];
  lines.push(`  ${p.netns}$ ${p.command}${r.result ? `    [exit ${r.result.exitCode}, ${formatMs(r.elapsedMs)} ms]` : ""}`);
  if (r.result) {
    for (const l of outputLines(r.result.stdout)) lines.push(`    ${l}`);
    for (const l of outputLines(r.result.stderr)) lines.push(`    2> ${l}`);
  }
  if (r.error !== undefined) lines.push(`  ✗ failed: the simulator failed: ${r.error}`);
  else if (r.checks.length === 0) lines.push("  (no expectations)");
  for (const c of r.checks) lines.push(`  ${checkText(c)}`);
  return lines.join("\n").replace(/[ \t]+$/gm, "") + "\n";
}

type ReportLike = Pick<ProbeReport, "probe" | "result" | "elapsedMs" | "checks" | "passed" | "error">;

export function checkText(c: ProbeCheck): string {
  return phaseCheckText(c);
}

function reportJson(r: ProbeReport): Json {
  return {
    name: r.probe.name,
    namespace: r.probe.netns,
    command: r.probe.command,
    result: r.result ? { exitCode: r.result.exitCode, stdout: r.result.stdout, stderr: r.result.stderr } : null,
    elapsedMs: r.elapsedMs,
    outcome: r.outcome,
    checks: r.checks.map((c) => ({ what: c.what, ok: c.ok, expected: c.expected, actual: c.actual })),
    passed: r.passed,
    error: r.error ?? null,
  };
}

/** Every phase (or the one picked by `--at`), each probe with that phase's expectations. */
function runTimeline(args: RunArgs, spec: WorldSpec, seed: string, picked: PhaseSpec | undefined, io: CliIo, deps: CliDeps): number {
  const only = args.at !== undefined ? picked : undefined;
  const reports = runPhases(spec, { seed, simulate: deps.simulate, ...(only !== undefined ? { only } : {}) });
  const t = tally(reports);
  const timeline = spec.phases !== undefined;
  if (args.json) {
    const doc: Json = { scenario: args.scenario, name: spec.name, seed, phases: phasesJson(reports), runs: t.runs, passed: t.passed, failed: t.failed };
    io.out(JSON.stringify(doc, null, 2) + "\n");
  } else {
    io.out(`${spec.name} — ${args.scenario}, seed ${seed}, ${tallyText(t, timeline)}\n`);
    io.out(phasesText(reports));
    io.out(`\n${t.passed} passed, ${t.failed} failed${timeline ? ` (${reports.length === 1 ? "phase" : "phases"} ${reports.map((p) => p.name).join(", ")})` : ""}\n`);
  }
  return t.failed === 0 ? EXIT.ok : EXIT.failed;
}
