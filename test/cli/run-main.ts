/** Runs the CLI in-process and collects what it wrote and its exit code. */
import { fileURLToPath } from "node:url";
import type { CliDeps } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";

export interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runMain(argv: readonly string[], deps: Partial<CliDeps> = {}): Promise<Ran> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) }, deps);
  return { code, out, err };
}

/** A bundled low-level scenario, by file name. */
export function scenario(name: string): string {
  return fileURLToPath(new URL(`../../scenarios/lowlevel/${name}`, import.meta.url));
}
