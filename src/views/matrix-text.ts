/**
 * A reachability matrix (sim/matrix.ts) as text, in the manner of Cyclonus's truth tables: a
 * bordered grid with sources as rows and numbered destinations as columns (`.` reachable, `X`
 * not, `~` some of a Service's endpoints, `-` not probed), the key to the column numbers, a
 * legend saying why the failing cells failed (each outcome class that occurred, the cells it
 * ended, and one probe's command and words as the tool printed them), and a count line:
 *
 *   +---------------------+---+---+---+
 *   | from \ to           | 1 | 2 | 3 |
 *   +---------------------+---+---+---+
 *   | default/kubia-nwjcc | . | X | ~ |
 *   ...
 *   pods: 2 of 4 pairs reachable; services: 0 of 2 fully, 2 partly
 */
import type { Outcome } from "../apps/outcome.js";
import type { Matrix, MatrixCell, MatrixColumn, MatrixRow, ProbeRun } from "../sim/matrix.js";
import { servicePortLabel } from "../sim/matrix.js";

export interface MatrixHeader {
  /** The scenario's name. */
  readonly name: string;
  /** The scenario file as the user named it. */
  readonly file: string;
  /** The timeline point, e.g. `broken (0 s)`, or `start`. */
  readonly at: string;
}

export const SYMBOL: Readonly<Record<MatrixCell["status"], string>> = { reachable: ".", unreachable: "X", partly: "~", "not-probed": "-" };

/** How each outcome class reads in the legend, in the order the legend lists them. */
const WHY: readonly (readonly [Outcome, string])[] = [
  ["no-route-to-host", "no route to host"],
  ["network-unreachable", "network unreachable"],
  ["ttl-exceeded", "time to live exceeded (a routing loop)"],
  ["refused", "connection refused"],
  ["timeout", "timed out (no answer)"],
  ["permission-denied", "prohibited (permission denied)"],
  ["invalid-argument", "invalid argument"],
  ["unknown", "failed (the tool did not say why)"],
];

/** Entries a legend line lists before `… and N more`. */
const LIST_MAX = 12;
const WIDTH = 100;

export function renderMatrixText(m: Matrix, h: MatrixHeader): string {
  const out: string[] = [h.name, `${h.file} at ${h.at}, seed ${m.seed}`, ""];
  out.push(...grid(m), "");
  out.push(...columnKey(m.columns), "");
  out.push(...legend(m), "");
  out.push(countLine(m));
  return out.join("\n") + "\n";
}

export function rowLabel(r: MatrixRow): string {
  return r.kind === "pod" ? `${r.namespace}/${r.name}` : `node/${r.name}`;
}

export function columnLabel(c: MatrixColumn): string {
  return c.kind === "pod" ? `${c.namespace}/${c.name}` : servicePortLabel(c);
}

function grid(m: Matrix): string[] {
  const corner = "from \\ to";
  const labels = m.rows.map(rowLabel);
  const first = Math.max(corner.length, ...labels.map((l) => l.length));
  const widths = m.columns.map((_, i) => String(i + 1).length);
  const rule = `+${"-".repeat(first + 2)}+${widths.map((w) => `${"-".repeat(w + 2)}+`).join("")}`;
  const line = (head: string, cells: readonly string[]): string => `| ${head.padEnd(first)} |${cells.map((c, i) => ` ${c.padEnd(widths[i]!)} |`).join("")}`;
  return [
    rule,
    line(corner, m.columns.map((_, i) => String(i + 1))),
    rule,
    ...m.cells.map((row, r) => line(labels[r]!, row.map((c) => SYMBOL[c.status]))),
    rule,
  ];
}

/** ` 1  default/kubia-nwjcc  10.244.1.27  tcp 8080  on worker1`, ` 3  default/kubia:80  10.98.41.49  tcp 80 → …`. */
function columnKey(columns: readonly MatrixColumn[]): string[] {
  const num = String(columns.length).length;
  const labels = columns.map(columnLabel);
  const lw = Math.max(...labels.map((l) => l.length));
  const iw = Math.max(...columns.map((c) => (c.kind === "pod" ? (c.ip ?? "no address").length : c.clusterIP.length)));
  return columns.map((c, i) => {
    const head = `${String(i + 1).padStart(num + 1)}  ${labels[i]!.padEnd(lw)}  `;
    if (c.kind === "pod") {
      if (c.ip === undefined || c.probe === undefined) return `${head}${"no address".padEnd(iw)}  on ${c.node}`;
      const how = c.probe.how === "ping" ? "ping" : `${c.probe.how} ${c.probe.port}`;
      return `${head}${c.ip.padEnd(iw)}  ${how}  on ${c.node}`;
    }
    const how = `${c.how} ${c.port}`;
    const eps = c.endpoints.length === 0 ? "no endpoints" : c.endpoints.map((e) => `${e.ip}:${e.port}`).join(", ");
    return `${head}${c.clusterIP.padEnd(iw)}  ${how} → ${eps}`;
  });
}

