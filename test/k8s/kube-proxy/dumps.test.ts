/**
 * Byte-identical comparisons of whole syncs:
 *  - research/kube-proxy.md §10.1 and §10.2 — upstream's expected dumps for its unit-test
 *    proxier, compared after upstream's own normalisation (upstream-sort.ts), as upstream does;
 *  - §10.3 — the notes' flannel example, expanded, in kube-proxy's write order (no sorting), and
 *    what the real kernel's iptables-save printed for its nat table after loading it;
 *  - the hand-written node tables of scenarios/lowlevel/kube-proxy-three-endpoints.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { KubeProxyInput, ProxyRules } from "../../../src/k8s/kube-proxy/index.js";
import { formatKubeProxyIssue, kubeProxyTables, nodeTablesText, syncProxyRules } from "../../../src/k8s/kube-proxy/index.js";
import { saveTable } from "../../../src/netfilter/syntax/index.js";
import { flannelWeb, overall, syncRepeated, threeEndpoints } from "./inputs.js";
import { sortLikeUpstreamTests } from "./upstream-sort.js";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

function sync(input: KubeProxyInput): ProxyRules {
  const r = syncProxyRules(input);
  if (!r.ok) throw new Error(r.issues.map(formatKubeProxyIssue).join("\n"));
  return r.value;
}

describe("kube-proxy full sync, byte for byte", () => {
  it("§10.1: two ClusterIP services (upstream TestSyncProxyRulesRepeated, first sync)", () => {
    expect(sortLikeUpstreamTests(sync(syncRepeated).restoreInput)).toBe(fixture("upstream-sync-repeated.sorted.iptables"));
  });

  it("§10.2: six services, every feature (upstream TestOverallIPTablesRules)", () => {
    expect(sortLikeUpstreamTests(sync(overall).restoreInput)).toBe(fixture("upstream-overall.sorted.iptables"));
  });

  it("§10.2 unsorted: each service's lines stay together in kube-proxy's order", () => {
    const nat = sync(overall).sections.natRules.split("\n");
    const svc5 = nat.filter((l) => l.includes("NUKIZ6OKUXPJNT4C") || l.includes("I77PXRDZVX7PMWMN"));
    expect(svc5.map((l) => l.split(" ").slice(0, 2).join(" "))).toEqual([
      "-A KUBE-SERVICES", "-A KUBE-SERVICES", // cluster IP, LB IP → KUBE-FW
      "-A KUBE-NODEPORTS", "-A KUBE-NODEPORTS", // 127.0.0.0/8 with the nfacct counter, then any address
      "-A KUBE-SVC-NUKIZ6OKUXPJNT4C", // masquerade
      "-A KUBE-EXT-NUKIZ6OKUXPJNT4C", "-A KUBE-EXT-NUKIZ6OKUXPJNT4C",
      "-A KUBE-FW-NUKIZ6OKUXPJNT4C", "-A KUBE-FW-NUKIZ6OKUXPJNT4C",
      "-A KUBE-SVC-NUKIZ6OKUXPJNT4C", "-A KUBE-SVC-NUKIZ6OKUXPJNT4C", // affinity, then load balancing
      "-A KUBE-SEP-I77PXRDZVX7PMWMN", "-A KUBE-SEP-I77PXRDZVX7PMWMN",
    ]);
    // The NodePort tail call comes after every service.
    expect(nat.filter((l) => l !== "").at(-1)).toContain("this must be the last rule in this chain");
  });

  it("§10.3: the flannel example in kube-proxy's write order (mark 0x00004000, --random-fully, no nfacct)", () => {
    expect(sync(flannelWeb).restoreInput).toBe(fixture("flannel-web.restore"));
  });

  it("§10.3 through podpath's parser and printer gives the real kernel's iptables-save of the nat table", () => {
    const t = kubeProxyTables(flannelWeb, { canary: false });
    if (!t.ok) throw new Error(t.issues.map(formatKubeProxyIssue).join("\n"));
    const nat = t.value.nodeRuleset.tables.find((x) => x.name === "nat")!;
    expect(saveTable(nat)).toBe(fixture("flannel-web.kernel-nat.save"));
  });

  it("the three-endpoint scenario's node tables are a fresh node after this sync", () => {
    const scenario = fixture("../../../../scenarios/lowlevel/kube-proxy-three-endpoints.node.iptables").split("\n").filter((l) => !l.startsWith("#")).join("\n");
    expect(nodeTablesText(sync(threeEndpoints), { canary: false })).toBe(scenario);
  });

  it("a fresh node also has kube-proxy's KUBE-PROXY-CANARY chain in mangle, nat and filter", () => {
    const text = nodeTablesText(sync(threeEndpoints));
    expect(text.match(/^:KUBE-PROXY-CANARY - \[0:0\]$/gm)).toHaveLength(3);
    expect(text).toContain("*mangle\n");
  });
});
