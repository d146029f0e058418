/**
 * How `trace` shows iptables: by default only the rules that matched (as the kernel's TRACE
 * target logs them); with --all-rules also every rule walked that did not match; and
 * `--choose table:chain:N` pins the random branch to one rule.
 */
import { describe, expect, it } from "vitest";
import { runMain, scenario } from "./run-main.js";

const KP = scenario("kube-proxy-three-endpoints.yaml");
const SVC = "KUBE-SVC-CDGGSHYLG3RE2FKL";

describe("trace and iptables rules", () => {
  it("--all-rules adds the rules that did not match, in walk order; without it there are none", async () => {
    const plain = await runMain(["trace", "--choose", `nat:${SVC}:4`, KP, "client", "--", "curl", "-s", "http://10.96.0.50"]);
    const all = await runMain(["trace", "--all-rules", "--choose", `nat:${SVC}:4`, KP, "client", "--", "curl", "-s", "http://10.96.0.50"]);
    expect(plain.code).toBe(0);
    expect(all.code).toBe(0);
    expect(plain.out).not.toContain("→ no match");
    // The client (10.244.1.2) is inside the cluster CIDR: the masquerade rule of the service chain does not match.
    expect(all.out).toContain(`TRACE: nat:${SVC}:rule:1 → no match`);
    // Everything the plain trace shows is still there, in the same order.
    const matched = (t: string) => t.split("\n").filter((l) => l.includes("TRACE:") && !l.includes("no match"));
    expect(matched(all.out)).toEqual(matched(plain.out));
  });

  it("--choose table:chain:N takes rule N's branch: the last endpoint, reached when both random rules are refused", async () => {
    const r = await runMain(["exec", "--choose", `nat:${SVC}:4`, KP, "client", "--", "curl", "-s", "http://10.96.0.50"]);
    expect(r).toMatchObject({ code: 0, out: "web3 saw 10.244.1.2\n" });
  });
});
