/**
 * What seeds.test.ts asks of every seed scenario (scenarios/seeds/*.yaml) at every phase of its
 * timeline, kernel and simulator alike.
 *
 * Owns: finding and loading the seed files (at test time, sorted; a file that does not load is
 * reported, not asked), each phase's world, and its probes —
 *
 *   matrix    every probe `podpath matrix` runs for the phase (sim/matrix.ts computeMatrix, its
 *             default rows and columns: the workload pods, pod × pod and pod × Service port), a
 *             Service probed once per endpoint with that endpoint's KUBE-SEP chain pinned as the
 *             matrix pins it. The list comes from computeMatrix itself, run with a simulate that
 *             only records what it is asked.
 *   scenario  each of the file's probes with the phase's expectation, run once (`repeat` is for
 *             sampling kube-proxy's random choice; here every choice is made on purpose): the
 *             simulator's enumerator (sim/enumerate.ts) lists the probe's branches, and each
 *             branch with a random choice is one probe with that choice pinned; a probe without
 *             one is one probe as written.
 *
 * A pinned probe runs on the kernel in the world with the choice written into the rules and on
 * the simulator with the same choice made by its chooser (seed-pin.ts).
 *
 * Two changes to what the files say, the same on both sides:
 *  - short timeouts: a command without one gets one (`curl --connect-timeout 3`, `nc -w 2`, `ping
 *    -W 2`, right after the tool's name). A silently dropped SYN costs the kernel its retries — over
 *    two minutes — where the simulator spends virtual time; with the timeouts the same outcome
 *    (a timeout) costs a few seconds.
 *  - no cluster DNS: `dns` listeners are left out (listener.mjs has no name server; see
 *    cluster-matrix.ts withoutDnsListeners), so a probe that needs a name server — a host name
 *    other than localhost, dig, nslookup, a UDP Service whose endpoints serve DNS — is not asked,
 *    and says so.
 *
 * Probes that are the same question (the same kernel world, netns and command: a phase whose
 * world equals another's, as a reboot that restores the state before a workaround) share one
 * kernel run (`kernelKey`).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import type { Outcome } from "../../src/apps/outcome.js";
import { classifyOutcome } from "../../src/apps/outcome.js";
import { formatIssue } from "../../src/core/issue.js";
import type { ClusterView } from "../../src/k8s/cluster/view.js";
import type { ProbeSpec, WorldSpec } from "../../src/netns/spec.js";
import { loadScenario } from "../../src/scenario/load.js";
import { enumerate } from "../../src/sim/enumerate.js";
import { execCommand, type ExecOptions } from "../../src/sim/exec.js";
import { computeMatrix, servicePortLabel, type MatrixColumn, type MatrixRow } from "../../src/sim/matrix.js";
import type { Simulate } from "../../src/sim/probes.js";
import { withoutDnsListeners } from "./cluster-matrix.js";
import type { SimAnswer } from "./differential.js";
import type { KernelAnswer } from "./oracle.js";
import type { ProbeSuite } from "./probe-suites.js";
import { describePins, pinChooser, pinsForChain, pinsForDecisions, pinWorld, type Pins } from "./seed-pin.js";

export const SEEDS_DIR = fileURLToPath(new URL("../../scenarios/seeds/", import.meta.url));

/** Every seed file, sorted by name. */
export function seedFiles(dir = SEEDS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `${dir}${dir.endsWith("/") ? "" : "/"}${f}`);
}

export type SeedLoad = { readonly ok: true; readonly world: WorldSpec } | { readonly ok: false; readonly reason: string };

