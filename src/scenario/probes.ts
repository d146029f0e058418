/**
 * `probes:` — commands typed on a host and what must come of them.
 *
 * Owns the mapping from the file's words to ProbeSpec: `from` → netns, `run` → command,
 * `expect.stdout`/`stderr` (a list, or one string) → stdoutContains/stderrContains, `kernel`
 * defaulting to true. References are checked in validate.ts.
 */
import type { ExpectSpec } from "../netns/spec.js";
import type { Builder } from "./builder.js";
import { probeSchema } from "./schema.js";
import type { ProbeAt } from "./validate.js";
import type { Path } from "./yaml-positions.js";
import { check } from "./zod-issues.js";

export function parseProbes(b: Builder, raw: readonly unknown[]): ProbeAt[] {
  const out: ProbeAt[] = [];
  raw.forEach((item, i) => {
    const path: Path = ["probes", i];
    const p = check(probeSchema, item, path, b.src, b.sink);
    if (p === undefined) return;
    const e = p.expect ?? {};
    const expect: ExpectSpec = {
      ...(e.exit !== undefined ? { exit: e.exit } : {}),
      ...(e.stdout !== undefined ? { stdoutContains: e.stdout } : {}),
      ...(e.stderr !== undefined ? { stderrContains: e.stderr } : {}),
      ...(e.outcome !== undefined ? { outcome: e.outcome } : {}),
    };
    out.push({
      path,
      probe: { name: p.name, netns: p.from, command: p.run, expect, kernel: p.kernel ?? true, at: b.src.at(path) },
    });
  });
  return out;
}
