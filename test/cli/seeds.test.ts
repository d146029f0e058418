/**
 * The seed scenarios are the regression suite the issue names: `podpath test scenarios/seeds`
 * runs every phase's expectations of every seed and must pass, one line per file.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runMain } from "./run-main.js";

const DIR = fileURLToPath(new URL("../../scenarios/seeds", import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();

describe("podpath test scenarios/seeds", () => {
  it.each(files)("%s: every expectation of every phase holds", async (f) => {
    const r = await runMain(["test", `${DIR}/${f}`]);
    expect(r.err).toBe("");
    expect(r.out).toMatch(new RegExp(`^✓ \\S*${f.replace(/\./g, "\\.")}  \\d+ phases?, \\d+ probes?, \\d+ runs?\\n`));
    expect(r.code).toBe(0);
  }, 120_000);
});