/** Short names for the legend's cell lists: the pod or Service name alone when no other shares it. */
function shortNames(m: Matrix): { row: (i: number) => string; column: (i: number) => string } {
  const rowFull = m.rows.map(rowLabel);
  const colFull = m.columns.map(columnLabel);
  const short = (full: string, kind: "pod" | "node" | "service", bare: string, taken: readonly string[]): string =>
    kind === "node" ? full : taken.filter((t) => t === bare).length > 1 ? full : bare;
  const rowBare = m.rows.map((r) => r.name);
  const colBare = m.columns.map((c) => (c.kind === "pod" ? c.name : servicePortLabel(c).replace(/^[^/]+\//, "")));
  return {
    row: (i) => short(rowFull[i]!, m.rows[i]!.kind, rowBare[i]!, rowBare),
    column: (i) => short(colFull[i]!, m.columns[i]!.kind, colBare[i]!, colBare),
  };
}

interface Failure {
  readonly where: string;
  readonly row: number;
  readonly probe: ProbeRun;
}

function legend(m: Matrix): string[] {
  const names = shortNames(m);
  const failures = new Map<Outcome, Failure[]>();
  const partly: string[] = [];
  const notProbed = new Map<string, string[]>();
  m.cells.forEach((row, r) =>
    row.forEach((cell, c) => {
      const pair = `${names.row(r)}→${names.column(c)}`;
      if (cell.status === "not-probed") {
        const list = notProbed.get(cell.note ?? "") ?? [];
        notProbed.set(cell.note ?? "", [...list, pair]);
        return;
      }
      if (cell.status === "partly") partly.push(`${pair} ${cell.answered}/${cell.probes.length}`);
      const column = m.columns[c]!;
      const failed = cell.probes.filter((p) => !p.reachable);
      // A cell whose every probe failed the same way is one entry; otherwise one per endpoint.
      const oneWay = cell.status === "unreachable" && new Set(failed.map((p) => p.outcome)).size === 1;
      for (const p of oneWay ? failed.slice(0, 1) : failed) {
        const where = column.kind === "service" && column.endpoints.length === 0 ? `${pair} (no endpoints)` : !oneWay && p.endpoint !== undefined ? `${pair} via ${p.endpoint}` : pair;
        failures.set(p.outcome, [...(failures.get(p.outcome) ?? []), { where, row: r, probe: p }]);
      }
    }),
  );
  const out = [".  reachable"];
  for (const [outcome, words] of WHY) {
    const list = failures.get(outcome);
    if (!list) continue;
    const first = list[0]!;
    out.push(...wrapList(`X  ${words}: `, list.map((f) => f.where)));
    out.push(`     e.g. ${m.rows[first.row]!.netns}$ ${first.probe.command}${first.probe.choose !== undefined ? `   (--choose ${first.probe.choose})` : ""}`);
    out.push(`          exit ${first.probe.exitCode}: ${evidence(first.probe)}`);
  }
  if (partly.length > 0) out.push(...wrapList("~  some of the Service's endpoints answer: ", partly));
  for (const [note, list] of notProbed) out.push(...wrapList(`-  not probed, ${note}: `, list));
  return out;
}

/** The line of the tool's output that says what happened. */
function evidence(p: ProbeRun): string {
  const lines = (t: string): string[] => t.split("\n").map((l) => l.trimEnd()).filter((l) => l !== "");
  const err = lines(p.stderr);
  if (err.length > 0) return err[0]!;
  const out = lines(p.stdout);
  const telling = out.find((l) => /^From |communications error|packet loss/.test(l));
  return telling ?? out[0] ?? "(no output)";
}

/** `head` then the entries, comma-separated, wrapped under the first one; at most LIST_MAX. */
function wrapList(head: string, entries: readonly string[]): string[] {
  const shown = entries.slice(0, LIST_MAX).map((e, i, a) => (i < a.length - 1 || entries.length > LIST_MAX ? `${e},` : e));
  if (entries.length > LIST_MAX) shown.push(`… and ${entries.length - LIST_MAX} more (--json lists every cell)`);
  const indent = " ".repeat(head.length);
  const lines: string[] = [];
  let cur = head;
  for (const e of shown) {
    if (cur.length > indent.length && cur.length + 1 + e.length > WIDTH && cur !== head) {
      lines.push(cur);
      cur = indent + e;
    } else cur = cur === head ? head + e : `${cur} ${e}`;
  }
  lines.push(cur);
  return lines;
}

export function countLine(m: Matrix): string {
  const c = m.counts;
  const pods = `pods: ${c.podReachable} of ${c.podPairs} ${c.podPairs === 1 ? "pair" : "pairs"} reachable`;
  const services = c.serviceCells === 0 ? "services: none" : `services: ${c.serviceFully} of ${c.serviceCells} fully, ${c.servicePartly} partly`;
  const skipped = c.notProbed > 0 ? `; ${c.notProbed} not probed` : "";
  return `${pods}; ${services}${skipped}`;
}
