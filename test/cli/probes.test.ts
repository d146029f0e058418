import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/issue.js";
import type { ProbeSpec, WorldSpec } from "../../src/netns/spec.js";
import type { Simulate } from "../../src/sim/probes.js";
import { checkProbe, runProbes } from "../../src/sim/probes.js";

const probe = (name: string, command: string, expect: ProbeSpec["expect"]): ProbeSpec => ({ name, netns: "h1", command, expect, kernel: true });
const world = (probes: ProbeSpec[]): WorldSpec => ({ name: "w", file: "w.yaml", seed: "7", namespaces: [], segments: [], probes });

/** A stand-in simulator: each command line maps to what the tool printed. */
function fake(outputs: Record<string, { exitCode: number; stdout?: string; stderr?: string }>, seen: string[] = []): Simulate {
  return (_spec, netns, command, options) => {
    seen.push(`${netns} ${command} seed=${options.seed}`);
    const o = outputs[command];
    if (!o) throw new Error(`no fake output for ${command}`);
    return { result: { exitCode: o.exitCode, stdout: o.stdout ?? "", stderr: o.stderr ?? "" }, traces: [], elapsedMs: 12.5 };
  };
}

describe("runProbes", () => {
  it("runs each probe with the seed and checks exit, substrings and outcome", () => {
    const seen: string[] = [];
    const sim = fake(
      {
        "ping -c 1 10.0.0.2": { exitCode: 0, stdout: "PING…\n64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.1 ms\n1 packets transmitted, 1 received\n" },
        "curl -sS http://10.0.0.9": { exitCode: 7, stderr: "curl: (7) Failed to connect to 10.0.0.9 port 80 after 0 ms: Couldn't connect to server\n" },
      },
      seen,
    );
    const spec = world([
      probe("ping works", "ping -c 1 10.0.0.2", { exit: 0, stdoutContains: ["1 received"], outcome: "delivered" }),
      probe("curl fails", "curl -sS http://10.0.0.9", { exit: 0, stderrContains: ["Failed to connect", "Connection refused"], outcome: "refused" }),
      probe("no expectations", "ping -c 1 10.0.0.2", {}),
    ]);
    const [a, b, c] = runProbes(spec, { seed: "42", simulate: sim });
    expect(seen).toEqual(["h1 ping -c 1 10.0.0.2 seed=42", "h1 curl -sS http://10.0.0.9 seed=42", "h1 ping -c 1 10.0.0.2 seed=42"]);
    expect(a!.passed).toBe(true);
    expect(a!.elapsedMs).toBe(12.5);
    expect(a!.checks).toEqual([
      { what: "exit", ok: true, expected: "0", actual: "0" },
      { what: "stdout", ok: true, expected: "1 received", actual: "1 packets transmitted, 1 received" },
      { what: "outcome", ok: true, expected: "delivered", actual: "delivered" },
    ]);
    expect(b!.passed).toBe(false);
    expect(b!.checks).toEqual([
      { what: "exit", ok: false, expected: "0", actual: "7" },
      { what: "stderr", ok: true, expected: "Failed to connect", actual: "curl: (7) Failed to connect to 10.0.0.9 port 80 after 0 ms: Couldn't connect to server" },
      { what: "stderr", ok: false, expected: "Connection refused", actual: "" },
      { what: "outcome", ok: false, expected: "refused", actual: "unknown" },
    ]);
    expect(c!.checks).toEqual([]);
    expect(c!.passed).toBe(true);
  });

  it("uses the scenario's seed unless told otherwise", () => {
    const seen: string[] = [];
    runProbes(world([probe("p", "ping -c 1 10.0.0.2", {})]), { simulate: fake({ "ping -c 1 10.0.0.2": { exitCode: 0 } }, seen) });
    expect(seen).toEqual(["h1 ping -c 1 10.0.0.2 seed=7"]);
  });

  it("reports a simulator crash as that probe's failure and runs the others", () => {
    const reports = runProbes(world([probe("crash", "boom", { exit: 0 }), probe("fine", "ping -c 1 10.0.0.2", { exit: 0 })]), {
      simulate: fake({ "ping -c 1 10.0.0.2": { exitCode: 0 } }),
    });
    expect(reports.map((r) => [r.passed, r.error])).toEqual([
      [false, "no fake output for boom"],
      [true, undefined],
    ]);
  });

  it("lets a world that cannot be built surface as the InputError", () => {
    const issue = { code: "unknown-device", message: "no device eth9", at: { file: "w.yaml", line: 3, column: 5 } };
    const sim: Simulate = () => {
      throw new InputError([issue]);
    };
    expect(() => runProbes(world([probe("p", "ping x", {})]), { simulate: sim })).toThrow(InputError);
  });
});

describe("checkProbe", () => {
  it("names the line a substring was found on", () => {
    const checks = checkProbe(probe("p", "x", { stdoutContains: ["b c"] }), { exitCode: 0, stdout: "a\nb c d\n", stderr: "" }, "delivered");
    expect(checks).toEqual([{ what: "stdout", ok: true, expected: "b c", actual: "b c d" }]);
  });
});
