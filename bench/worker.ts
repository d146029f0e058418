/**
 * Measurement workers, shared by the suites: every measurement runs in a fresh node process, so
 * each case starts with a cold JIT and call sites that see only its own code. By default the
 * workers are compiled with tsc (bench/tsconfig.worker.json, into .bench-out/js) and run as plain
 * JavaScript; `--via-tsx` runs their TypeScript under tsx instead, to show what tsx costs
 * (bench/README.md, "The harness").
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSC = `${ROOT}node_modules/typescript/bin/tsc`;

export type WorkerMode = "compiled" | "tsx";
export const WORKER_MODE: WorkerMode = process.argv.includes("--via-tsx") ? "tsx" : "compiled";

let compiled = false;

/** Compiles every worker once per run (about 0.5 s); a no-op under --via-tsx. */
export function compileWorkers(): void {
  if (WORKER_MODE !== "compiled" || compiled) return;
  const res = spawnSync(process.execPath, [TSC, "-p", `${ROOT}bench/tsconfig.worker.json`], { cwd: ROOT, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`compiling the benchmark workers failed:\n${res.stdout}${res.stderr}`);
  compiled = true;
}

/** Runs bench/<name>.ts with `job` as its JSON argument; returns the JSON of its last stdout line. */
export function runWorker<T>(name: string, job: unknown): T {
  const args = WORKER_MODE === "compiled"
    ? ["--expose-gc", `${ROOT}.bench-out/js/bench/${name}.js`, JSON.stringify(job)]
    : ["--expose-gc", "--import", "tsx", `${ROOT}bench/${name}.ts`, JSON.stringify(job)];
  const res = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const lines = (res.stdout ?? "").trim().split("\n");
  const last = lines[lines.length - 1] ?? "";
  if (res.status !== 0 || !last.startsWith("{")) {
    throw new Error(`${name} failed (${JSON.stringify(job)}): status ${res.status}\n${res.stderr}`);
  }
  return JSON.parse(last) as T;
}
