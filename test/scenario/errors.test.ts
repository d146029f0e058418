/**
 * Errors are data: every problem in a file comes back together, in file order, with the code,
 * the exact line and column, and a message that names what was found and what was expected.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, loadScenarioFile } from "../../src/scenario/load.js";
import { issuesOf, oneNs, where } from "./helpers.js";

describe("many problems in one file", () => {
  const text = [
    "name: many", //                                                       1
    "segments: [lan, lan]", //                                            2
    "namespaces:", //                                                      3
    "  h1:", //                                                            4
    "    devices:", //                                                     5
    "      eth0: { type: nic, segment: wan }", //                          6
    "      eth1: { type: nic, segment: lan, mtu: 67, colour: red }", //    7
    "      veth1: { type: veth, peer: ghost/eth0 }", //                    8
    "      vx0: { type: vxlan, id: 16777216 }", //                         9
    "      bad/name: { type: bridge }", //                                10
    "      v2: { type: veth, peer: v3, master: lo }", //                  11
    "      mac1: { type: bridge, mac: \"01:00:5e:00:00:01\" }", //        12
    "    addresses:", //                                                  13
    "      v2: [10.0.0.1/24, 10.0.0.300/24]", //                          14
    "      nope0: [1.2.3.4/8]", //                                        15
    "    routes:", //                                                     16
    "      - { dst: 10.244.1.1/24, dev: v2 }", //                         17
    "      - { dst: 10.1.0.0/16, typo: 1 }", //                           18
    "    neighbours:", //                                                 19
    "      - { ip: 10.0.0.5, dev: v2, mac: zz }", //                      20
    "probes:", //                                                         21
    "  - { name: p, from: h1, run: ping 10.0.0.2 }", //                   22
    "  - { name: p, from: h9, run: ping 10.0.0.2 }", //                   23
    "",
  ].join("\n");

  it("reports each of them, in order, with exact positions", () => {
    const issues = issuesOf(text);
    expect(where(issues)).toEqual([
      ["duplicate-segment", 2, 17],
      ["unknown-segment", 6, 35],
      ["out-of-range", 7, 45],
      ["unknown-key", 7, 49],
      ["unknown-namespace", 8, 34],
      ["out-of-range", 9, 31],
      ["bad-name", 10, 7],
      ["not-a-bridge", 11, 43],
      ["invalid-mac", 12, 34],
      ["expected-prefix", 14, 25],
      ["unknown-device", 15, 7],
      ["invalid-prefix", 17, 16],
      ["unknown-key", 18, 29],
      ["expected-mac", 20, 39],
      ["duplicate-probe", 23, 13],
      ["unknown-namespace", 23, 22],
    ]);
  });

  it("says what was found and what was expected", () => {
    const m = issuesOf(text).map((i) => i.message);
    expect(m[1]).toBe('unknown segment "wan"; expected one of the names under "segments": lan');
    expect(m[2]).toContain("mtu 67 is out of range; expected a whole number 68–65535");
    expect(m[3]).toBe('unknown key "colour"; expected one of: type, mac, mtu, up, master, segment');
    expect(m[4]).toContain('unknown namespace "ghost"');
    expect(m[5]).toContain("VNI 16777216 is out of range; expected a whole number 0–16777215");
    expect(m[7]).toBe('master "lo" is a loopback, not a bridge (Operation not supported)');
    expect(m[9]).toContain('found "10.0.0.300/24"');
    expect(m[10]).toBe('Cannot find device "nope0" in namespace h1');
    expect(m[11]).toBe("\"dst\": Invalid prefix for given prefix length: 10.244.1.1/24 has host bits set; expected 10.244.1.0/24");
    expect(m[14]).toContain("already used at line 22");
    expect(m[15]).toBe('"from": unknown namespace "h9"; expected one of: h1');
  });
});

describe("single mistakes", () => {
  it("YAML syntax errors stop the load with their position", () => {
    expect(where(issuesOf("name: x\nnamespaces:\n  a: [1\n"))).toEqual([["yaml-syntax", 4, 1]]);
  });

  it("positions stay exact after an earlier syntax error and a multi-line scalar", () => {
    const text = 'x: ]\ny: "a\nb"\nz: w: v\n';
    const issues = issuesOf(text);
    expect(issues.every((i) => i.code === "yaml-syntax")).toBe(true);
    // yaml's LineCounter would put this on line 3; the scalar "a\nb" spans lines 2–3.
    expect(where(issues).at(-1)?.[1]).toBe(4);
  });

  it("a duplicate key is reported at the second occurrence", () => {
    const issues = issuesOf(oneNs("devices:\n  br0: { type: bridge }\n  br0: { type: bridge }"));
    expect(where(issues)).toEqual([["duplicate-key", 7, 7]]);
    expect(issues[0]!.message).toContain('"br0"');
  });

  it("an empty file names what a scenario needs", () => {
    expect(where(issuesOf(""))).toEqual([["missing-key", 1, 1]]);
  });

  it("a missing name and an unknown top-level key are both reported", () => {
    const issues = issuesOf("namespaces: {}\nprobe: []\n");
    expect(where(issues)).toEqual([
      ["missing-key", 1, 1],
      ["unknown-key", 2, 1],
    ]);
    expect(issues[1]!.message).toBe('unknown key "probe" in the scenario; expected one of: name, seed, segments, namespaces, probes');
  });

  it("a wrong type names both types", () => {
    const issues = issuesOf(oneNs("devices:\n  eth0: { type: nic, segment: lan, mtu: \"1500\" }"));
    expect(where(issues)).toEqual([["wrong-type", 6, 45]]);
    expect(issues[0]!.message).toBe('"mtu": expected a number, found the string "1500"');
  });

  it("a missing device type lists the types", () => {
    const issues = issuesOf(oneNs("devices:\n  eth0: { segment: lan }"));
    // The mapping that should hold the key: `{` at column 13.
    expect(where(issues)).toEqual([["missing-key", 6, 13]]);
    expect(issues[0]!.message).toBe('missing required key "type" (one of: nic, veth, bridge, vxlan, loopback)');
  });

  it("a veth peer whose own entry points elsewhere", () => {
    const issues = issuesOf(
      "name: t\nnamespaces:\n  a:\n    devices:\n      v1: { type: veth, peer: b/v2 }\n  b:\n    devices:\n      v2: { type: veth, peer: a/v9 }\n",
    );
    expect(where(issues)).toEqual([["veth-peer-mismatch", 8, 31]]);
  });

  it("a veth peer colliding with a declared device of another kind", () => {
    const issues = issuesOf(
      "name: t\nsegments: [lan]\nnamespaces:\n  a:\n    devices:\n      v1: { type: veth, peer: b/eth0 }\n  b:\n    devices:\n      eth0: { type: nic, segment: lan }\n",
    );
    expect(where(issues)).toEqual([["duplicate-device", 9, 7]]);
    expect(issues[0]!.message).toContain('"eth0" already exists in namespace b');
  });

  it("hairpin on a device that is not a port of that bridge", () => {
    const issues = issuesOf(oneNs("devices:\n  br0: { type: bridge, hairpin: [v1] }\n  v1: { type: veth, peer: v2 }"));
    expect(where(issues)).toEqual([["not-a-bridge-port", 6, 38]]);
  });

  it("a master that does not exist", () => {
    expect(where(issuesOf(oneNs("devices:\n  v1: { type: veth, peer: v2, master: br9 }")))).toEqual([["unknown-bridge", 6, 43]]);
  });

  it("out-of-range ports and a listener on a foreign address", () => {
    const issues = issuesOf(oneNs("listeners:\n  - { kind: tcp, port: 0 }\n  - { kind: udp, port: 53, addr: 10.0.0.1 }\n  - { kind: http, port: 80 }\n  - { kind: tcp, port: 80 }"));
    expect(where(issues)).toEqual([
      ["out-of-range", 6, 28],
      ["listener-address", 7, 38],
      ["listener-conflict", 9, 28],
    ]);
  });

  it("a command in a structured namespace that is not a string hints at quoting", () => {
    const issues = issuesOf(oneNs("commands:\n  - echo a: b"));
    // YAML read `echo a: b` as a mapping, which starts at column 9.
    expect(where(issues)).toEqual([["wrong-type", 6, 9]]);
    expect(issues[0]!.message).toContain("must be quoted");
  });

  it("references to a device whose own definition failed are not reported again", () => {
    const issues = issuesOf(oneNs("devices:\n  eth0: { type: nic }\naddresses:\n  eth0: [10.0.0.1/24]\nroutes:\n  - { dst: 10.1.0.0/16, dev: eth0 }"));
    expect(where(issues)).toEqual([["missing-key", 6, 13]]);
  });
});

describe("loadScenarioFile", () => {
  it("names the OS error for an unreadable file, at 1:1", () => {
    const r = loadScenarioFile("/nonexistent/podpath/x.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ code: "read-error", at: { file: "/nonexistent/podpath/x.yaml", line: 1, column: 1 } });
    expect(r.issues[0]!.message).toContain("ENOENT");
  });

  it("reads a file and uses its path in positions", () => {
    const dir = mkdtempSync(join(tmpdir(), "podpath-scenario-"));
    const path = join(dir, "s.yaml");
    writeFileSync(path, "name: t\nnamespaces:\n  a: { devices: { x: { type: bridge, up: maybe } } }\n");
    const r = loadScenarioFile(path);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.at).toEqual({ file: path, line: 3, column: 42 });
  });

  it("never throws, whatever the input", () => {
    for (const text of ["[]", "42", "name: [x]", "namespaces: 3", "name: a\nnamespaces: { a: 7 }", "name: a\nprobes: {}", "&a [*a]", "name: t\nnamespaces:\n  a:\n    commands: [\"ip\", \"ip link\", \"ip route add\", \"\", \"sudo\", \"ip -6 r\", \"sysctl\", \"bridge\"]"]) {
      const r = loadScenario(text, "x.yaml");
      expect(r.ok).toBe(false);
    }
  });
});
