/**
 * Rule-evaluation benchmark: a new TCP connection's first packet through nat PREROUTING (conntrack
 * entry, KUBE-SERVICES lookup, the endpoint's random choice, DNAT binding and rewrite) on
 * kube-proxy-shaped rulesets of 100, 1,000 and 10,000 services × 5 endpoints
 * (bench/nf-ruleset.ts), for the reference interpreter and the compiled evaluator, in one run.
 * Each (size, evaluator) runs in its own fresh process (bench/nf-worker.ts); the compiled
 * evaluator in three, and the table shows their median. Output: a table on stdout and
 * `.bench-out/nf.json`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import type { NfJob, NfResult } from "./nf-worker.js";
import { ROOT, WORKER_MODE, compileWorkers, runWorker } from "./worker.js";

const SIZES = [100, 1_000, 10_000] as const;
const COMPILED_PROCESSES = 3;

interface Row {
  readonly services: number;
  readonly evaluator: NfJob["evaluator"];
  /** Median over processes. */
  readonly packetsPerSec: number;
  readonly runs: readonly NfResult[];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function measure(services: number, evaluator: NfJob["evaluator"]): Row {
  const processes = evaluator === "compiled" ? COMPILED_PROCESSES : 1;
  const maxTime = evaluator === "interp" && services >= 10_000 ? 8 : 3;
  const runs: NfResult[] = [];
  for (let p = 0; p < processes; p++) runs.push(runWorker<NfResult>("nf-worker", { services, evaluator, maxTime } satisfies NfJob));
  return { services, evaluator, packetsPerSec: median(runs.map((r) => r.packetsPerSec)), runs };
}

const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");

export async function runNfSuite(): Promise<void> {
  compileWorkers();
  const rows: Row[] = [];
  for (const services of SIZES) for (const evaluator of ["interp", "compiled"] as const) rows.push(measure(services, evaluator));
  const get = (services: number, evaluator: NfJob["evaluator"]): Row => rows.find((r) => r.services === services && r.evaluator === evaluator)!;
  const table = SIZES.map((services) => {
    const compiled = get(services, "compiled");
    const interp = get(services, "interp");
    const span = compiled.runs.map((r) => r.packetsPerSec);
    return {
      services,
      "compiled packets/s": fmt(compiled.packetsPerSec),
      "compiled min … max": `${fmt(Math.min(...span))} … ${fmt(Math.max(...span))}`,
      "interp packets/s": fmt(interp.packetsPerSec),
      "compiled ÷ interp": (compiled.packetsPerSec / interp.packetsPerSec).toFixed(1),
      "compiled cost vs 100": (get(100, "compiled").packetsPerSec / compiled.packetsPerSec).toFixed(2),
    };
  });
  console.table(table);
  mkdirSync(`${ROOT}.bench-out`, { recursive: true });
  const out = {
    command: WORKER_MODE === "compiled" ? "npm run bench -- nf" : "npm run bench -- nf --via-tsx",
    node: process.version,
    cpus: os.cpus().length,
    loadavg: os.loadavg(),
    workers: WORKER_MODE,
    rows,
  };
  writeFileSync(`${ROOT}.bench-out/nf.json`, `${JSON.stringify(out, null, 2)}\n`);
}
