/**
 * `podpath run`: every probe of a scenario (sim/probes.ts), each on a fresh world, reported
 * probe by probe — the host and command, the tool's output indented (stderr lines marked `2>`),
 * each expectation `✓ passed` or `✗ failed: expected …, got …` — and a summary line. Exit 0 only
 * when every probe held.
 */
import type { Json } from "../trace/render-json.js";
import type { ProbeCheck, ProbeReport } from "../sim/probes.js";
import { runProbes } from "../sim/probes.js";
import { formatMs } from "../trace/render-text.js";
import type { CliDeps, CliIo } from "./context.js";
import { EXIT, loadSpec } from "./context.js";
import { pickPhase } from "./phase.js";

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
  switch (c.what) {
    case "exit":
      return `exit ${c.expected}: ${c.ok ? "✓ passed" : `✗ failed: expected ${c.expected}, got ${c.actual}`}`;
    case "outcome":
      return `outcome ${c.expected}: ${c.ok ? "✓ passed" : `✗ failed: expected ${c.expected}, got ${c.actual}`}`;
    case "stdout":
    case "stderr":
      return `${c.what} contains ${JSON.stringify(c.expected)}: ${c.ok ? "✓ passed" : `✗ failed: expected it in ${c.what}, got no line containing it`}`;
  }
}

function outputLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.replace(/\r/g, "").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
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
