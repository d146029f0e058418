/**
 * Which scenarios the kernel tests ask about, and how they are read.
 *
 * Owns the list of `scenarios/lowlevel/*.yaml` and the link to the project's scenario loader
 * (`src/scenario/load.ts`, `loadScenarioFile(path): Result<WorldSpec>`), so the kernel sees
 * exactly the `WorldSpec` the simulator sees.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Result } from "../../src/core/issue.js";
import type { WorldSpec } from "../../src/netns/spec.js";

export const SCENARIO_DIR = fileURLToPath(new URL("../../scenarios/lowlevel/", import.meta.url));

export function scenarioFiles(dir = SCENARIO_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(dir, f));
}

export type ScenarioLoader = (path: string) => Result<WorldSpec>;

/**
 * Where the project's loader lives (`loadScenarioFile(path): Result<WorldSpec>`).
 * `PODPATH_SCENARIO_LOADER` names another module exporting the same function, to test the
 * harness against a loader under construction.
 */
export const LOADER_MODULE = process.env["PODPATH_SCENARIO_LOADER"] ?? fileURLToPath(new URL("../../src/scenario/load.ts", import.meta.url));

/**
 * The project's loader, or why it is not there. Imported by computed path, so this file also
 * type-checks while `src/scenario/load.ts` is still being written.
 */
export async function projectLoader(modulePath = LOADER_MODULE): Promise<ScenarioLoader | { readonly missing: string }> {
  if (!existsSync(modulePath)) return { missing: `${modulePath} does not exist yet` };
  try {
    const mod = (await import(pathToFileURL(modulePath).href)) as { loadScenarioFile?: unknown };
    if (typeof mod.loadScenarioFile !== "function") return { missing: `${modulePath} does not export loadScenarioFile` };
    return mod.loadScenarioFile as ScenarioLoader;
  } catch (e) {
    return { missing: `${modulePath} could not be imported: ${e instanceof Error ? e.message : String(e)}` };
  }
}
