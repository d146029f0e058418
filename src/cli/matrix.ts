/**
 * `podpath matrix <scenario> [--at P] [--seed S] [--json] [-A] [--nodes]`: the pod × pod and
 * pod × Service reachability table of a cluster scenario at one point of its timeline
 * (sim/matrix.ts computes it, views/matrix-text.ts prints it). Exit 0 once printed, whatever
 * it shows; 2 for a scenario that cannot be used, an unknown point, or a scenario without a
 * cluster.
 */
import type { Json } from "../trace/render-json.js";
import type { Matrix, MatrixColumn, MatrixRow, ProbeRun } from "../sim/matrix.js";
import { computeMatrix } from "../sim/matrix.js";
import { SYMBOL, columnLabel, renderMatrixText, rowLabel } from "../views/matrix-text.js";
import type { CliDeps, CliIo } from "./context.js";
import { EXIT, loadSpec } from "./context.js";
import { pickPhase } from "./phase.js";

export interface MatrixArgs {
  readonly scenario: string;
  readonly seed?: string;
  /** `--at`: the point of the timeline (default start). */
  readonly at?: string;
  readonly json: boolean;
  /** `-A`: the system pods and Services too. */
  readonly all: boolean;
  /** `--nodes`: each node as a source too. */
  readonly nodes: boolean;
}

export function matrixCmd(args: MatrixArgs, io: CliIo, deps: CliDeps): number {
  const loaded = loadSpec(args.scenario, io, deps);
  if (!loaded.ok) return loaded.code;
  const cluster = loaded.spec.cluster;
  if (cluster === undefined) {
    io.err(`podpath: ${args.scenario} is a low-level scenario; matrix needs a cluster scenario (kind: cluster) to know its pods and Services — try podpath run or exec\n`);
    return EXIT.usage;
  }
  const picked = pickPhase(loaded.spec, args.at ?? "start");
  if (!picked.ok) {
    io.err(`podpath: ${picked.message}\n`);
    return EXIT.usage;
  }
  const world = picked.world;
  const m = computeMatrix({ ...world, cluster: world.cluster ?? cluster }, {
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    all: args.all,
    nodes: args.nodes,
    simulate: deps.simulate,
  });
  const at = picked.phase ? { name: picked.phase.name, time: picked.phase.time } : undefined;
  if (args.json) {
    io.out(JSON.stringify(matrixJson(m, args, world.name, at), null, 2) + "\n");
    return EXIT.ok;
  }
  io.out(renderMatrixText(m, { name: world.name, file: args.scenario, at: at ? `${at.name} (${at.time} s)` : (args.at ?? "start") }));
  return EXIT.ok;
}

/** The same matrix as data: rows, columns (numbered as in the text), the symbols, every cell (row-major) with its probes, the counts. */
export function matrixJson(m: Matrix, args: Pick<MatrixArgs, "scenario" | "at">, name: string, at: { name: string; time: number } | undefined): Json {
  return {
    scenario: args.scenario,
    name,
    seed: m.seed,
    at: at ? { phase: at.name, time: at.time } : null,
    rows: m.rows.map(rowJson),
    columns: m.columns.map((c, i) => columnJson(c, i + 1)),
    // One string per row, one symbol per column: [".X~", "X.~"].
    table: m.cells.map((row) => row.map((c) => SYMBOL[c.status]).join("")),
    cells: m.cells.flatMap((row, r) =>
      row.map((cell, c) => ({
        from: rowLabel(m.rows[r]!),
        to: columnLabel(m.columns[c]!),
        row: r + 1,
        column: c + 1,
        symbol: SYMBOL[cell.status],
        status: cell.status,
        answered: `${cell.answered}/${cell.probes.length}`,
        why: [...new Set(cell.probes.filter((p) => !p.reachable).map((p) => p.outcome))],
        ...(cell.note !== undefined ? { note: cell.note } : {}),
        probes: cell.probes.map((p) => probeJson(p, m.rows[r]!, m.seed, args)),
      })),
    ),
    counts: {
      pods: { pairs: m.counts.podPairs, reachable: m.counts.podReachable },
      services: { cells: m.counts.serviceCells, fully: m.counts.serviceFully, partly: m.counts.servicePartly, none: m.counts.serviceCells - m.counts.serviceFully - m.counts.servicePartly },
      notProbed: m.counts.notProbed,
    },
  };
}

function rowJson(r: MatrixRow): Json {
  return r.kind === "pod"
    ? { kind: "pod", namespace: r.namespace, name: r.name, node: r.node, ip: r.ip ?? null, netns: r.netns }
    : { kind: "node", name: r.name, ip: r.ip, netns: r.netns };
}

function columnJson(c: MatrixColumn, id: number): Json {
  if (c.kind === "pod") {
    const probe: Json = c.probe === undefined ? null : c.probe.how === "ping" ? { how: "ping", port: null } : { how: c.probe.how, port: c.probe.port };
    return { id, kind: "pod", namespace: c.namespace, name: c.name, node: c.node, ip: c.ip ?? null, probe };
  }
  return {
    id,
    kind: "service",
    namespace: c.namespace,
    name: c.name,
    clusterIP: c.clusterIP,
    port: c.port,
    protocol: c.protocol,
    probe: { how: c.how, port: c.port },
    endpoints: c.endpoints.map((e) => ({ ip: e.ip, port: e.port, pod: e.pod ?? null, chain: e.chain })),
  };
}

/** A probe, with the podpath command line that runs it again on its own. */
function probeJson(p: ProbeRun, row: MatrixRow, seed: string, args: Pick<MatrixArgs, "scenario" | "at">): Json {
  const rerun = ["podpath exec", `--seed ${seed}`, ...(args.at !== undefined ? [`--at ${args.at}`] : []), ...(p.choose !== undefined ? [`--choose ${p.choose}`] : []), args.scenario, row.netns, "--", p.command.includes("|") ? `'${p.command}'` : p.command].join(" ");
  return {
    command: p.command,
    endpoint: p.endpoint ?? null,
    choose: p.choose ?? null,
    reachable: p.reachable,
    outcome: p.outcome,
    exitCode: p.exitCode,
    stdout: p.stdout,
    stderr: p.stderr,
    elapsedMs: p.elapsedMs,
    rerun,
  };
}
