/**
 * Runs one command line on one simulated host, as if typed there. The entry point shared by the
 * CLI (`podpath exec`), scenario probes and the kernel differential tests.
 */
import type { WorldSpec } from "../netns/spec.js";

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface ExecOptions {
  readonly seed?: string;
}

export function execCommand(_world: WorldSpec, _netns: string, _command: string, _options: ExecOptions = {}): ExecResult {
  throw new Error("execCommand: the simulator is being written in this change");
}
