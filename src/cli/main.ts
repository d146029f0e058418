#!/usr/bin/env node
/**
 * podpath's command line: argument parsing, subcommands and exit codes; no simulation logic.
 *
 *   podpath exec  <scenario> <namespace> [--seed S] [--enumerate | --choose X] -- <command line…>
 *   podpath trace <scenario> <namespace> [--seed S] [--json] [--all] [--enumerate | --choose X] -- <command line…>
 *   podpath run   <scenario> [--seed S] [--json]
 *   podpath test  <path…> [--seed S]
 *   podpath matrix <scenario> [--seed S] [--at P] [--json] [-A] [--nodes]
 *
 * Exit codes: exec and trace pass the simulated tool's code through; run gives 0 when every
 * expectation holds and 1 otherwise; matrix 0 once printed; 2 for a usage error or a scenario that cannot be used
 * (every problem printed as `file:line:column: error: …`, nothing on stdout); 70 when podpath
 * itself fails (`podpath: internal error: …`, never a stack trace).
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { InputError } from "../core/issue.js";
import type { CliDeps, CliIo } from "./context.js";
import { defaultDeps, EXIT, printIssues } from "./context.js";
import { execCmd, traceCmd } from "./exec.js";
import { runCmd } from "./run.js";
import { testCmd } from "./test-cmd.js";
import { matrixCmd } from "./matrix.js";

export type { CliIo } from "./context.js";

interface SeedOpts {
  readonly seed?: string;
  readonly at?: string;
}

export async function main(argv: readonly string[], io: CliIo, deps: Partial<CliDeps> = {}): Promise<number> {
  const d: CliDeps = { ...defaultDeps, ...deps };
  // Output is held back until the command is done, so a failure never leaves half a report.
  const buffered = bufferedIo();
  let code: number = EXIT.ok;
  try {
    await program(buffered.io, d, (c) => (code = c)).parseAsync([...argv], { from: "user" });
  } catch (e) {
    // Help text is the only output worth keeping from a command that did not finish.
    if (!(e instanceof CommanderError)) buffered.discardOut();
    code = failure(e, buffered.io);
  }
  buffered.flush(io);
  return code;
}

function program(io: CliIo, deps: CliDeps, done: (code: number) => void): Command {
  const p = new Command("podpath")
    .description("A discrete packet simulator of Linux and Kubernetes networking: what happens to this packet?")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError("(see podpath help <command>; the simulated command goes after --)");

  const withSeed = (c: Command): Command =>
    c
      .option("--seed <seed>", "seed for every random choice (default: the scenario's)")
      .option("--at <point>", "point of a cluster scenario's timeline: a phase name, a time (90s, 5m), start or end (default start)");
  const withChoices = (c: Command): Command =>
    c
      .option("--enumerate", "run every branch of iptables' random rules (statistic --mode random) and show each with its probability")
      .option(
        "--choose <target>",
        "take the random branch that leads to this chain (KUBE-SEP-…), rule (table:chain:N), pod (kubia-zcpbb) or endpoint (10.244.2.11[:8080]); " +
          "--choose and --enumerate may also end the command line (-- curl http://10.98.41.49 --choose kubia-zcpbb), since no simulated tool has options of those names, but not on both sides of --",
      );

  withChoices(withSeed(
    p
      .command("exec")
      .usage("[--seed S] [--enumerate | --choose X] <scenario> <namespace> -- <command line…>")
      .description("run a command on a simulated host; print its output and exit with its exit code")
      .argument("<scenario>", "scenario file (YAML)")
      .argument("<namespace>", "host to run on")
      .argument("<command...>", "the command line, after --"),
  )).action((scenario: string, namespace: string, words: string[], o: SeedOpts & ChoiceOpts) => {
    done(execCmd({ scenario, namespace, words, ...seedOf(o), ...choicesOf(o) }, io, deps));
  });

  withChoices(withSeed(
    p
      .command("trace")
      .usage("[--seed S] [--json] [--all] [--enumerate | --choose X] <scenario> <namespace> -- <command line…>")
      .description("show, step by step, what the packets a command sent went through")
      .argument("<scenario>", "scenario file (YAML)")
      .argument("<namespace>", "host to run on")
      .argument("<command...>", "the command line, after --")
      .option("--json", "print the traces and the tool's output as one JSON document")
      .option("--all", "also show ARP traces and flooded copies a host ignored")
      .option("--all-rules", "show every iptables rule walked, also those that did not match"),
  )).action((scenario: string, namespace: string, words: string[], o: SeedOpts & ChoiceOpts & { json?: boolean; all?: boolean; allRules?: boolean }) => {
    done(traceCmd({ scenario, namespace, words, json: o.json === true, all: o.all === true, allRules: o.allRules === true, ...seedOf(o), ...choicesOf(o) }, io, deps));
  });

  withSeed(
    p
      .command("run")
      .description("run every probe of a scenario and check its expectations; exit 0 if all hold")
      .argument("<scenario>", "scenario file (YAML)")
      .option("--json", "print the report as JSON"),
  ).action((scenario: string, o: SeedOpts & { json?: boolean }) => {
    done(runCmd({ scenario, json: o.json === true, ...seedOf(o) }, io, deps));
  });

  p.command("test")
    .description("run every phase's expectations of each scenario file, or of every *.yaml / *.yml under a directory; exit 0 if all hold")
    .argument("<paths...>", "scenario files or directories")
    .option("--seed <seed>", "seed for every random choice of every scenario (default: each scenario's)")
    .action((paths: string[], o: { seed?: string }) => {
      done(testCmd({ paths, ...(o.seed !== undefined ? { seed: o.seed } : {}) }, io, deps));
    });

  withSeed(
    p
      .command("matrix")
      .description("which pods reach which pods and Services in a cluster scenario: a table of . (reachable) and X, with why")
      .argument("<scenario>", "cluster scenario file (YAML)")
      .option("--json", "print the matrix, every cell and its probes as JSON")
      .option("-A, --all-namespaces", "also the system pods and Services (kube-system, kube-flannel, default/kubernetes)")
      .option("--nodes", "also each node as a source"),
  ).action((scenario: string, o: SeedOpts & { json?: boolean; allNamespaces?: boolean; nodes?: boolean }) => {
    done(matrixCmd({ scenario, json: o.json === true, all: o.allNamespaces === true, nodes: o.nodes === true, ...seedOf(o) }, io, deps));
  });

  return p;
}

interface ChoiceOpts {
  readonly enumerate?: boolean;
  readonly choose?: string;
}

function choicesOf(o: ChoiceOpts): { enumerate: boolean; choose?: string } {
  return { enumerate: o.enumerate === true, ...(o.choose !== undefined ? { choose: o.choose } : {}) };
}

function seedOf(o: SeedOpts): { seed?: string; at?: string } {
  return { ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.at !== undefined ? { at: o.at } : {}) };
}

/** The exit code for something thrown, after saying what it was on stderr. */
function failure(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // Commander has already printed its message (or the help text) through configureOutput.
    return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (e instanceof InputError) {
    printIssues(e.issues, io);
    return EXIT.usage;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.err(`podpath: internal error: ${message}\n`);
  return EXIT.internal;
}

function bufferedIo(): { io: CliIo; discardOut(): void; flush(to: CliIo): void } {
  const chunks: { stream: "out" | "err"; text: string }[] = [];
  return {
    io: {
      out: (text) => void chunks.push({ stream: "out", text }),
      err: (text) => void chunks.push({ stream: "err", text }),
    },
    discardOut: () => {
      for (let i = chunks.length - 1; i >= 0; i--) if (chunks[i]!.stream === "out") chunks.splice(i, 1);
    },
    flush: (to) => {
      for (const c of chunks) if (c.text !== "") to[c.stream](c.text);
    },
  };
}

function isBin(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isBin()) {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2), {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`podpath: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
