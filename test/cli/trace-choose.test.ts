/**
 * `--choose` where the issue writes it — after the simulated command — and by endpoint: a pod
 * name, an endpoint IP or IP:port resolve to the KUBE-SEP-… chain that DNATs there, so
 * `podpath trace seed-000 kubia-nwjcc -- curl http://10.98.41.49 --choose kubia-zcpbb` takes
 * the branch to the pod on worker2. Bad forms are refused with a message that says what exists.
 * The trace ends with the numbered "what happened" summary, also in --json as `summary`.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Result } from "../../src/core/issue.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { parseIptablesSave } from "../../src/netfilter/syntax/restore.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { runMain, scenario } from "./run-main.js";

const SEED0 = fileURLToPath(new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url));
const KP = scenario("kube-proxy-three-endpoints.yaml");
const CURL = ["kubia-nwjcc", "--", "curl", "http://10.98.41.49"];
const SEP_ZCPBB = "KUBE-SEP-XNY6V7T63BV6ODAO";
const SEP_NWJCC = "KUBE-SEP-J5YLFMHJAYVOG7TW";
const ENDPOINTS =
  "the endpoints a random rule can choose are: 10.244.0.2:53 (coredns-ldtqmhzclx-j5ph2), 10.244.0.2:9153 (coredns-ldtqmhzclx-j5ph2), " +
  "10.244.0.3:53 (coredns-ldtqmhzclx-9gnk8), 10.244.0.3:9153 (coredns-ldtqmhzclx-9gnk8), 10.244.1.27:8080 (kubia-nwjcc), 10.244.2.11:8080 (kubia-zcpbb)";

/** A loader that changes the scenario (and every phase of its timeline) before podpath sees it. */
function changed(edit: (w: WorldSpec) => WorldSpec): (path: string) => Result<WorldSpec> {
  return (path) => {
    const r = loadScenarioFile(path);
    if (!r.ok) return r;
    const phases = r.value.phases?.map((p) => ({ ...p, world: edit(p.world) }));
    return { ok: true, value: { ...edit(r.value), ...(phases ? { phases } : {}) } };
  };
}

