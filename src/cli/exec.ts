/**
 * `podpath exec` and `podpath trace`: one command line run on one simulated host.
 *
 * exec prints the tool's stdout and stderr untouched and exits with its exit code, as if the
 * command had been typed on that host. trace prints what the command's packets went through
 * (render-text.ts), then the tool's own output under a rule; with --json, one JSON document
 * holding both. Both pass the tool's exit code through.
 */
import type { Trace } from "../trace/types.js";
import { selectTraces } from "../trace/render-select.js";
import { renderTracesText } from "../trace/render-text.js";
import type { Json } from "../trace/render-json.js";
import { traceToJson } from "../trace/render-json.js";
import type { CliDeps, CliIo } from "./context.js";
import { checkNamespace, commandLine, EXIT, loadSpec } from "./context.js";

export interface ExecArgs {
  readonly scenario: string;
  readonly namespace: string;
  readonly words: readonly string[];
  readonly seed?: string;
}

export interface TraceArgs extends ExecArgs {
  readonly json: boolean;
  readonly all: boolean;
}

export function execCmd(args: ExecArgs, io: CliIo, deps: CliDeps): number {
  const loaded = loadSpec(args.scenario, io, deps);
  if (!loaded.ok) return loaded.code;
  if (!checkNamespace(loaded.spec, args.scenario, args.namespace, io)) return EXIT.usage;
  const seed = args.seed ?? loaded.spec.seed;
  const { result } = deps.simulate(loaded.spec, args.namespace, commandLine(args.words), { seed });
  io.out(result.stdout);
  io.err(result.stderr);
  return result.exitCode;
}

export function traceCmd(args: TraceArgs, io: CliIo, deps: CliDeps): number {
  const loaded = loadSpec(args.scenario, io, deps);
  if (!loaded.ok) return loaded.code;
  const spec = loaded.spec;
  if (!checkNamespace(spec, args.scenario, args.namespace, io)) return EXIT.usage;
  const seed = args.seed ?? spec.seed;
  const command = commandLine(args.words);
  const run = deps.simulate(spec, args.namespace, command, { seed });
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
    };
    io.out(JSON.stringify(doc, null, 2) + "\n");
    return r.exitCode;
  }
  io.out(`${args.namespace}$ ${command}    (scenario "${spec.name}", seed ${seed})\n\n`);
  io.out(shown.length > 0 ? renderTracesText(shown) : "(the command sent no packets)\n");
  if (hidden.length > 0) io.out(`\n${hiddenNote(hidden)}\n`);
  io.out(`\n── ${command}: exit ${r.exitCode} ──\n`);
  io.out(r.stdout);
  io.err(r.stderr);
  return r.exitCode;
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
