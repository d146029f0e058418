/**
 * Cluster probes (src/scenario/cluster/probe-schema.ts): `repeat`, `expectAt` per phase,
 * `outcomes` ranges and `seen`, each phase's world carrying that phase's expectation; problems
 * placed at the YAML node that has them; low-level files unchanged.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatIssue } from "../../src/core/issue.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { inRange, isPhaseExpect, parseRunRange, phaseDescription, repeatOf, runLabel, type RepeatedProbe } from "../../src/scenario/cluster/probe-schema.js";
import { loadScenario, loadScenarioFile } from "../../src/scenario/load.js";

const SEED = new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url).pathname;
const seedText = (): string => readFileSync(SEED, "utf8");

/** The seed with its probes replaced by `lines`. */
const withProbes = (lines: readonly string[]): string => seedText().replace(/# expect holds[\s\S]*$/, ["probes:", ...lines, ""].join("\n"));

function load(text: string): WorldSpec {
  const r = loadScenario(text, "c.yaml");
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join("\n"));
  return r.value;
}

/** The 1-based line of `text` containing `s`. */
const lineOf = (text: string, s: string): number => text.split("\n").findIndex((l) => l.includes(s)) + 1;

const errors = (text: string): string[] => {
  const r = loadScenario(text, "c.yaml");
  return r.ok ? [] : r.issues.map(formatIssue);
};

const probesAt = (w: WorldSpec, phase: string): readonly RepeatedProbe[] => w.phases!.find((p) => p.name === phase)!.world.probes as readonly RepeatedProbe[];

describe("seed 000's probes", () => {
  it("give each phase's world the probes with that phase's expectation", () => {
    const w = load(seedText());
    const broken = probesAt(w, "broken");
    const fixed = probesAt(w, "fixed");
    expect(broken.map((p) => [p.name, repeatOf(p)])).toEqual([
      ["the pod on the same node answers", 1],
      ["the pod on the other node", 1],
      ["the Service from kubia-nwjcc", 25],
    ]);
    expect(broken.map((p) => p.expect)).toEqual([
      { exit: 0, stdoutContains: ["You've hit kubia-nwjcc"] },
      { outcome: "no-route-to-host" },
      {
        outcomes: [
          { label: "ok", range: { unit: "percent", lo: 20, hi: 80, text: "20%..80%" } },
          { label: "curl: (7)", range: { unit: "percent", lo: 20, hi: 80, text: "20%..80%" } },
        ],
        seen: ["You've hit kubia-nwjcc"],
      },
    ]);
    expect(fixed.map((p) => p.expect)).toEqual([
      { exit: 0, stdoutContains: ["You've hit kubia-nwjcc"] },
      { exit: 0, stdoutContains: ["You've hit kubia-zcpbb"] },
      { outcomes: [{ label: "ok", range: { unit: "percent", lo: 100, hi: 100, text: "100%" } }], seen: ["You've hit kubia-nwjcc", "You've hit kubia-zcpbb"] },
    ]);
    // The top-level world is the first phase's.
    expect(w.probes).toEqual(broken);
  });

  it("carry each phase's description", () => {
    const w = load(seedText());
    expect(w.phases!.map(phaseDescription)).toEqual(["flannel on enp0s3 (10.0.2.15) everywhere", "the fix the person applied — flannel told to use the host-only adapter"]);
  });
});