export function loadSeed(file: string): SeedLoad {
  try {
    const r = loadScenario(readFileSync(file, "utf8"), file);
    if (!r.ok) return { ok: false, reason: r.issues.map(formatIssue).join("\n") };
    if (r.value.cluster === undefined) return { ok: false, reason: "not a cluster scenario (kind: cluster)" };
    return { ok: true, world: r.value };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

export interface SeedPhase {
  readonly name: string;
  readonly world: WorldSpec & { readonly cluster: ClusterView };
}

/** The timeline's phases; a file without a timeline is one phase, `start`. */
export function seedPhases(world: WorldSpec): SeedPhase[] {
  const cluster = world.cluster!;
  const phases = world.phases ?? [{ name: "start", world }];
  return phases.map((p) => ({ name: p.name, world: { ...p.world, cluster: p.world.cluster ?? cluster } }));
}

/** A probe of a seed phase, and how it is asked. */
export interface SeedProbe extends ProbeSpec {
  readonly source: "matrix" | "scenario";
  /** The random choice made on purpose, on both sides. */
  readonly pins?: Pins;
}

/** A probe that is not asked, and why. */
export interface NotAsked {
  readonly name: string;
  readonly command: string;
  readonly reason: string;
}

export interface SeedSuite extends ProbeSuite {
  readonly probes: readonly SeedProbe[];
  readonly notAsked: readonly NotAsked[];
}

// ---- commands ----

/**
 * The command with a short timeout for each tool of its pipeline that has none (see the module
 * comment); tokens are split on blanks, which the seeds' commands never quote.
 */
export function withShortTimeouts(command: string): string {
  return command
    .split("|")
    .map((segment) => {
      const m = /^(\s*)(\S+)(.*)$/s.exec(segment);
      if (!m) return segment;
      const [, lead, tool, rest] = m as unknown as [string, string, string, string];
      const name = tool.slice(tool.lastIndexOf("/") + 1);
      const add = (opt: string): string => `${lead}${tool} ${opt}${rest}`;
      if (name === "curl" && !/(^|\s)(--connect-timeout|-m|--max-time)(\s|=|\d)/.test(rest)) return add("--connect-timeout 3");
      if (name === "nc" && !/(^|\s)-[a-zA-Z]*w\s*\d/.test(rest)) return add("-w 2");
      if (name === "ping" && !/(^|\s)-[a-zA-Z]*[wW]\s*\d/.test(rest)) return add("-W 2");
      return segment;
    })
    .join("|");
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESOLVERS = new Set(["dig", "nslookup", "host", "getent"]);

/** Why the command needs a name server (a name other than localhost, a DNS tool); undefined if it does not. */
export function needsDns(command: string): string | undefined {
  for (const segment of command.split("|")) {
    const words = segment.trim().split(/\s+/);
    const tool = (words[0] ?? "").slice((words[0] ?? "").lastIndexOf("/") + 1);
    if (RESOLVERS.has(tool)) return `${tool} asks a name server`;
    const args = words.slice(1).filter((w) => !w.startsWith("-"));
    let host: string | undefined;
    if (tool === "curl") host = /^(?:[a-z]+:\/\/)?(\[[^\]]*\]|[^/:?#]+)/i.exec(args.find((a) => /[a-z0-9]/i.test(a) && !/^\d+$/.test(a)) ?? "")?.[1];
    else if (tool === "ping" || tool === "traceroute") host = args[args.length - 1];
    else if (tool === "nc") host = args.length >= 2 && /^\d+$/.test(args[args.length - 1]!) ? args[args.length - 2] : args[args.length - 1];
    if (host !== undefined && host !== "localhost" && !IPV4.test(host)) return `the name ${host} needs a name server`;
  }
  return undefined;
}

// ---- the matrix's probes ----

interface Asked {
  readonly netns: string;
  readonly command: string;
  readonly options: ExecOptions;
}

function rowLabel(r: MatrixRow): string {
  return r.kind === "pod" ? `${r.namespace}/${r.name}` : `node ${r.name}`;
}

function columnLabel(c: MatrixColumn): string {
  return c.kind === "pod" ? `${c.namespace}/${c.name}` : servicePortLabel(c);
}

/** Every probe `podpath matrix` runs at this phase, with the pins it runs them with. */
function matrixProbes(phase: SeedPhase, notAsked: NotAsked[]): SeedProbe[] {
  const asked: Asked[] = [];
  // Records each question; its answer (stdout) is the question's number, to find it again below.
  const record: Simulate = (_spec, netns, command, options) => {
    asked.push({ netns, command, options });
    return { result: { exitCode: 0, stdout: `#${asked.length - 1}`, stderr: "" }, traces: [], elapsedMs: 0 };
  };
  const m = computeMatrix(phase.world, { simulate: record });
  const out: SeedProbe[] = [];
  m.rows.forEach((row, r) => {
    m.columns.forEach((col, c) => {
      const cell = m.cells[r]![c]!;
      if (cell.status === "not-probed") {
        notAsked.push({ name: `matrix: ${rowLabel(row)} → ${columnLabel(col)}`, command: "", reason: `not probed by podpath matrix: ${cell.note ?? ""}` });
      }
      for (const run of cell.probes) {
        const a = asked[Number(run.stdout.slice(1))]!;
        const via = run.endpoint !== undefined ? ` via ${run.endpoint}` : "";
        const name = `matrix: ${rowLabel(row)} → ${columnLabel(col)}${via}`;
        const command = withShortTimeouts(a.command);
        const dns = needsDns(command) ?? (col.kind === "service" && col.how === "dns" ? "its endpoints serve DNS" : undefined);
        if (dns !== undefined) {
          notAsked.push({ name, command, reason: `needs cluster DNS: ${dns}` });
          continue;
        }
        let pins: Pins | undefined;
        if (run.choose !== undefined) {
          pins = pinsForChain(phase.world, run.choose);
          if (pins === undefined) throw new Error(`${name}: podpath matrix pins ${run.choose}, which no random rule leads to`);
        }
        out.push({ name, netns: a.netns, command, expect: {}, kernel: true, source: "matrix", ...(pins ? { pins } : {}) });
      }
    });
  });
  return out;
}

// ---- the scenario's probes ----

function scenarioProbes(phase: SeedPhase, notAsked: NotAsked[]): SeedProbe[] {
  const out: SeedProbe[] = [];
  const world = withoutDnsListeners(phase.world);
  for (const p of phase.world.probes) {
    const name = `probe "${p.name}"`;
    const command = withShortTimeouts(p.command);
    if (!p.kernel) {
      notAsked.push({ name, command, reason: "the file says kernel: false" });
      continue;
    }
    const dns = needsDns(command);
    if (dns !== undefined) {
      notAsked.push({ name, command, reason: `needs cluster DNS: ${dns}` });
      continue;
    }
    const base = { ...p, name, command, source: "scenario" as const };
    const e = enumerate(world, p.netns, command, { seed: world.seed });
    if (e.truncated) {
      notAsked.push({ name, command, reason: `more than ${e.branches.length} random branches` });
      continue;
    }
    const random = e.branches.filter((b) => b.decisions.length > 0);
    if (random.length === 0) {
      out.push(base);
      continue;
    }
    random.forEach((b, i) => {
      const label = `${name} branch ${i + 1}/${e.branches.length}`;
      const pins = pinsForDecisions(b.decisions);
      if (pins === undefined) {
        notAsked.push({ name: label, command, reason: "the branch takes two different rules of one chain, which rewritten rules cannot reproduce" });
        return;
      }
      const taken = b.decisions.filter((d) => d.taken).map((d) => d.site.jumpTo ?? `${d.site.chain}:${d.site.rule}`);
      out.push({ ...base, name: `${label} (${taken.length > 0 ? `→ ${taken.join(", ")}` : describePins(pins)})`, pins });
    });
  }
  return out;
}

// ---- suites ----

/** What the kernel builds from a world: everything but positions, parsed rulesets and DNS data. */
function materialKey(world: WorldSpec): string {
  const json = JSON.stringify({ segments: world.segments.map((s) => s.name), namespaces: world.namespaces }, (k, v: unknown) =>
    k === "at" || k === "ruleset" || k === "records" || k === "domain" ? undefined : v,
  );
  return createHash("sha256").update(json).digest("hex");
}

export function seedSuite(file: string, phase: SeedPhase): SeedSuite {
  const notAsked: NotAsked[] = [];
  const probes = [...matrixProbes(phase, notAsked), ...scenarioProbes(phase, notAsked)];
  const world = withoutDnsListeners(phase.world);
  const kernelWorlds = new Map<string, WorldSpec>();
  const keys = new Map<WorldSpec, string>();
  const kernelWorld = (p: ProbeSpec): WorldSpec => {
    const pins = (p as SeedProbe).pins;
    if (pins === undefined) return world;
    const k = describePins(pins);
    let w = kernelWorlds.get(k);
    if (w === undefined) kernelWorlds.set(k, (w = pinWorld(world, pins)));
    return w;
  };
  return {
    name: `${basename(file, ".yaml")} @ ${phase.name}`,
    world,
    probes,
    notAsked,
    kernelWorld,
    simulate: (p) => simulate(world, p),
    kernelKey: (p) => {
      const w = kernelWorld(p);
      let k = keys.get(w);
      if (k === undefined) keys.set(w, (k = materialKey(w)));
      return `${k} ${p.netns} ${p.command}`;
    },
  };
}

/**
 * The simulator's answer, as differential.ts runProbeOnSimulator gives it, with the probe's random
 * choice made by the chooser `--choose` uses.
 */
function simulate(world: WorldSpec, p: ProbeSpec): SimAnswer {
  const pins = (p as SeedProbe).pins;
  try {
    const r = execCommand(world, p.netns, p.command, { seed: world.seed, ...(pins ? { chooser: pinChooser(pins) } : {}) });
    return { ok: true, answer: { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode } };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

// ---- the kernel half's own checks ----

/**
 * A scenario probe's `outcome`, read from what the kernel printed. Not checked when the output
 * does not say (curl -s prints nothing for exit 7: refused and no route to host look alike) —
 * the simulator ≡ kernel test still compares exit code and output.
 */
export function outcomeExpectation(probe: ProbeSpec, a: KernelAnswer): string[] {
  const want = probe.expect.outcome;
  if (want === undefined) return [];
  const seen: Outcome = classifyOutcome(probe.command, a);
  return seen === "unknown" || seen === want ? [] : [`expected outcome ${want}, the kernel's output reads as ${seen}`];
}
