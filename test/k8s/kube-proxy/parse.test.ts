/**
 * The generated text goes through podpath's iptables-restore parser (parseIptablesSave) without
 * a single issue, for every shape of Service and every flag, and every `-A` line becomes a rule.
 */
import { describe, expect, it } from "vitest";
import { formatKubeProxyIssue, kubeProxyTables } from "../../../src/k8s/kube-proxy/index.js";
import type { Ruleset } from "../../../src/netfilter/rule.js";
import { CASES } from "./cases.js";

const ruleCount = (rs: Ruleset): number => rs.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
const appendLines = (text: string): number => text.split("\n").filter((l) => l.startsWith("-A ")).length;

describe("kube-proxy's rules through parseIptablesSave", () => {
  it.each(CASES)("%s: parses with no issues, one rule per -A line", (_name, input) => {
    const r = kubeProxyTables(input);
    if (!r.ok) throw new Error(r.issues.map(formatKubeProxyIssue).join("\n"));
    const { rules, restoreRuleset, nodeRuleset, nodeText } = r.value;
    expect(ruleCount(restoreRuleset)).toBe(appendLines(rules.restoreInput));
    expect(ruleCount(nodeRuleset)).toBe(appendLines(nodeText));
    expect(restoreRuleset.tables.map((t) => t.name).sort()).toEqual(["filter", "nat"]);
    expect(nodeRuleset.tables.map((t) => t.name).sort()).toEqual(["filter", "mangle", "nat"]);
    // The hooks: nat PREROUTING and OUTPUT jump to KUBE-SERVICES.
    const nat = nodeRuleset.tables.find((t) => t.name === "nat")!;
    for (const hook of ["PREROUTING", "OUTPUT"]) {
      const rule = nat.chains.find((c) => c.name === hook)!.rules[0]!;
      expect(rule.target).toMatchObject({ kind: "jump", chain: "KUBE-SERVICES" });
    }
  });
});
