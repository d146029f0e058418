import { describe, expect, it } from "vitest";
import { flannelIptables, flannelRestoreText, flannelRules, masqRules, restorePayload } from "../../../src/k8s/flannel/masq.js";
import { printIptablesSave } from "../../../src/netfilter/syntax/index.js";
import { cidr } from "./nodes.js";

const input = { network: cidr("10.244.0.0/16"), lease: cidr("10.244.1.0/24"), ipMasq: true, forwardRules: true, randomFully: true };

/** flannel's masquerade rules for node 1's lease, in its order: the same lines in the restore payload and in iptables-save. */
const MASQ_RULES = [
  '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
  '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
  '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
  '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
];

describe("flanneld's iptables rules", () => {
  it("feeds iptables-restore --noflush the masquerade rules in flannel's order, comment quoted", () => {
    expect(restorePayload(masqRules(input.network, input.lease, true))).toBe(
      [
        "*nat",
        ...MASQ_RULES,
        "COMMIT",
        "",
      ].join("\n"),
    );
  });

  it("drops --random-fully where iptables lacks it", () => {
    const text = restorePayload(masqRules(input.network, input.lease, false));
    expect(text).not.toContain("--random-fully");
    expect(text).toContain('-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE\n');
  });

  it("leaves out the masquerade chain without --ip-masq, and the forward chain with --iptables-forward-rules=false", () => {
    expect(flannelRules({ ...input, ipMasq: false }).map((r) => r.chain)).toEqual(["FORWARD", "FLANNEL-FWD", "FLANNEL-FWD"]);
    expect(flannelRules({ ...input, forwardRules: false }).every((r) => r.table === "nat")).toBe(true);
    expect(flannelRestoreText({ ...input, ipMasq: false, forwardRules: false })).toBe("");
  });

  it("parse with the project's iptables-save parser and print back as iptables-save shows them on the node (A3)", () => {
    const r = flannelIptables(input, "flanneld@node1");
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
    expect(r.value.text).toBe(flannelRestoreText(input));
    expect(printIptablesSave(r.value.ruleset)).toBe(
      [
        "*filter",
        ":INPUT ACCEPT [0:0]",
        ":FORWARD ACCEPT [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        ":FLANNEL-FWD - [0:0]",
        '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
        '-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
        '-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
        "COMMIT",
        "*nat",
        ":PREROUTING ACCEPT [0:0]",
        ":INPUT ACCEPT [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        ":POSTROUTING ACCEPT [0:0]",
        ":FLANNEL-POSTRTG - [0:0]",
        ...MASQ_RULES,
        "COMMIT",
        "",
      ].join("\n"),
    );
    const chain = r.value.ruleset.tables.find((t) => t.name === "nat")!.chains.find((c) => c.name === "FLANNEL-POSTRTG")!;
    expect(chain.rules.map((x) => x.target)).toEqual([
      ...Array(4).fill({ kind: "RETURN" }),
      ...Array(2).fill({ kind: "MASQUERADE", random: false, randomFully: true }),
    ]);
  });
});
