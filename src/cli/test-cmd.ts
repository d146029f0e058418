/**
 * `podpath test <path…>`: every scenario's every phase's expectations (run-phases.ts), one line
 * per scenario. A path is a scenario file or a directory searched recursively for `*.yaml` and
 * `*.yml` (directories whose name starts with a dot are skipped); scenarios run in sorted path
 * order. Exit 0 when every expectation held, 1 when one failed, 2 when a file could not be
 * loaded (its problems printed as `file:line:column: error: …` on stderr) or no scenario was
 * found. `--seed` replaces every scenario's seed.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError, type Issue } from "../core/issue.js";
import type { CliDeps, CliIo } from "./context.js";
import { EXIT, printIssues } from "./context.js";
import { failureLines, runPhases, tally, tallyText } from "./run-phases.js";

export interface TestArgs {
  readonly paths: readonly string[];
  readonly seed?: string;
}

type Found = { readonly files: string[]; readonly missing: Issue[] };

/** The scenario files under the paths, sorted, each once; paths that cannot be read as issues. */
export function scenarioFiles(paths: readonly string[]): Found {
  const files = new Set<string>();
  const missing: Issue[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith(".")) walk(p);
      } else if (/\.ya?ml$/.test(e.name)) files.add(p);
    }
  };
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) walk(path);
      else files.add(path);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      missing.push({ code: "read-error", message: `cannot read ${path}: ${err.code ?? "error"}: ${err.message}`, at: { file: path, line: 1, column: 1 } });
    }
  }
  return { files: [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), missing };
}

export function testCmd(args: TestArgs, io: CliIo, deps: CliDeps): number {
  const found = scenarioFiles(args.paths);
  printIssues(found.missing, io);
  if (found.files.length === 0) {
    io.err(`podpath: no scenario files (*.yaml, *.yml) in ${args.paths.join(", ")}\n`);
    return EXIT.usage;
  }
  let passed = 0;
  let failed = 0;
  let broken = found.missing.length;
  for (const file of found.files) {
    const loaded = deps.loadScenario(file);
    let issues: readonly Issue[] = loaded.ok ? [] : loaded.issues;
    if (loaded.ok) {
      const spec = loaded.value;
      try {
        const reports = runPhases(spec, { seed: args.seed ?? spec.seed, simulate: deps.simulate });
        const t = tally(reports);
        if (t.failed === 0) {
          passed++;
          io.out(`✓ ${file}  ${tallyText(t, spec.phases !== undefined)}\n`);
        } else {
          failed++;
          io.out(`✗ ${file}  ${t.failed} of ${t.passed + t.failed} expectations failed\n`);
          for (const p of reports) for (const r of p.probes) for (const l of failureLines(p, r)) io.out(`    ${l}\n`);
        }
        continue;
      } catch (e) {
        // A world that cannot be built is the scenario's problem, reported like a load error.
        if (!(e instanceof InputError)) throw e;
        issues = e.issues;
      }
    }
    broken++;
    io.out(`✗ ${file}  could not be loaded: ${issues.length} ${issues.length === 1 ? "error" : "errors"}\n`);
    printIssues(issues, io);
  }
  const n = found.files.length;
  io.out(`\n${n} ${n === 1 ? "scenario" : "scenarios"}: ${passed} passed, ${failed} failed${broken > 0 ? `, ${broken} could not be loaded` : ""}\n`);
  if (broken > 0) return EXIT.usage;
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
