/**
 * Problems as data: exact codes, messages and positions, several at once, never a throw.
 * (corpus/bad holds one file per refusal the kernel makes; these are the finer points.)
 */
import { describe, expect, test } from "vitest";
import { parseIptablesSave } from "../../../src/netfilter/syntax/index.js";

function issues(text: string): string[] {
  const r = parseIptablesSave(text, "f.rules");
  return r.ok ? [] : r.issues.map((i) => `${i.at.line}:${i.at.column} ${i.code}: ${i.message}`);
}
const rule = (line: string, table = "filter"): string[] => issues(`*${table}\n:X - [0:0]\n${line}\nCOMMIT\n`);

describe("option syntax", () => {
  test("! placement", () => {
    expect(rule("-A X ! ! -s 1.2.3.4")).toEqual(["3:8 bad-invert: multiple consecutive ! not allowed"]);
    expect(rule("-A X -s 1.2.3.4 !")).toEqual(["3:17 bad-invert: nothing appropriate following !"]);
    expect(rule("-A X ! -j ACCEPT")).toEqual(["3:6 bad-invert: cannot have ! before -j"]);
    expect(rule("-A X ! -m mark --mark 1")).toEqual(["3:6 bad-invert: unexpected ! flag before --match"]);
    expect(rule("-A X -m comment ! --comment x")).toEqual(['3:19 option-not-invertible: comment: option "--comment" cannot be inverted.']);
  });

  test("arguments", () => {
    expect(rule("-A X -s")).toEqual(['3:6 missing-argument: option "-s" requires an argument']);
    expect(rule("-A X -p tcp --tcp-flags SYN")).toEqual(["3:13 missing-argument: --tcp-flags requires two args."]);
    expect(rule("-A X -p tcp --tcp-flags SYN -j ACCEPT")).toEqual(["3:13 missing-argument: --tcp-flags requires two args."]);
    expect(rule("-A X -j ACCEPT extra")).toEqual(["3:16 bad-argument: Bad argument `extra'"]);
    expect(rule("-A X -s 1.2.3.4 -s 1.2.3.5")).toEqual(["3:17 option-repeated: multiple -s flags not allowed"]);
    expect(rule("-A X -j ACCEPT -g X")).toEqual(["3:16 option-repeated: multiple -j flags not allowed"]);
  });

  test("long options: unique prefixes work, ambiguous ones are unknown", () => {
    expect(rule("-A X -p tcp --dpo 80")).toEqual([]);
    expect(rule("-A X -p tcp --d 80")).toEqual(['3:13 unknown-option: unknown option "--d"']);
    // With only multiport loaded, --dp and --dport are unique prefixes of its --dports.
    expect(rule("-A X -p tcp -m multiport --dp 80")).toEqual([]);
    expect(rule("-A X -p tcp -m multiport --dport 80 --dp 90")).toEqual(['3:37 option-repeated: multiport: option "--destination-ports" can only be used once.']);
  });

  test("modules and targets podpath does not model are named as such", () => {
    expect(rule("-A X -m limit --limit 5/s")).toEqual(["3:9 not-modelled: match `limit' is not modelled by podpath"]);
    expect(rule("-A X -j NFQUEUE --queue-num 1")).toEqual(["3:9 not-modelled: target `NFQUEUE' is not modelled by podpath"]);
    expect(rule("-A X -p tcp --tcp-option 2")).toEqual(["3:13 not-modelled: tcp: --tcp-option is not modelled by podpath"]);
    expect(rule("-A X -s 10.0.0.1,10.0.0.2")).toEqual([
      "3:9 bad-address: address lists (`10.0.0.1,10.0.0.2') are not modelled: iptables turns them into one rule per address; write one rule each",
    ]);
  });

  test("values", () => {
    expect(rule("-A X -p tcp --dport 1:2:3")).toEqual(["3:21 bad-port: invalid port/service `2:3' specified"]);
    expect(rule("-A X -p tcp --sport 9:1")).toEqual(["3:21 bad-port: invalid portrange (min > max)"]);
    expect(rule("-A X -p icmp --icmp-type echo")).toEqual(["3:26 bad-icmp-type: Ambiguous ICMP type `echo': `echo-reply' or `echo-request'?"]);
    expect(rule("-A X -m mark --mark 1/")).toEqual(['3:21 bad-mark: mark: bad integer value for option "--mark", or out of range.']);
    expect(rule("-A X -i 1234567890123456")).toEqual(["3:9 bad-interface: interface name `1234567890123456' must be shorter than IFNAMSIZ (15)"]);
    expect(rule("-A X -p foo")).toEqual(['3:9 bad-protocol: unknown protocol "foo" specified']);
    expect(rule("-A X -j LOG --log-level WARNING")).toEqual(['3:25 bad-log-level: log level "WARNING" unknown']);
  });
});

