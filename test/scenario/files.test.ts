/**
 * Every scenario shipped under scenarios/lowlevel/ loads without a single issue.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatIssue } from "../../src/core/issue.js";
import { loadScenarioFile } from "../../src/scenario/load.js";

const DIR = fileURLToPath(new URL("../../scenarios/lowlevel/", import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();

describe("scenarios/lowlevel", () => {
  it("has scenarios to check", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s loads cleanly", (f) => {
    const r = loadScenarioFile(join(DIR, f));
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([]);
  });
});