describe("--choose after the command line", () => {
  it("trailing --choose gives exactly what leading --choose gives", async () => {
    const lead = await runMain(["trace", "--choose", SEP_ZCPBB, SEED0, ...CURL]);
    const trail = await runMain(["trace", SEED0, ...CURL, "--choose", SEP_ZCPBB]);
    const eq = await runMain(["trace", SEED0, ...CURL, `--choose=${SEP_ZCPBB}`]);
    expect(lead.code).toBe(7);
    expect(trail).toEqual(lead);
    expect(eq).toEqual(lead);
    expect(lead.out.split("\n")[0]).toMatch(/^kubia-nwjcc\$ curl http:\/\/10\.98\.41\.49 {4}\(/);
  });

  it("trailing --enumerate is taken off as well", async () => {
    const lead = await runMain(["exec", "--enumerate", SEED0, ...CURL]);
    const trail = await runMain(["exec", SEED0, ...CURL, "--enumerate"]);
    expect(trail).toEqual(lead);
    expect(trail.out).toContain("2 branches, total probability 1.00000000000\n");
  });

  it("is refused when also given before --, or twice after the command", async () => {
    const both = await runMain(["trace", "--choose", SEP_ZCPBB, SEED0, ...CURL, "--choose", "kubia-zcpbb"]);
    expect(both).toEqual({ code: 2, out: "", err: `podpath: --choose is given both before -- (${SEP_ZCPBB}) and after the command line (kubia-zcpbb); give it once\n` });
    const twice = await runMain(["exec", SEED0, ...CURL, "--choose", "kubia-zcpbb", "--choose", "kubia-nwjcc"]);
    expect(twice).toEqual({ code: 2, out: "", err: "podpath: --choose is given twice after the command line; give it once\n" });
    const en = await runMain(["exec", "--enumerate", SEED0, ...CURL, "--enumerate"]);
    expect(en).toEqual({ code: 2, out: "", err: "podpath: --enumerate is given both before -- and after the command line; give it once\n" });
    const empty = await runMain(["exec", SEED0, "kubia-nwjcc", "--", "--choose", "kubia-zcpbb"]);
    expect(empty.code).toBe(2);
    expect(empty.err).toBe("podpath: no command line is left once podpath's own --choose / --enumerate are taken off its end\n");
  });

  it("the help text says where --choose may go", async () => {
    const r = await runMain(["trace", "--help"]);
    expect(r.out.replace(/\s+/g, " ")).toContain("since no simulated tool has options of those names, but not on both sides of --");
  });
});

describe("--choose by endpoint", () => {
  it("a pod name, namespace/name, its IP and IP:port pick the same KUBE-SEP chain as the chain's own name", async () => {
    const byChain = await runMain(["trace", SEED0, ...CURL, "--choose", SEP_ZCPBB]);
    expect(byChain.out).toContain(`TRACE: nat:KUBE-SVC-XCCRWSFD2BRL7CRI:rule:3 → jump ${SEP_ZCPBB}`);
    for (const form of ["kubia-zcpbb", "default/kubia-zcpbb", "10.244.2.11", "10.244.2.11:8080"]) {
      expect(await runMain(["trace", SEED0, ...CURL, "--choose", form]), form).toEqual(byChain);
    }
    const local = await runMain(["trace", SEED0, ...CURL, "--choose", SEP_NWJCC]);
    expect(local.code).toBe(0);
    for (const form of ["kubia-nwjcc", "10.244.1.27", "10.244.1.27:8080"]) {
      expect(await runMain(["trace", SEED0, ...CURL, "--choose", form]), form).toEqual(local);
    }
  });

  it("a pod serving several Services is pinned in each (coredns: dns, dns-tcp and metrics)", async () => {
    const r = await runMain(["trace", "--at", "fixed", SEED0, "kubia-nwjcc", "--", "curl", "-s", "http://kubia", "--choose", "coredns-ldtqmhzclx-j5ph2"]);
    expect(r.out).toContain("random nat:KUBE-SVC-TCOU7JCQXEZGVUNU:rule:2 statistic probability 0.50000000000 (50.00%) → taken (pinned by --choose)");
    expect(r.out).toContain("DNATed it to 10.244.0.2:53 (coredns-ldtqmhzclx-j5ph2)");
  });

  it("without a cluster, a namespace's name stands for its address", async () => {
    const byName = await runMain(["exec", KP, "client", "--", "curl", "-s", "http://10.96.0.50", "--choose", "web2"]);
    expect(byName).toEqual({ code: 0, out: "web2 saw 10.244.1.2\n", err: "" });
  });

  it("exec -- curl -s http://10.98.41.49 --choose kubia-zcpbb exits 7 at broken, 0 at fixed", async () => {
    const cmd = ["kubia-nwjcc", "--", "curl", "-s", "http://10.98.41.49", "--choose", "kubia-zcpbb"];
    expect(await runMain(["exec", "--at", "broken", SEED0, ...cmd])).toEqual({ code: 7, out: "", err: "" });
    expect(await runMain(["exec", "--at", "fixed", SEED0, ...cmd])).toEqual({ code: 0, out: "You've hit kubia-zcpbb\n", err: "" });
  });

  it("refuses what leads nowhere, and says what exists", async () => {
    const err = async (choose: string, deps = {}): Promise<string> => {
      const r = await runMain(["exec", SEED0, ...CURL, "--choose", choose], deps);
      expect(r.code, choose).toBe(2);
      expect(r.out).toBe("");
      return r.err;
    };
    expect(await err("kubia-nope")).toBe(
      "podpath: --choose kubia-nope: no chain in any namespace's ruleset and no pod has that name (--choose takes a chain such as KUBE-SEP-…, a rule as table:chain:N, a pod name, or an endpoint IP[:port]); " +
        "the pods a random rule can choose are: coredns-ldtqmhzclx-j5ph2, coredns-ldtqmhzclx-9gnk8, kubia-nwjcc, kubia-zcpbb\n",
    );
    expect(await err("10.244.9.9")).toBe(`podpath: --choose 10.244.9.9: no DNAT rule sends packets to 10.244.9.9 in any namespace's ruleset; ${ENDPOINTS}\n`);
    expect(await err("10.244.2.11:9999")).toBe(`podpath: --choose 10.244.2.11:9999: no DNAT rule sends packets to 10.244.2.11:9999 in any namespace's ruleset; ${ENDPOINTS}\n`);
    expect(await err("10.0.2.15:6443")).toBe(
      "podpath: --choose 10.0.2.15:6443: KUBE-SEP-OGNOLD2JUSLFPOMZ (10.0.2.15:6443) DNATs there, but no statistic --mode random rule chooses between it and another endpoint (a Service with one endpoint): there is nothing to choose\n",
    );
    expect(await err("etcd-master1")).toBe("podpath: --choose etcd-master1: pod kube-system/etcd-master1 uses its node's network (10.0.2.15) and no Service's endpoints name it\n");
    expect(await err("300.1.1.1")).toBe("podpath: --choose 300.1.1.1: 300.1.1.1 is not an IPv4 address\n");

    // Two pods of one name in different namespaces.
    const twin = changed((w) => (w.cluster ? { ...w, cluster: { ...w.cluster, pods: [...w.cluster.pods, { ...w.cluster.pods.find((p) => p.name === "kubia-zcpbb")!, namespace: "staging" }] } } : w));
    expect(await err("kubia-zcpbb", { loadScenario: twin })).toBe("podpath: --choose kubia-zcpbb: ambiguous: default/kubia-zcpbb and staging/kubia-zcpbb share that name; write namespace/name\n");
    expect((await runMain(["exec", SEED0, ...CURL, "--choose", "default/kubia-zcpbb"], { loadScenario: twin })).code).toBe(7);
  });

  it("an address behind two endpoints of one Service chain is ambiguous without its port", async () => {
    // web2's endpoint moved to web1's address on another port: 10.244.1.11 is behind rules 2 and 3.
    const moved = changed((w) => ({
      ...w,
      namespaces: w.namespaces.map((n) => {
        if (!n.iptables) return n;
        const text = n.iptables.text.replace("--to-destination 10.244.1.12:8080", "--to-destination 10.244.1.11:9090");
        const rs = parseIptablesSave(text, n.iptables.file);
        if (!rs.ok) throw new Error("ruleset");
        return { ...n, iptables: { ...n.iptables, text, ruleset: rs.value } };
      }),
    }));
    const r = await runMain(["exec", KP, "client", "--", "curl", "-s", "http://10.96.0.50", "--choose", "10.244.1.11"], { loadScenario: moved });
    expect(r).toEqual({
      code: 2,
      out: "",
      err:
        "podpath: --choose 10.244.1.11: ambiguous: in nat:KUBE-SVC-CDGGSHYLG3RE2FKL it means both rule 2 (→ KUBE-SEP-ELX6N4Z5RGB67TLC (10.244.1.11:8080)) and rule 3 (→ KUBE-SEP-BQ6CYJXGREWSNKJL (10.244.1.11:9090)); name one endpoint with IP:port or its chain\n",
    });
    const withPort = await runMain(["exec", KP, "client", "--", "curl", "-s", "http://10.96.0.50", "--choose", "10.244.1.11:8080"], { loadScenario: moved });
    expect(withPort).toEqual({ code: 0, out: "web1 saw 10.244.1.2\n", err: "" });
  });
});

describe("the summary at the end of the trace", () => {
  it("is printed as numbered sentences before the tool's output, and is `summary` in --json", async () => {
    const text = await runMain(["trace", SEED0, ...CURL, "--choose", "kubia-zcpbb"]);
    const block = /\nWhat happened:\n((?: {2}\d+\. .*\n)+)\n── curl http:\/\/10\.98\.41\.49: exit 7 ──\n/.exec(text.out);
    expect(block).not.toBeNull();
    const lines = block![1]!.trimEnd().split("\n").map((l) => l.replace(/^ {2}\d+\. /, ""));
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe(
      "At TTL 1 worker1 dropped it and answered ICMP time exceeded; conntrack translated the error back to come from 10.98.41.49, so curl's connect() failed with EHOSTUNREACH: curl exit 7.",
    );
    const json = await runMain(["trace", "--json", SEED0, ...CURL, "--choose", "kubia-zcpbb"]);
    expect(json.code).toBe(7);
    expect((JSON.parse(json.out) as { summary: string[] }).summary).toEqual(lines);
  });
});
