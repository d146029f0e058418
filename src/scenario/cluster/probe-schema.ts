/**
 * `probes:` of a cluster scenario (docs/cluster-format.md, "Probes"): the low-level format's
 * probe (`name`, `from`, `run`, `expect`, `kernel`) plus what a timeline and kube-proxy's random
 * choices need —
 *
 *   repeat: 25                      the command runs 25 times, each run with its own seed
 *   expect: { … }                   holds in every phase (unless expectAt names the phase)
 *   expectAt: { fixed: { … } }      replaces `expect` in that phase
 *
 * and two expectations over all the runs of a phase: `outcomes` (the exact distribution of run
 * labels — `ok`, or `curl: (7)` — each with a count or share range) and `seen` (strings that must
 * appear in the stdout of at least one run). `exit`, `stdout`, `stderr` and `outcome` keep their
 * low-level meaning, for every run.
 *
 * Owns the zod schema and the mapping to what the runner reads: each phase's world gets the
 * probes with that phase's expectation (ProbeSpec, so `exec`, `trace` and the low-level runner
 * read them as before), carrying `repeat`, `outcomes` and `seen` in the extended types below;
 * `repeatOf` and `isPhaseExpect` read them back. Problems are placed at the YAML node: a bad
 * range at its value, an unknown phase name at its key in expectAt.
 */
import * as z from "zod";
import { OUTCOMES, type ExpectSpec, type PhaseSpec, type ProbeSpec } from "../../netns/spec.js";
import type { Builder } from "../builder.js";
import { fromNumber, strict } from "../schema.js";
import type { ProbeAt } from "../validate.js";
import { checkProbes } from "../validate.js";
import { intInRange } from "../values.js";
import type { Path } from "../yaml-positions.js";

/** Most runs a probe may ask for. */
export const MAX_REPEAT = 10_000;

/** How many runs a label may have: a count (`10..15`) or a share of all runs (`20%..80%`), inclusive. */
export interface RunRange {
  readonly unit: "runs" | "percent";
  readonly lo: number;
  readonly hi: number;
  /** As written, normalised: `25`, `10..15`, `100%`, `20%..80%`. */
  readonly text: string;
}

export interface OutcomeBound {
  /** `ok`, or `<argv0>: (<exit code>)`. */
  readonly label: string;
  readonly range: RunRange;
}

/** A phase's expectation: the low-level ExpectSpec (every run) and the ones over all runs. */
export interface PhaseExpect extends ExpectSpec {
  /** Every label that occurs is listed; a listed label whose range holds 0 may be absent. */
  readonly outcomes?: readonly OutcomeBound[];
  /** Each must appear in the stdout of at least one run. */
  readonly seen?: readonly string[];
  /** How many runs' stdout contains each text (which endpoint answered): a count or share range. */
  readonly answers?: readonly { readonly text: string; readonly range: RunRange }[];
}

/** A cluster probe as one phase's world carries it. */
export interface RepeatedProbe extends ProbeSpec {
  readonly repeat: number;
  readonly expect: PhaseExpect;
}

/** How many times the probe runs (1 for a low-level probe). */
export function repeatOf(p: ProbeSpec): number {
  return "repeat" in p && typeof p.repeat === "number" ? p.repeat : 1;
}

export function isPhaseExpect(e: ExpectSpec): e is PhaseExpect {
  return "outcomes" in e || "seen" in e || "answers" in e;
}

/** A run's label: `ok` when it exits 0, otherwise `<argv0>: (<exit code>)` — curl's own notation. */
export function runLabel(command: string, exitCode: number): string {
  if (exitCode === 0) return "ok";
  const argv0 = command.trim().split(/\s+/)[0] ?? "";
  return `${argv0.slice(argv0.lastIndexOf("/") + 1)}: (${exitCode})`;
}

const LABEL = /^(ok|[^\s:()]+: \(\d{1,3}\))$/;
const COUNT = /^\d+$/;
const PERCENT = /^(\d+(?:\.\d+)?)%$/;

type Bad = { readonly ok: false; readonly message: string };
type Parsed<T> = { readonly ok: true; readonly value: T } | Bad;

