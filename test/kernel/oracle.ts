/**
 * The kernel's side of a probe: build the world for real, run the command, check the probe's
 * own `expect` block against what the kernel said.
 *
 * Each kernel probe gets a freshly materialized world, because `execCommand(world, …)` starts
 * every command from the scenario's state: an earlier probe must not leave ARP entries, learned
 * FDB entries or used-up ICMP rate-limit tokens behind for a later one.
 *
 * Nothing here imports the simulator, so the oracle keeps working while the simulator is being
 * rewritten (`PODPATH_KERNEL_ONLY=1`).
 */
import type { ProbeSpec, WorldSpec } from "../../src/netns/spec.js";
import { visible } from "./diff.js";
import { materialize } from "./materialize.js";

/** Longest a probe may run on the kernel; probes are written to finish in a few seconds. */
export const PROBE_TIMEOUT_MS = 20_000;

export interface Answer {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface KernelAnswer extends Answer {
  readonly timedOut: boolean;
  readonly elapsedMs: number;
  readonly setupMs: number;
}

export async function runProbeOnKernel(world: WorldSpec, probe: ProbeSpec, timeoutMs = PROBE_TIMEOUT_MS): Promise<KernelAnswer> {
  const t0 = Date.now();
  const real = await materialize(world);
  try {
    const setupMs = Date.now() - t0;
    const r = await real.exec(probe.netns, probe.command, timeoutMs);
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, timedOut: r.timedOut, elapsedMs: r.elapsedMs, setupMs };
  } finally {
    await real.teardown();
  }
}

/** The kernel's answers to every kernel probe of a scenario, one after the other. */
export async function runScenarioOnKernel(world: WorldSpec): Promise<Map<ProbeSpec, KernelAnswer>> {
  const answers = new Map<ProbeSpec, KernelAnswer>();
  for (const p of world.probes) if (p.kernel) answers.set(p, await runProbeOnKernel(world, p));
  return answers;
}

function shown(text: string): string {
  return text === "" ? "    (empty)" : text.replace(/\n$/, "").split("\n").map((l) => `    ${visible(l)}`).join("\n");
}

export function describeAnswer(a: Answer): string {
  return `exit ${a.exitCode}\n  stdout:\n${shown(a.stdout)}\n  stderr:\n${shown(a.stderr)}`;
}

/** What in the probe's `expect` block the answer does not meet; empty when all of it holds. */
export function unmetExpectations(probe: ProbeSpec, a: Answer): string[] {
  const problems: string[] = [];
  const e = probe.expect;
  if (e.exit !== undefined && e.exit !== a.exitCode) problems.push(`expected exit ${e.exit}, got ${a.exitCode}`);
  for (const s of e.stdoutContains ?? []) if (!a.stdout.includes(s)) problems.push(`stdout lacks ${JSON.stringify(s)}`);
  for (const s of e.stderrContains ?? []) if (!a.stderr.includes(s)) problems.push(`stderr lacks ${JSON.stringify(s)}`);
  return problems;
}

export function probeTitle(world: WorldSpec, probe: ProbeSpec): string {
  return `${probe.name} [${probe.netns}$ ${probe.command}]`;
}