describe("chains and tables", () => {
  test("a rule in a chain that does not exist, a jump to one declared later", () => {
    expect(issues("*filter\n-A NOPE -j ACCEPT\nCOMMIT\n")).toEqual([
      "2:4 no-chain: No chain/target/match by that name: chain `NOPE' does not exist in table filter (declare it with `:NOPE - [0:0]' first)",
    ]);
    expect(issues("*nat\n-A FORWARD -j ACCEPT\nCOMMIT\n")).toEqual([
      "2:4 no-chain: No chain/target/match by that name: chain `FORWARD' does not exist in table nat (declare it with `:FORWARD - [0:0]' first)",
    ]);
  });

  test("-N of a chain that exists; -P on a user chain", () => {
    expect(issues("*filter\n:A - [0:0]\n-N A\n-P A DROP\nCOMMIT\n")).toEqual([
      "3:4 chain-exists: Chain already exists: A",
      "4:4 bad-chain: Bad built-in chain name: `A' is not a built-in chain of table filter",
    ]);
  });

  test("hook checks say where the chain is reached from", () => {
    expect(issues("*nat\n:SEP - [0:0]\n:SVC - [0:0]\n-A SVC -j SEP\n-A SEP -p tcp -j DNAT --to-destination 10.0.0.1:80\n-A OUTPUT -j SVC\n-A POSTROUTING -j SVC\nCOMMIT\n")).toEqual([
      "5:1 target-wrong-hook: DNAT is only valid in PREROUTING and OUTPUT, not POSTROUTING (reached from POSTROUTING via SVC -> SEP); the kernel refuses it (RULE_APPEND failed: Invalid argument)",
    ]);
  });

  test("a loop names its chains and the way in; depth names the path", () => {
    expect(issues("*filter\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n-A OUTPUT -j A\n-A A -j B\n-A B -j C\n-A C -g B\nCOMMIT\n")).toEqual([
      "8:1 jump-loop: jump loop in table filter: B -> C -> B, reached from OUTPUT -> A -> B; the kernel refuses a loop a built-in chain can reach (RULE_APPEND failed: Too many links)",
    ]);
  });

  test("every problem of the file at once, across tables", () => {
    expect(issues("*filter\n-A INPUT -p tcp --dport 0x10000\nCOMMIT\n*bogus\nCOMMIT\n*nat\n-A PREROUTING -j DROP\n")).toEqual([
      "2:25 bad-port: invalid port/service `0x10000' specified",
      "4:2 bad-table: table name 'bogus' invalid: expected raw, mangle, nat or filter",
      '7:18 nat-drop: The "nat" table is not intended for filtering, the use of DROP is therefore inhibited.',
      "8:1 missing-commit: COMMIT expected at line 8",
    ]);
  });

  test("lines outside a block, a table inside one", () => {
    expect(issues("COMMIT\n*filter\n*nat\nCOMMIT\n")).toEqual([
      "1:1 outside-table: line 1 failed: expected `*table' before any chain, rule or COMMIT line",
      "3:1 bad-argument: Bad argument `*nat'",
    ]);
  });

  test("counters", () => {
    expect(issues("*filter\n:INPUT ACCEPT [x:1]\n[1:y] -A INPUT\n[1 -A INPUT\n[1] -A INPUT\nCOMMIT\n")).toEqual([
      "2:15 bad-counters: invalid policy counters for chain 'INPUT': expected [packets:bytes]",
      "3:1 bad-counters: -c byte counter not numeric",
      "4:1 bad-counters: Bad line 4: need ]",
      "5:1 bad-counters: Bad line 5: need :",
    ]);
  });
});