/** `25`, `10..15`, `100%`, `20%..80%`. */
export function parseRunRange(v: number | string): Parsed<RunRange> {
  const shape = "expected a count (25), a count range (10..15), a share (100%) or a share range (20%..80%)";
  if (typeof v === "number") {
    if (!Number.isInteger(v) || v < 0) return { ok: false, message: `${v} is not a number of runs; ${shape}` };
    return { ok: true, value: { unit: "runs", lo: v, hi: v, text: String(v) } };
  }
  const parts = v.split("..").map((s) => s.trim());
  if (parts.length > 2 || parts.some((p) => p === "")) return { ok: false, message: `${JSON.stringify(v)}: ${shape}` };
  const ends = parts.map((p) => {
    if (COUNT.test(p)) return { unit: "runs" as const, n: Number(p) };
    const m = PERCENT.exec(p);
    return m ? { unit: "percent" as const, n: Number(m[1]) } : undefined;
  });
  const lo = ends[0];
  const hi = ends[ends.length - 1];
  if (lo === undefined || hi === undefined) return { ok: false, message: `${JSON.stringify(v)}: ${shape}` };
  if (lo.unit !== hi.unit) return { ok: false, message: `${JSON.stringify(v)}: both ends are counts or both are shares (10..15, 20%..80%)` };
  if (lo.unit === "percent" && hi.n > 100) return { ok: false, message: `${JSON.stringify(v)}: a share is at most 100%` };
  if (lo.n > hi.n) return { ok: false, message: `${JSON.stringify(v)}: the range is empty (${lo.n} > ${hi.n})` };
  const end = (n: number): string => (lo.unit === "percent" ? `${n}%` : String(n));
  return { ok: true, value: { unit: lo.unit, lo: lo.n, hi: hi.n, text: lo.n === hi.n ? end(lo.n) : `${end(lo.n)}..${end(hi.n)}` } };
}

/** True when `count` of `total` runs is in the range. */
export function inRange(r: RunRange, count: number, total: number): boolean {
  if (r.unit === "runs") return count >= r.lo && count <= r.hi;
  // count/total·100 ∈ [lo, hi], without rounding the share.
  return count * 100 >= r.lo * total && count * 100 <= r.hi * total;
}

const outcomesSchema = z.record(z.string(), z.union([z.number(), z.string()], { error: () => "expected a count or a share" })).transform((rec, ctx) => {
  const out: OutcomeBound[] = [];
  for (const [label, raw] of Object.entries(rec)) {
    const issue = (message: string): void =>
      void ctx.issues.push({ code: "custom", message, input: raw, path: [label], params: { code: "bad-value" } });
    if (!LABEL.test(label)) {
      issue(`${JSON.stringify(label)} is not a run label; expected ok, or the command's name and exit code as curl prints them: "curl: (7)"`);
      continue;
    }
    const r = parseRunRange(raw);
    if (!r.ok) issue(r.message);
    else out.push({ label, range: r.value });
  }
  return out;
});

const answersSchema = z.record(z.string(), z.union([z.number(), z.string()], { error: () => "expected a count or a share" })).transform((rec, ctx) => {
  const out: { text: string; range: RunRange }[] = [];
  for (const [text, raw] of Object.entries(rec)) {
    const r = parseRunRange(raw);
    if (!r.ok) ctx.issues.push({ code: "custom", message: r.message, input: raw, path: [text], params: { code: "bad-value" } });
    else out.push({ text, range: r.value });
  }
  return out;
});

const substrings = z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.string()));

export const clusterExpectSchema = strict({
  /** Every run exits with this code. */
  exit: fromNumber((n) => intInRange(n, 0, 255, "exit status")).optional(),
  /** Every run's stdout contains each of these. */
  stdout: substrings.optional(),
  stderr: substrings.optional(),
  /** Every run has this outcome class. */
  outcome: z.enum(OUTCOMES).optional(),
  /** The runs' labels (`ok`, `curl: (7)`) and how many of each: `25`, `10..15`, `100%`, `20%..80%`; every label that occurs is listed. */
  outcomes: outcomesSchema.optional(),
  /** Each appears in the stdout of at least one run. */
  seen: substrings.optional(),
  /** Text → how many runs' stdout contains it (`30%..37%`): which endpoint answered how often. */
  answers: answersSchema.optional(),
});

