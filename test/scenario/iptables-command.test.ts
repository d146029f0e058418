/**
 * `iptables …` as a command line (a node's commands, a timeline action): the change iptables-nft
 * makes to the ruleset, and its refusals, placed on the command. In `commands(...)`, command i
 * sits on line 6 + i and its first character on column 10.
 */
import { describe, expect, it } from "vitest";
import { printIptablesSave } from "../../src/netfilter/syntax/save.js";
import { commands, issuesOf, loadOk, ns, where } from "./helpers.js";

const save = (...lines: string[]): string => {
  const n = ns(loadOk(commands(...lines)), "h");
  return n.iptables ? printIptablesSave(n.iptables.ruleset) : "";
};
const rules = (text: string): string[] => text.split("\n").filter((l) => l.startsWith("-") || l.startsWith(":"));

describe("iptables typed as a command", () => {
  it("appends, inserts at a position and creates chains, in the table -t names", () => {
    const out = save(
      "iptables -t nat -N MYCHAIN",
      "iptables -t nat -A PREROUTING -d 10.96.0.0/12 -j MYCHAIN",
      "sudo iptables -w -t nat -I PREROUTING 1 -p tcp --dport 80 -j DNAT --to-destination 10.244.1.5:8080",
      "iptables -A FORWARD -s 10.244.0.0/16 -j ACCEPT",
      "iptables -t nat -A MYCHAIN -m comment --comment \"typed by hand\" -j RETURN",
    );
    expect(rules(out)).toEqual([
      ":INPUT ACCEPT [0:0]",
      ":FORWARD ACCEPT [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      "-A FORWARD -s 10.244.0.0/16 -j ACCEPT",
      ":PREROUTING ACCEPT [0:0]",
      ":INPUT ACCEPT [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      ":POSTROUTING ACCEPT [0:0]",
      ":MYCHAIN - [0:0]",
      "-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.5:8080",
      "-A PREROUTING -d 10.96.0.0/12 -j MYCHAIN",
      "-A MYCHAIN -m comment --comment \"typed by hand\" -j RETURN",
    ]);
  });

  it("deletes by rule text and by number, flushes, sets a policy and deletes an empty chain", () => {
    const out = save(
      "iptables -N X",
      "iptables -A INPUT -s 10.0.0.1/32 -j DROP",
      "iptables -A INPUT -s 10.0.0.2 -j DROP",
      "iptables -A INPUT -s 10.0.0.3 -j DROP",
      "iptables -D INPUT -s 10.0.0.2/32 -j DROP",
      "iptables -D INPUT 1",
      "iptables -P FORWARD DROP",
      "iptables -A OUTPUT -j ACCEPT",
      "iptables -F OUTPUT",
      "iptables -X X",
      "iptables -N EMPTY1",
      "iptables -N EMPTY2",
      "iptables -X",
    );
    expect(rules(out)).toEqual([":INPUT ACCEPT [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]", "-A INPUT -s 10.0.0.3/32 -j DROP"]);
  });

  it("-Z zeroes counters, -X without a chain refuses while a user chain still has rules", () => {
    const n = ns(loadOk(commands("iptables -A INPUT -j ACCEPT", "iptables -Z", "iptables -Z INPUT")), "h");
    expect(n.iptables!.ruleset.tables[0]!.chains[0]!.rules[0]!.counters).toEqual({ packets: 0n, bytes: 0n });
    const lines = ["iptables -N FULL", "iptables -A FULL -j ACCEPT", "iptables -X"];
    const issues = issuesOf(commands(...lines));
    expect(where(issues)).toEqual([["iptables-refused", 8, 10 + lines[2]!.indexOf("-X")]]);
    expect(issues[0]!.message).toBe("iptables v1.8.9 (nf_tables):  CHAIN_DEL failed (Device or resource busy): chain FULL — it still has rules");
  });

  it("refuses what iptables-nft 1.8.9 refuses, with its words (checked on the kernel), on the command", () => {
    const lines = [
      "iptables -A INPUT -j NOSUCH",
      "iptables -D INPUT -s 10.9.9.9 -j DROP",
      "iptables -A NOSUCH -j ACCEPT",
      "iptables -A INPUT -j DNAT --to-destination 1.2.3.4",
      "iptables -N A",
      "iptables -N B",
      "iptables -A A -j B",
      "iptables -A B -j A",
      "iptables -A INPUT -j A",
      "iptables -X A",
      "iptables -I INPUT 5 -j ACCEPT",
      "iptables -t bogus -F",
      "iptables -L -n",
    ];
    const issues = issuesOf(commands(...lines));
    const at = (i: number, token: string): [string, number, number] => ["iptables-refused", 6 + i, 10 + lines[i]!.indexOf(token)];
    expect(where(issues)).toEqual([
      at(0, "-A"),
      at(1, "-D"),
      at(2, "NOSUCH"),
      at(3, "-A"),
      at(8, "-A"),
      at(9, "A"),
      at(10, "-I"),
      ["bad-value", 17, 10 + lines[11]!.indexOf("bogus")],
      ["unexpected-token", 18, 10 + lines[12]!.indexOf("-L")],
    ]);
    // An unreachable loop (A ↔ B) is accepted, as nf_tables accepts it; jumping to it from INPUT is not.
    expect(issues.map((i) => i.message)).toEqual([
      "iptables v1.8.9 (nf_tables): Chain 'NOSUCH' does not exist",
      "iptables: Bad rule (does a matching rule exist in that chain?).",
      "iptables: No chain/target/match by that name. — table filter has no chain NOSUCH",
      "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Invalid argument): rule in chain INPUT — DNAT is only valid in the nat table, not filter",
      "iptables v1.8.9 (nf_tables):  RULE_APPEND failed (Too many links): rule in chain INPUT — the jump makes a loop reachable from a built-in chain",
      "iptables v1.8.9 (nf_tables):  CHAIN_DEL failed (Device or resource busy): chain A — it still has rules",
      "iptables: Index of insertion too big.",
      "iptables: can't initialize iptables table `bogus': Table does not exist; expected raw, mangle, nat or filter",
      "iptables: expected a command that changes rules (-A, -I, -D, -F, -Z, -N, -X or -P), found \"-L\"; listing commands (-L, -S) change nothing",
    ]);
  });
});
