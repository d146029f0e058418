/**
 * The fresh-namespace sysctl defaults every low-level scenario was observed with. If a machine's
 * kernel starts namespaces differently (another kernel, `devconf_inherit_init_net`), the
 * differential tests would fail for reasons nobody can see; this test says so first.
 */
import { describe, expect, test } from "vitest";
import { freshNetnsSysctls, OBSERVED_DEFAULTS } from "./sysctl-defaults.js";
import { kernelAvailability } from "./tools.js";

const avail = kernelAvailability();

describe.runIf(avail.usable)("fresh network namespace sysctl defaults", () => {
  test("match the values the scenarios were observed with", async () => {
    const actual = await freshNetnsSysctls(Object.keys(OBSERVED_DEFAULTS));
    expect(actual).toEqual(OBSERVED_DEFAULTS);
  });
});