export const clusterProbeSchema = strict({
  name: z.string(),
  /** A node or a pod. */
  from: z.string().min(1),
  run: z.string(),
  /** Runs of the command in each phase, each with its own seed (`<seed>:<run>`); default 1. */
  repeat: fromNumber((n) => intInRange(n, 1, MAX_REPEAT, "repeat")).optional(),
  /** Holds in every phase that expectAt does not name. */
  expect: clusterExpectSchema.optional(),
  /** Phase name → the expectation in that phase, instead of `expect`. */
  expectAt: z.record(z.string(), clusterExpectSchema).optional(),
  kernel: z.boolean().optional(),
});

export type ClusterProbeInput = z.output<typeof clusterProbeSchema>;
type ExpectInput = z.output<typeof clusterExpectSchema>;

function toExpect(e: ExpectInput): PhaseExpect {
  return {
    ...(e.exit !== undefined ? { exit: e.exit } : {}),
    ...(e.stdout !== undefined ? { stdoutContains: e.stdout } : {}),
    ...(e.stderr !== undefined ? { stderrContains: e.stderr } : {}),
    ...(e.outcome !== undefined ? { outcome: e.outcome } : {}),
    ...(e.outcomes !== undefined ? { outcomes: e.outcomes } : {}),
    ...(e.seen !== undefined ? { seen: e.seen } : {}),
    ...(e.answers !== undefined ? { answers: e.answers } : {}),
  };
}

/** The phase names expectAt may use: the timeline's points (an implicit first one is `start`). */
export type PhaseNames = readonly string[];

/**
 * The file's probes, checked (names unique, `from` a host of the start's world — the low-level
 * checks — phase names in expectAt, count ranges within `repeat`), as each phase's probe list.
 */
export function clusterProbes(b: Builder, raw: readonly ClusterProbeInput[], phases: PhaseNames): Map<string, RepeatedProbe[]> {
  const parsed = new Map<ProbeSpec, { probe: RepeatedProbe; input: ClusterProbeInput; path: Path }>();
  const list: ProbeAt[] = raw.map((p, i) => {
    const path: Path = ["probes", i];
    const probe: RepeatedProbe = { name: p.name, netns: p.from, command: p.run, repeat: p.repeat ?? 1, expect: toExpect(p.expect ?? {}), kernel: p.kernel ?? true, at: b.src.at(path) };
    parsed.set(probe, { probe, input: p, path });
    return { path, probe };
  });
  const good = checkProbes(b, list);
  const out = new Map<string, RepeatedProbe[]>(phases.map((name) => [name, []]));
  for (const base of good) {
    const { probe, input, path } = parsed.get(base)!;
    const repeat = probe.repeat;
    for (const name of Object.keys(input.expectAt ?? {})) {
      if (!phases.includes(name)) {
        b.sink.add("bad-value", `"expectAt": unknown phase "${name}"; expected one of: ${phases.join(", ")}`, b.src.at([...path, "expectAt", name], "key"));
      }
    }
    checkCounts(b, input.expect, [...path, "expect"], repeat);
    for (const [name, e] of Object.entries(input.expectAt ?? {})) checkCounts(b, e, [...path, "expectAt", name], repeat);
    for (const name of phases) {
      const e = input.expectAt?.[name] ?? input.expect ?? {};
      out.get(name)!.push({ ...probe, expect: toExpect(e) });
    }
  }
  return out;
}

/** A count range that `repeat` runs can never meet is a mistake in the file, not a failed run. */
function checkCounts(b: Builder, e: ExpectInput | undefined, path: Path, repeat: number): void {
  for (const o of e?.outcomes ?? []) {
    if (o.range.unit === "runs" && o.range.lo > repeat) {
      b.sink.add("out-of-range", `"${o.label}": ${o.range.text} runs can never happen; the probe runs ${repeat} ${repeat === 1 ? "time" : "times"} (repeat)`, b.src.at([...path, "outcomes", o.label]));
    }
  }
}

/** What the loader adds to a phase beyond PhaseSpec: the timeline's description of it. */
export interface DescribedPhase extends PhaseSpec {
  readonly description?: string;
}

export function phaseDescription(p: PhaseSpec): string | undefined {
  return "description" in p && typeof p.description === "string" ? p.description : undefined;
}
