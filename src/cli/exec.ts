/**
 * `podpath exec` and `podpath trace`: one command line run on one simulated host.
 *
 * exec prints the tool's stdout and stderr untouched and exits with its exit code, as if the
 * command had been typed on that host. trace prints what the command's packets went through
 * (render-text.ts) and what happened in a few numbered sentences (trace/story.ts), then the
 * tool's own output under a rule; with --json, one JSON document holding all three (the
 * sentences as `summary`). Both pass the tool's exit code through.
 */
import type { Trace } from "../trace/types.js";
import { selectTraces } from "../trace/render-select.js";
import { renderStoryText, renderTracesText } from "../trace/render-text.js";
import type { StoryWorld } from "../trace/story.js";
import { tellStory } from "../trace/story.js";
import type { Json } from "../trace/render-json.js";
import { traceToJson } from "../trace/render-json.js";
import type { CliDeps, CliIo } from "./context.js";
import type { WorldSpec } from "../netns/spec.js";
import type { ExecOptions, SimRun } from "../sim/exec.js";
import { enumerate } from "../sim/enumerate.js";
import { trailingChoiceFlags, pinChooser, storyWorld } from "./choices.js";
import { branchesExit, enumerationJson, renderBranchSummary, renderBranches } from "./branches.js";
import { checkNamespace, commandLine, EXIT, loadSpec } from "./context.js";
import { pickPhase } from "./phase.js";

export interface ExecArgs {
  readonly scenario: string;
  readonly namespace: string;
  readonly words: readonly string[];
  readonly seed?: string;
  readonly enumerate?: boolean;
  readonly choose?: string;
  /** `--at`: the point of the timeline (default start). */
  readonly at?: string;
}

export interface TraceArgs extends ExecArgs {
  readonly json: boolean;
  readonly all: boolean;
  /** Every iptables rule walked is a step, matched or not. */
  readonly allRules?: boolean;
}

interface Prepared {
  readonly spec: WorldSpec;
  readonly command: string;
  readonly options: ExecOptions & { readonly seed: string };
  readonly enumerate: boolean;
}

/** Loads the scenario and settles the command line, seed and how random rules decide. */
function prepare(args: ExecArgs, io: CliIo, deps: CliDeps): Prepared | number {
  const loaded = loadSpec(args.scenario, io, deps);
  if (!loaded.ok) return loaded.code;
  const picked = pickPhase(loaded.spec, args.at ?? "start");
  if (!picked.ok) {
    io.err(`podpath: ${picked.message}\n`);
    return EXIT.usage;
  }
  const spec = picked.world;
  if (!checkNamespace(spec, args.scenario, args.namespace, io)) return EXIT.usage;
  const flags = trailingChoiceFlags(args.words, { enumerate: args.enumerate === true, ...(args.choose !== undefined ? { choose: args.choose } : {}) });
  if ("error" in flags) {
    io.err(`podpath: ${flags.error}\n`);
    return EXIT.usage;
  }
  const { words, choice } = flags;
  const seed = args.seed ?? spec.seed;
  if (choice.enumerate && choice.choose !== undefined) {
    io.err("podpath: --enumerate and --choose exclude each other: one lists every branch, the other takes one\n");
    return EXIT.usage;
  }
  let options: Prepared["options"] = { seed };
  if (choice.choose !== undefined) {
    const c = pinChooser(spec, choice.choose);
    if ("error" in c) {
      io.err(`podpath: ${c.error}\n`);
      return EXIT.usage;
    }
    options = { seed, chooser: c };
  }
  if ("allRules" in args && args.allRules === true) options = { ...options, allRules: true };
  return { spec, command: commandLine(words), options, enumerate: choice.enumerate };
}

export function execCmd(args: ExecArgs, io: CliIo, deps: CliDeps): number {
  const p = prepare(args, io, deps);
  if (typeof p === "number") return p;
  if (p.enumerate) {
    const e = enumerate(p.spec, args.namespace, p.command, p.options);
    io.out(renderBranchSummary(e));
    return branchesExit(e);
  }
  const { result } = deps.simulate(p.spec, args.namespace, p.command, p.options);
  io.out(result.stdout);
  io.err(result.stderr);
  return result.exitCode;
}

export function traceCmd(args: TraceArgs, io: CliIo, deps: CliDeps): number {
  const p = prepare(args, io, deps);
  if (typeof p === "number") return p;
  const { spec, command } = p;
  const seed = p.options.seed;
  if (p.enumerate) {
    const e = enumerate(spec, args.namespace, command, p.options);
    if (args.json) {
      io.out(JSON.stringify(enumerationJson(args, spec.name, command, seed, e), null, 2) + "\n");
      return branchesExit(e);
    }
    io.out(`${args.namespace}$ ${command}    (scenario "${spec.name}", seed ${seed}, every random branch)\n\n`);
    io.out(renderBranches(e, (run) => renderRun(run, args, command, storyWorld(spec))));
    return branchesExit(e);
  }
  const run = deps.simulate(spec, args.namespace, command, p.options);
  const { shown, hidden } = selectTraces(run.traces, { all: args.all });
  const r = run.result;
  if (args.json) {
    const doc: Json = {
      scenario: args.scenario,
      name: spec.name,
      namespace: args.namespace,
      command,
      seed,
      result: { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr },
      elapsedMs: run.elapsedMs,
      traces: shown.map(traceToJson),
      hiddenTraces: hidden.map((t) => t.id),
      summary: story(run, shown, command, storyWorld(spec)),
    };
    io.out(JSON.stringify(doc, null, 2) + "\n");
    return r.exitCode;
  }
  io.out(`${args.namespace}$ ${command}    (scenario "${spec.name}", seed ${seed})\n\n`);
  io.out(renderRun(run, args, command, storyWorld(spec)));
  io.err(r.stderr);
  return r.exitCode;
}

/** The traces of one run, what happened in sentences, and the tool's stdout under a rule (stderr is the caller's). */
function renderRun(run: Pick<SimRun, "result" | "traces">, args: TraceArgs, command: string, world: StoryWorld): string {
  const { shown, hidden } = selectTraces(run.traces, { all: args.all });
  const r = run.result;
  let out = shown.length > 0 ? renderTracesText(shown) : "(the command sent no packets)\n";
  if (hidden.length > 0) out += `\n${hiddenNote(hidden)}\n`;
  out += `\n${renderStoryText(story(run, shown, command, world))}`;
  out += `\n── ${command}: exit ${r.exitCode} ──\n`;
  return out + r.stdout;
}

/** The story of a run, told from the traces shown (trace/story.ts). */
function story(run: Pick<SimRun, "result">, shown: readonly Trace[], command: string, world: StoryWorld): string[] {
  const r = run.result;
  // The tool is the first word of the pipeline's last command (`echo hi | nc -u …` → nc).
  const app = command.split("|").pop()!.trim().split(/\s+/)[0] || command;
  return tellStory({ traces: shown, app, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, world });
}

function hiddenNote(hidden: readonly Trace[]): string {
  const arp = hidden.filter((t) => t.origin === "arp").length;
  const copies = hidden.filter((t) => t.origin !== "arp" && t.disposition?.kind === "not-for-us").length;
  const rest = hidden.length - arp - copies;
  const parts = [
    ...(arp ? [`${arp} ARP`] : []),
    ...(copies ? [`${copies} flooded ${copies === 1 ? "copy" : "copies"} a host ignored`] : []),
    ...(rest ? [`${rest} caused by those`] : []),
  ];
  const ids = hidden.map((t) => `#${t.id}`).join(" ");
  return `(hidden: ${parts.join(", ")} — ${ids}; --all shows them)`;
}
