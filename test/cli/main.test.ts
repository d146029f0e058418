import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/issue.js";
import { commandLine } from "../../src/cli/context.js";
import { splitCommandLine } from "../../src/apps/registry.js";
import { runMain, scenario } from "./run-main.js";

const NAT = scenario("vxlan-underlay-nat.yaml");
const TTL = scenario("ttl.yaml");
const PING_LOOP = ["pod1", "--", "ping", "-c", "1", "-W", "1", "10.244.2.2"];

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

function tempScenario(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "podpath-cli-"));
  tempDirs.push(dir);
  const file = join(dir, "bad.yaml");
  writeFileSync(file, text);
  return file;
}

describe("podpath exec", () => {
  it("prints the tool's output as-is and passes its exit code through", async () => {
    const loop = await runMain(["exec", NAT, ...PING_LOOP]);
    expect(loop.code).toBe(1);
    expect(loop.out).toContain("From 10.244.1.1 icmp_seq=1 Time to live exceeded\n");
    expect(loop.out.startsWith("PING 10.244.2.2 (10.244.2.2) 56(84) bytes of data.\n")).toBe(true);
    expect(loop.err).toBe("");

    const curl = await runMain(["exec", NAT, "pod1", "--", "curl", "-sS", "http://10.244.2.2"]);
    expect(curl.code).toBe(7);
    expect(curl.out).toBe("");
    expect(curl.err).toMatch(/^curl: \(7\) Failed to connect to 10\.244\.2\.2 port 80 after \d+ ms/);

    const ok = await runMain(["exec", TTL, "client", "--", "ping", "-c", "1", "-W", "1", "-t", "4", "10.0.3.2"]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("64 bytes from 10.0.3.2: icmp_seq=1 ttl=61");
  });

  it("takes the command line as one quoted word too", async () => {
    const one = await runMain(["exec", NAT, "pod1", "curl -sS http://10.244.1.2"]);
    expect(one).toEqual({ code: 0, out: "pod1 on node1\n", err: "" });
  });

  it("passes a shell's 127 through for an unknown tool", async () => {
    const r = await runMain(["exec", NAT, "pod1", "--", "frobnicate", "now"]);
    expect(r.code).toBe(127);
    expect(r.err).toContain("frobnicate: not found");
  });

  it("quotes words so the simulated shell splits them back the same way", () => {
    const words = ["curl", "-H", "X-Name: it's me", "http://10.0.0.2/a b", ""];
    expect(splitCommandLine(commandLine(words))).toEqual(words);
    expect(commandLine(["ping", "-c", "1", "10.0.0.2"])).toBe("ping -c 1 10.0.0.2");
  });
});

describe("bad input", () => {
  it("prints every scenario problem as file:line:column, nothing on stdout, exit 2", async () => {
    const file = tempScenario("name: broken\nnamespaces:\n  a:\n    addresses: { eth0: [10.0.0.300/24] }\n    routes: [{ dst: bogus }]\n");
    for (const cmd of [["exec", file, "a", "--", "ping", "10.0.0.1"], ["trace", file, "a", "--", "ping", "10.0.0.1"], ["run", file]]) {
      const r = await runMain(cmd);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      const lines = r.err.trimEnd().split("\n");
      expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.\\/]/g, "\\$&")}:4:\\d+: error: .*10\\.0\\.0\\.300/24`));
      expect(lines[1]).toMatch(new RegExp(`^${file.replace(/[.\\/]/g, "\\$&")}:5:\\d+: error: .*bogus`));
    }
  });

  it("reports a missing file as an issue, exit 2", async () => {
    const r = await runMain(["run", "/nonexistent/scenario.yaml"]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^\/nonexistent\/scenario\.yaml:1:1: error: /);
  });

  it("names the scenario's namespaces when asked for one it does not have", async () => {
    const r = await runMain(["exec", TTL, "router9", "--", "ping", "10.0.0.1"]);
    expect(r).toEqual({ code: 2, out: "", err: `podpath: ${TTL} has no namespace "router9"; its namespaces are: client, r1, r2, r3, server\n` });
  });

  it("gives commander's message and exit 2 for usage errors", async () => {
    const missing = await runMain(["exec", TTL]);
    expect(missing.code).toBe(2);
    expect(missing.out).toBe("");
    expect(missing.err).toContain("error: missing required argument 'namespace'");

    const option = await runMain(["exec", TTL, "client", "ping", "-c", "1", "10.0.3.2"]);
    expect(option.code).toBe(2);
    expect(option.err).toContain("error: unknown option '-c'");
    expect(option.err).toContain("after --");

    const command = await runMain(["frob"]);
    expect(command.code).toBe(2);
    expect(command.err).toContain("error: unknown command 'frob'");

    const none = await runMain([]);
    expect(none.code).toBe(2);
  });

  it("prints help on stdout with exit 0", async () => {
    const r = await runMain(["trace", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: podpath trace [--seed S] [--json] [--all] [--enumerate | --choose X] <scenario> <namespace> -- <command line…>");
    expect(r.out).toContain("--choose <target>");
  });

  it("turns a world the simulator cannot build into issues and exit 2", async () => {
    const issue = { code: "unknown-device", message: "no device eth9", at: { file: "w.yaml", line: 3, column: 5 } };
    const r = await runMain(["exec", TTL, "client", "--", "ping", "x"], {
      simulate: () => {
        throw new InputError([issue]);
      },
    });
    expect(r).toEqual({ code: 2, out: "", err: "w.yaml:3:5: error: no device eth9 [unknown-device]\n" });
  });

  it("reports its own failures as an internal error, exit 70, no stack trace", async () => {
    const boom = () => {
      throw new Error("boom");
    };
    for (const cmd of [["exec", TTL, "client", "--", "ping", "x"], ["trace", TTL, "client", "--", "ping", "x"]]) {
      const r = await runMain(cmd, { simulate: boom });
      expect(r).toEqual({ code: 70, out: "", err: "podpath: internal error: boom\n" });
    }
    const loader = await runMain(["run", TTL], { loadScenario: boom });
    expect(loader).toEqual({ code: 70, out: "", err: "podpath: internal error: boom\n" });
  });
});

describe("podpath trace", () => {
  it("gives byte-identical output for the same seed", async () => {
    const a = await runMain(["trace", NAT, "--seed", "5", ...PING_LOOP]);
    const b = await runMain(["trace", NAT, "--seed", "5", ...PING_LOOP]);
    expect(a.out).toBe(b.out);
    expect(a.code).toBe(1);
    const json1 = await runMain(["trace", NAT, "--json", "--all", ...PING_LOOP]);
    const json2 = await runMain(["trace", NAT, "--json", "--all", ...PING_LOOP]);
    expect(json1.out).toBe(json2.out);
  });

  it("draws from the seed: another seed gives another ping id", async () => {
    const a = await runMain(["trace", NAT, "--seed", "1", ...PING_LOOP]);
    const b = await runMain(["trace", NAT, "--seed", "2", ...PING_LOOP]);
    const id = (s: string) => /id (\d+), seq 1/.exec(s)?.[1];
    expect(id(a.out)).toBeDefined();
    expect(id(a.out)).not.toBe(id(b.out));
  });

  it("shows the command's packets and what they caused, then the tool's output", async () => {
    const r = await runMain(["trace", NAT, ...PING_LOOP]);
    expect(r.out).toMatch(/^pod1\$ ping -c 1 -W 1 10\.244\.2\.2 {4}\(scenario "vxlan underlay on the VirtualBox NAT interface", seed 1\)\n\n#1 ping: /);
    expect(r.out).toContain("… the same 6 steps repeat 62 more times (ttl 63 → 1) …");
    expect(r.out).toContain("✗ dropped at node1 ip_forward: TTL exceeded");
    expect(r.out).toMatch(/#\d+ icmp error: IP 10\.244\.1\.1 > 10\.244\.1\.2: ICMP time exceeded in-transit.* \(caused by #1, at [\d.]+ ms\)/);
    expect(r.out).not.toMatch(/^#\d+ arp:/m);
    expect(r.out).toContain("--all shows them");
    expect(r.out).toContain("\n── ping -c 1 -W 1 10.244.2.2: exit 1 ──\nPING 10.244.2.2");
    const all = await runMain(["trace", NAT, "--all", ...PING_LOOP]);
    expect(all.out).toMatch(/^#\d+ arp: ARP, Request who-has 10\.244\.1\.1 tell 10\.244\.1\.2/m);
  });

  it("prints one JSON document with the tool's result and the traces", async () => {
    const r = await runMain(["trace", NAT, "--json", ...PING_LOOP]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as Record<string, unknown> & { result: Record<string, unknown>; traces: { id: number; origin: string; hops: unknown[]; disposition: { kind: string } }[] };
    expect(Object.keys(doc)).toEqual(["scenario", "name", "namespace", "command", "seed", "result", "elapsedMs", "traces", "hiddenTraces", "summary"]);
    expect(doc.scenario).toBe(NAT);
    expect(doc.namespace).toBe("pod1");
    expect(doc.command).toBe("ping -c 1 -W 1 10.244.2.2");
    expect(doc.seed).toBe("1");
    expect(doc.result.exitCode).toBe(1);
    expect(doc.result.stdout).toContain("Time to live exceeded");
    expect(doc.traces[0]!.origin).toBe("ping");
    expect(doc.traces[0]!.disposition.kind).toBe("ttl-exceeded");
    expect(doc.traces.some((t) => t.origin === "arp")).toBe(false);
  });
});

describe("podpath run", () => {
  it("exits 0 when every expectation holds, with the summary line", async () => {
    const r = await runMain(["run", TTL]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^TTL through a chain of routers — .*ttl\.yaml, seed 1, 6 probes\n/);
    expect(r.out).toContain(`\
✓ TTL 1 expires on r1
  client$ ping -c 1 -W 1 -t 1 10.0.3.2    [exit 1, `);
    expect(r.out).toContain(`    From 10.0.0.1 icmp_seq=1 Time to live exceeded
`);
    expect(r.out).toContain(`  exit 1: ✓ passed
  stdout contains "From 10.0.0.1 icmp_seq=1 Time to live exceeded": ✓ passed
  outcome ttl-exceeded: ✓ passed
`);
    expect(r.out.endsWith("\n6 passed, 0 failed\n")).toBe(true);
  });

  it("exits 1 and says expected and got when an expectation fails", async () => {
    const file = tempScenario(`\
name: one wrong expectation
segments: [lan]
namespaces:
  a:
    devices: { eth0: { type: nic, segment: lan } }
    addresses: { eth0: [10.0.0.1/24] }
  b:
    devices: { eth0: { type: nic, segment: lan } }
    addresses: { eth0: [10.0.0.2/24] }
probes:
  - name: b answers
    from: a
    run: ping -c 1 -W 1 10.0.0.2
    expect: { exit: 0, outcome: delivered }
  - name: wrongly expected to fail
    from: a
    run: ping -c 1 -W 1 10.0.0.2
    expect: { exit: 1, stdout: ["Destination Host Unreachable"], outcome: no-route-to-host }
`);
    const r = await runMain(["run", file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`\
✗ wrongly expected to fail
  a$ ping -c 1 -W 1 10.0.0.2    [exit 0, `);
    expect(r.out).toContain(`\
  exit 1: ✗ failed: expected 1, got 0
  stdout contains "Destination Host Unreachable": ✗ failed: expected it in stdout, got no line containing it
  outcome no-route-to-host: ✗ failed: expected no-route-to-host, got delivered
`);
    expect(r.out.endsWith("\n1 passed, 1 failed\n")).toBe(true);

    const json = await runMain(["run", file, "--json"]);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.out) as { passed: number; failed: number; probes: { name: string; passed: boolean; outcome: string; checks: { what: string; ok: boolean }[] }[] };
    expect([doc.passed, doc.failed]).toEqual([1, 1]);
    expect(doc.probes.map((p) => [p.name, p.passed, p.outcome])).toEqual([
      ["b answers", true, "delivered"],
      ["wrongly expected to fail", false, "delivered"],
    ]);
    expect(doc.probes[1]!.checks.map((c) => [c.what, c.ok])).toEqual([
      ["exit", false],
      ["stdout", false],
      ["outcome", false],
    ]);
  });

  it("runs the flagship scenario with all its expectations holding", async () => {
    const r = await runMain(["run", NAT]);
    expect(r.out).toContain("12 passed, 0 failed");
    expect(r.code).toBe(0);
  });
});
