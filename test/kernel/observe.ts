/**
 * Records what the real kernel answers to every kernel probe, for the people who write the
 * simulated tools: exact stdout, stderr and exit code (not normalized), how long it took, and
 * the sysctl defaults of a fresh namespace.
 *
 *   npx tsx test/kernel/observe.ts [--out /tmp/kernel-observed.json] [scenario.yaml …]
 *
 * With no files, every `scenarios/lowlevel/*.yaml`. Needs root, like the kernel tests.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { formatIssue } from "../../src/core/issue.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { limited } from "./limit.js";
import { cleanupStale } from "./names.js";
import { runProbeOnKernel, unmetExpectations } from "./oracle.js";
import { projectLoader, scenarioFiles } from "./scenarios.js";
import { freshNetnsSysctls } from "./sysctl-defaults.js";
import { kernelAvailability } from "./tools.js";

export const DEFAULT_OUT = "/tmp/kernel-observed.json";

export interface ObservedProbe {
  readonly name: string;
  readonly netns: string;
  readonly command: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
  readonly timedOut: boolean;
  /** What in the scenario's `expect` block the kernel did not meet (empty: all met). */
  readonly unmet: readonly string[];
}

export interface ObservedScenario {
  readonly file: string;
  readonly name: string;
  readonly probes: readonly ObservedProbe[];
}

export interface Observed {
  readonly generatedAt: string;
  readonly kernel: string;
  readonly tools: Readonly<Record<string, string>>;
  readonly sysctlDefaults: Readonly<Record<string, string | null>>;
  readonly sysctlNote: string;
  readonly scenarios: readonly ObservedScenario[];
}

/** The first line a command prints, on stdout or (traceroute --version) stderr. */
function firstLine(argv: readonly string[]): string {
  const [file, ...args] = argv;
  const r = spawnSync(file!, args, { encoding: "utf8" });
  return `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n")[0]!.trim();
}

export async function observeWorlds(worlds: readonly WorldSpec[], concurrency = 4): Promise<ObservedScenario[]> {
  const jobs = worlds.map((world) => async (): Promise<ObservedScenario> => {
    const probes: ObservedProbe[] = [];
    for (const p of world.probes) {
      if (!p.kernel) continue;
      const a = await runProbeOnKernel(world, p);
      probes.push({
        name: p.name,
        netns: p.netns,
        command: p.command,
        exitCode: a.exitCode,
        stdout: a.stdout,
        stderr: a.stderr,
        elapsedMs: a.elapsedMs,
        timedOut: a.timedOut,
        unmet: unmetExpectations(p, a),
      });
    }
    return { file: basename(world.file), name: world.name, probes };
  });
  return Promise.all(limited(jobs, concurrency));
}

export async function observe(worlds: readonly WorldSpec[]): Promise<Observed> {
  await cleanupStale();
  return {
    generatedAt: new Date().toISOString(),
    kernel: firstLine(["uname", "-r"]),
    tools: {
      ip: firstLine(["ip", "-V"]),
      ping: firstLine(["ping", "-V"]),
      curl: firstLine(["curl", "--version"]),
      traceroute: firstLine(["traceroute", "--version"]),
      nc: "netcat-openbsd (Debian)",
      node: process.version,
    },
    sysctlDefaults: await freshNetnsSysctls(),
    sysctlNote:
      "read in a namespace made by `ip netns add`; net.ipv4.neigh.default.* does not exist outside the initial namespace, so those values are read from a fresh veth (net.ipv4.neigh.DEV.*), which copies the defaults",
    scenarios: await observeWorlds(worlds),
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const avail = kernelAvailability();
  if (!avail.usable) {
    console.error(`cannot ask the kernel: ${avail.reason}`);
    return 2;
  }
  let out = DEFAULT_OUT;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") out = argv[++i] ?? out;
    else files.push(argv[i]!);
  }
  const loader = await projectLoader();
  if (typeof loader !== "function") {
    console.error(loader.missing);
    return 2;
  }
  const worlds: WorldSpec[] = [];
  let bad = false;
  for (const f of files.length > 0 ? files : scenarioFiles()) {
    const r = loader(f);
    if (r.ok) worlds.push(r.value);
    else {
      bad = true;
      for (const i of r.issues) console.error(formatIssue(i));
    }
  }
  if (bad) return 2;
  const observed = await observe(worlds);
  writeFileSync(out, `${JSON.stringify(observed, null, 2)}\n`);
  const unmet = observed.scenarios.flatMap((s) => s.probes.filter((p) => p.unmet.length > 0).map((p) => `${s.file}: ${p.name}: ${p.unmet.join("; ")}`));
  console.log(`wrote ${out}: ${observed.scenarios.length} scenarios, ${observed.scenarios.reduce((n, s) => n + s.probes.length, 0)} probes`);
  for (const u of unmet) console.log(`expect not met: ${u}`);
  return unmet.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(2);
    },
  );
}
