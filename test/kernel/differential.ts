/**
 * The simulator's side of a probe, and the comparison with the kernel's.
 *
 * The simulator is asked exactly what the kernel was asked — `execCommand(world, probe.netns,
 * probe.command, { seed: world.seed })` — and must answer with the same exit code and, after
 * `normalizeOutput` has removed measured times from both, the same stdout and stderr.
 */
import type { ProbeSpec, WorldSpec } from "../../src/netns/spec.js";
import { execCommand } from "../../src/sim/exec.js";
import { lineDiff } from "./diff.js";
import { normalizeOutput } from "./normalize.js";
import type { Answer } from "./oracle.js";

export type SimAnswer = { readonly ok: true; readonly answer: Answer } | { readonly ok: false; readonly error: string };

export function runProbeOnSimulator(world: WorldSpec, probe: ProbeSpec): SimAnswer {
  try {
    const r = execCommand(world, probe.netns, probe.command, { seed: world.seed });
    return { ok: true, answer: { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode } };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/** The part of an answer that must agree: exit code and normalized output. */
export function normalizedAnswer(a: Answer): Answer {
  return { exitCode: a.exitCode, stdout: normalizeOutput(a.stdout), stderr: normalizeOutput(a.stderr) };
}

/** Differences between the kernel's and the simulator's answers, after normalization. */
export function differences(kernel: Answer, sim: Answer): string[] {
  const out: string[] = [];
  if (kernel.exitCode !== sim.exitCode) out.push(`exit code: kernel ${kernel.exitCode}, simulator ${sim.exitCode}`);
  for (const stream of ["stdout", "stderr"] as const) {
    const k = normalizeOutput(kernel[stream]);
    const s = normalizeOutput(sim[stream]);
    if (k !== s) out.push(`${stream} differs (normalized):\n${lineDiff(k, s)}`);
  }
  return out;
}