describe("cluster probe format", () => {
  it("defaults: repeat 1, expect for every phase, no expectation at all when neither is given", () => {
    const w = load(withProbes([
      "  - { name: a, from: kubia-nwjcc, run: ip route, expect: { exit: 0 } }",
      "  - { name: b, from: worker1, run: ip route, expectAt: { fixed: { exit: 1 } } }",
    ]));
    expect(probesAt(w, "broken").map((p) => [repeatOf(p), p.expect])).toEqual([[1, { exit: 0 }], [1, {}]]);
    expect(probesAt(w, "fixed").map((p) => [repeatOf(p), p.expect])).toEqual([[1, { exit: 0 }], [1, { exit: 1 }]]);
    expect(isPhaseExpect(probesAt(w, "fixed")[1]!.expect)).toBe(false);
  });

  it("an implicit first point is called start in expectAt", () => {
    const text = withProbes(["  - { name: a, from: worker1, run: ip route, expectAt: { start: { exit: 0 }, fixed: { exit: 0 } } }"]).replace(/  - phase: broken\n    description: .*\n/, "");
    const w = load(text);
    expect(w.phases!.map((p) => p.name)).toEqual(["start", "fixed"]);
  });

  it("places an unknown phase name at its key, listing the phases", () => {
    const text = withProbes([
      "  - name: a",
      "    from: worker1",
      "    run: ip route",
      "    expectAt:",
      "      brokne: { exit: 0 }",
    ]);
    expect(errors(text)).toEqual([`c.yaml:${lineOf(text, "brokne")}:7: error: "expectAt": unknown phase "brokne"; expected one of: broken, fixed [bad-value]`]);
  });

  it("places a bad range, a bad label and a count beyond repeat at their values", () => {
    const text = withProbes([
      "  - name: a",
      "    from: kubia-nwjcc",
      "    run: curl -s http://10.98.41.49",
      "    repeat: 10",
      "    expect:",
      "      outcomes:",
      "        ok: 80%..20%",
      "        \"curl (7)\": 1",
      "        \"curl: (28)\": 10%..20",
      "        \"curl: (7)\": 150%",
      "        \"curl: (6)\": 1.5",
    ]);
    const at = (key: string): number => lineOf(text, key);
    expect(errors(text)).toEqual([
      `c.yaml:${at("ok: 80%")}:13: error: "ok": "80%..20%": the range is empty (80 > 20) [bad-value]`,
      `c.yaml:${at("curl (7)")}:21: error: "curl (7)": "curl (7)" is not a run label; expected ok, or the command's name and exit code as curl prints them: "curl: (7)" [bad-value]`,
      `c.yaml:${at("(28)")}:23: error: "curl: (28)": "10%..20": both ends are counts or both are shares (10..15, 20%..80%) [bad-value]`,
      `c.yaml:${at("150%")}:22: error: "curl: (7)": "150%": a share is at most 100% [bad-value]`,
      `c.yaml:${at("1.5")}:22: error: "curl: (6)": 1.5 is not a number of runs; expected a count (25), a count range (10..15), a share (100%) or a share range (20%..80%) [bad-value]`,
    ]);
    const beyond = withProbes([
      "  - name: a",
      "    from: kubia-nwjcc",
      "    run: curl -s http://10.98.41.49",
      "    repeat: 10",
      "    expectAt:",
      "      fixed: { outcomes: { ok: 11..12 } }",
    ]);
    expect(errors(beyond)).toEqual([`c.yaml:${lineOf(beyond, "11..12")}:32: error: "ok": 11..12 runs can never happen; the probe runs 10 times (repeat) [out-of-range]`]);
  });

  it("refuses repeat below 1 at its value", () => {
    const text = withProbes(["  - { name: a, from: worker1, run: ip route, repeat: 0 }"]);
    expect(errors(text)).toEqual([
      `c.yaml:${lineOf(text, "repeat: 0")}:54: error: "repeat": repeat 0 is out of range; expected a whole number 1–10000 [out-of-range]`,
    ]);
  });

  it("still checks names and hosts as the low-level format does", () => {
    const r = loadScenario(withProbes([
      "  - { name: p, from: kubia-nwjcc, run: ip route, repeat: 3 }",
      "  - { name: p, from: nowhere, run: ip route, expectAt: { fixed: { exit: 0 } } }",
    ]), "c.yaml");
    expect(r.ok ? [] : r.issues.map((i) => i.code)).toEqual(["duplicate-probe", "unknown-namespace"]);
  });
});

describe("ranges and labels", () => {
  it("reads counts and shares, inclusive at both ends", () => {
    expect(parseRunRange(25)).toEqual({ ok: true, value: { unit: "runs", lo: 25, hi: 25, text: "25" } });
    expect(parseRunRange("10..15")).toEqual({ ok: true, value: { unit: "runs", lo: 10, hi: 15, text: "10..15" } });
    expect(parseRunRange("100%")).toEqual({ ok: true, value: { unit: "percent", lo: 100, hi: 100, text: "100%" } });
    expect(parseRunRange("20% .. 80%")).toEqual({ ok: true, value: { unit: "percent", lo: 20, hi: 80, text: "20%..80%" } });
    const share = parseRunRange("20%..80%");
    if (!share.ok) throw new Error(share.message);
    expect([4, 5, 20, 21].map((n) => inRange(share.value, n, 25))).toEqual([false, true, true, false]);
    expect(parseRunRange("lots").ok).toBe(false);
    expect(parseRunRange(-1).ok).toBe(false);
  });

  it("labels a run ok, or by the command's name and exit code", () => {
    expect(runLabel("curl -s http://10.98.41.49", 0)).toBe("ok");
    expect(runLabel("curl -s http://10.98.41.49", 7)).toBe("curl: (7)");
    expect(runLabel("/usr/bin/ping -c 1 10.0.0.2", 1)).toBe("ping: (1)");
  });
});

describe("low-level scenarios", () => {
  it("load as before: probes run once, no phases", () => {
    const r = loadScenarioFile(new URL("../../scenarios/lowlevel/ttl.yaml", import.meta.url).pathname);
    if (!r.ok) throw new Error(r.issues.map(formatIssue).join("\n"));
    expect(r.value.phases).toBeUndefined();
    expect(r.value.probes.every((p) => repeatOf(p) === 1 && !isPhaseExpect(p.expect))).toBe(true);
    expect(Object.keys(r.value.probes[0]!)).not.toContain("repeat");
  });
});
