/**
 * Runs one command line on one simulated host, as if typed there: builds the world from the
 * spec and seed, starts the tool, and runs virtual time until the tool exits. The entry point
 * shared by the CLI (`podpath exec` / `trace`), scenario probes and the kernel differential tests.
 */
import { InputError } from "../core/issue.js";
import type { WorldSpec } from "../netns/spec.js";
import type { Trace } from "../trace/types.js";
import type { AppIo } from "../apps/app.js";
import { findApp, splitCommandLine } from "../apps/registry.js";
import { buildWorld } from "./build.js";
import type { World } from "./world.js";
import type { Chooser } from "../netfilter/choice.js";

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface ExecOptions {
  readonly seed?: string;
  /** Virtual seconds after which a tool that has not exited is stopped (exit 124, like timeout(1)). */
  readonly limitSeconds?: number;
  /** Where iptables' random choices come from (default: sampled from the seed; see netfilter/choice.ts). */
  readonly chooser?: (world: World) => Chooser;
  /** Trace every iptables rule walked, matched or not. */
  readonly allRules?: boolean;
}

export interface SimRun {
  readonly result: ExecResult;
  readonly world: World;
  readonly traces: readonly Trace[];
  /** Virtual milliseconds the command took. */
  readonly elapsedMs: number;
}

export function simulate(spec: WorldSpec, netns: string, command: string, options: ExecOptions = {}): SimRun {
  const built = buildWorld(spec, options.seed ?? spec.seed);
  if (!built.ok) throw new InputError(built.issues);
  const world = built.value;
  if (options.chooser) world.chooser = options.chooser(world);
  if (options.allRules) world.traceAllRules = true;
  return runOn(world, netns, command, options);
}

export function runOn(world: World, netns: string, commandLine: string, options: ExecOptions = {}): SimRun {
  let command = commandLine;
  const ns = world.ns(netns);
  if (!ns) throw new Error(`no namespace named ${netns} in ${world.name}`);
  let stdout = "";
  let stderr = "";
  let exitCode: number | undefined;
  // One shell form is understood: `echo WORDS | tool …` feeds WORDS and a newline to the tool.
  const pipe = /^\s*echo\s+(.*?)\s*\|\s*(.+)$/.exec(command);
  const stdin = pipe ? `${splitCommandLine(pipe[1]!).join(" ")}\n` : "";
  if (pipe) command = pipe[2]!;
  const io: AppIo = {
    world,
    ns,
    stdin,
    out: (t) => {
      if (exitCode === undefined) stdout += t;
    },
    err: (t) => {
      if (exitCode === undefined) stderr += t;
    },
    exit: (c) => {
      if (exitCode === undefined) exitCode = c;
    },
    get exited() {
      return exitCode !== undefined;
    },
  };
  const start = world.now;
  const argv = splitCommandLine(command);
  const app = findApp(argv[0] ?? "");
  if (!app) {
    stderr = `sh: 1: ${argv[0] ?? ""}: not found\n`;
    exitCode = 127;
  } else {
    app(argv, io);
  }
  const limit = start + (options.limitSeconds ?? 900) * 1000;
  while (exitCode === undefined && world.queue.size > 0 && world.now <= limit) {
    world.queue.runUntil(limit, 1);
  }
  if (exitCode === undefined) exitCode = 124;
  return { result: { stdout, stderr, exitCode }, world, traces: world.log.traces, elapsedMs: world.now - start };
}

export function execCommand(world: WorldSpec, netns: string, command: string, options: ExecOptions = {}): ExecResult {
  return simulate(world, netns, command, options).result;
}
