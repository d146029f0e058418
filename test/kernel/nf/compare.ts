/**
 * What may differ between the kernel's and the simulator's answer to a case, and the
 * comparison itself.
 *
 * On top of normalize.ts (measured times), one rewrite: the client's ephemeral source port in a
 * listener echo (`server: 10.0.1.2:41234 -> 10.0.2.2:9000`) — the kernel and the simulator draw
 * it from different random streams. Ports ≥ 32768 (ip_local_port_range) become EPH; fixed ports
 * (SNAT --to-source ip:port, MASQUERADE --to-ports) stay exact. Cases whose NAT randomises the
 * port (--random, --random-fully) compare every peer port as PORT. Addresses are never rewritten.
 */
import { lineDiff } from "../diff.js";
import { normalizeOutput } from "../normalize.js";
import type { Answer } from "../oracle.js";
import type { NfCase } from "./case.js";

/** First port of ip_local_port_range on Linux and in the simulator (src/sock/ports.ts). */
export const EPHEMERAL_MIN = 32768;

const ECHO = /^(\w+: \d+\.\d+\.\d+\.\d+):(\d+)( -> )/gm;

export function normalizeEcho(text: string, ports: NfCase["ports"]): string {
  return text.replace(ECHO, (whole, head: string, port: string, arrow: string) => {
    if (ports === "any") return `${head}:PORT${arrow}`;
    return Number(port) >= EPHEMERAL_MIN ? `${head}:EPH${arrow}` : whole;
  });
}

export function normalizeStep(a: Answer, ports: NfCase["ports"]): Answer {
  return { exitCode: a.exitCode, stdout: normalizeEcho(normalizeOutput(a.stdout), ports), stderr: normalizeOutput(a.stderr) };
}

/** Differences between two answers to one command, after normalization; empty when they agree. */
export function stepDifferences(kernel: Answer, sim: Answer, ports: NfCase["ports"]): string[] {
  const k = normalizeStep(kernel, ports);
  const s = normalizeStep(sim, ports);
  const out: string[] = [];
  if (k.exitCode !== s.exitCode) out.push(`exit code: kernel ${k.exitCode}, simulator ${s.exitCode}`);
  for (const stream of ["stdout", "stderr"] as const) if (k[stream] !== s[stream]) out.push(`${stream} differs (normalized):\n${lineDiff(k[stream], s[stream])}`);
  return out;
}
