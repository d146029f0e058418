/**
 * Running a real command and collecting what it printed.
 *
 * Owns: spawning with an argument vector (never through the host's shell), a hard timeout that
 * ends the command's own process group (and nothing else), and the clean environment every
 * kernel-side command gets — `LC_ALL=C` so tools print the C-locale text the simulator mirrors,
 * and no proxy variables, so curl can never be talked into sending anything off this machine.
 */
import { spawn } from "node:child_process";
import { searchPath } from "./tools.js";

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The process's exit code; 128+N when ended by signal N (as a shell reports it). */
  readonly exitCode: number;
  /** True when the harness ended the command because it outlived its timeout. */
  readonly timedOut: boolean;
  readonly elapsedMs: number;
}

const SIGNALS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };

/** The environment of every command the harness runs. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return { PATH: searchPath(), LC_ALL: "C", LANG: "C", HOME: "/root", TERM: "dumb" };
}

export function run(argv: readonly string[], timeoutMs: number, input?: string): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error("run: empty argv");
  const started = Date.now();
  return new Promise((resolve) => {
    // detached: the command leads its own process group, so a timeout can end it and its children.
    const child = spawn(file, args, { env: cleanEnv(), detached: true, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
    }, timeoutMs);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.stdin.on("error", () => undefined);
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
    const finish = (exitCode: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        exitCode,
        timedOut,
        elapsedMs: Date.now() - started,
      });
    };
    child.on("error", (e) => {
      err.push(Buffer.from(`${String(e)}\n`));
      finish(127);
    });
    child.on("close", (code, signal) => finish(code ?? 128 + (signal ? (SIGNALS[signal] ?? 0) : 0)));
  });
}

/** Runs a setup command; a non-zero exit is an error that names the command and its stderr. */
export async function mustRun(argv: readonly string[], timeoutMs = 10_000): Promise<string> {
  const r = await run(argv, timeoutMs);
  if (r.exitCode !== 0 || r.timedOut) {
    throw new Error(`command failed (exit ${r.exitCode}${r.timedOut ? ", timed out" : ""}): ${argv.join(" ")}\n${r.stderr.trim()}`);
  }
  return r.stdout;
}
