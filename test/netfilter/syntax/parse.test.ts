/**
 * parseIptablesSave(): the exact typed values, for the forms kube-proxy writes and the forms the
 * kernel prints back — both must give the same Rule, stored as the kernel stores it.
 */
import { describe, expect, test } from "vitest";
import { ipv4, parseIpv4 } from "../../../src/core/ip.js";
import type { Match, Rule, Ruleset, Target } from "../../../src/netfilter/rule.js";
import { ZERO_COUNTERS } from "../../../src/netfilter/rule.js";
import { parseIptablesSave } from "../../../src/netfilter/syntax/index.js";
import { tokenizeLine } from "../../../src/netfilter/syntax/tokenize.js";

const ip = (s: string): ReturnType<typeof ipv4> => parseIpv4(s) ?? ipv4(0);

function load(text: string): Ruleset {
  const r = parseIptablesSave(text, "t.rules");
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("; "));
  return r.value;
}

/** The rules of one chain, without positions. */
function rules(text: string, table = "filter", chain = "X"): Omit<Rule, "at">[] {
  const t = load(text).tables.find((x) => x.name === table);
  return (t?.chains.find((c) => c.name === chain)?.rules ?? []).map(({ at: _at, ...rest }) => rest);
}

/** One `-A X …` line in a table with user chains X and Y. */
function one(line: string, table = "filter"): Omit<Rule, "at"> {
  const r = rules(`*${table}\n:X - [0:0]\n:Y - [0:0]\n-A X ${line}\nCOMMIT\n`, table);
  if (r.length !== 1 || r[0] === undefined) throw new Error("no rule");
  return r[0];
}
const matchesOf = (line: string, table = "filter"): readonly Match[] => one(line, table).matches;
const targetOf = (line: string, table = "filter"): Target | undefined => one(line, table).target;

describe("kube-proxy's restore form and the kernel's printed form give the same Rule", () => {
  const pairs: [string, string][] = [
    [
      '-m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.100 --dport 80 ! -s 10.244.0.0/16 -j Y',
      '! -s 10.244.0.0/16 -d 10.96.0.100/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j Y',
    ],
    ["-m comment --comment default/web:http -s 10.244.1.5 -j Y", '-s 10.244.1.5/32 -m comment --comment "default/web:http" -j Y'],
    ["-m mark ! --mark 0x00004000/0x00004000 -j RETURN", "-m mark ! --mark 0x4000/0x4000 -j RETURN"],
    ["-j MARK --or-mark 0x00004000", "-j MARK --set-xmark 0x4000/0x4000"],
    ["-j MARK --xor-mark 0x00004000", "-j MARK --set-xmark 0x4000/0x0"],
    ["-m statistic --mode random --probability 0.3333333333 -j Y", "-m statistic --mode random --probability 0.33333333349 -j Y"],
    ["-m statistic --mode random --probability 0.5000000000 -j Y", "-m statistic --mode random --probability 0.50000000000 -j Y"],
    ["-m recent --name Y --set -j ACCEPT", "-m recent --set --name Y --mask 255.255.255.255 --rsource -j ACCEPT"],
    ["-m recent --name Y --rcheck --seconds 10800 --reap -j Y", "-m recent --rcheck --seconds 10800 --reap --name Y --mask 255.255.255.255 --rsource -j Y"],
    ["-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j Y", "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j Y"],
    ["-m conntrack ! --ctstate DNAT,RELATED,ESTABLISHED -j DROP", "-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP"],
  ];
  for (const [written, printed] of pairs) {
    test(written, () => {
      expect(one(written)).toEqual(one(printed));
    });
  }
  test("the REJECT default and the nat forms too", () => {
    expect(one("-m tcp -p tcp -d 10.96.0.50 --dport 80 -j REJECT")).toEqual(one("-d 10.96.0.50/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable"));
    expect(one("-m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080", "nat")).toEqual(one("-p tcp -m tcp -j DNAT --to-destination 10.244.1.5:8080", "nat"));
  });
});

describe("the values", () => {
  test("a kube-proxy service rule, field by field", () => {
    expect(one('-m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j Y')).toEqual({
      dst: { addr: ip("172.30.0.41"), len: 32, neg: false },
      proto: { proto: 6, neg: false },
      matches: [
        { module: "comment", text: "ns1/svc1:p80 cluster IP" },
        { module: "tcp", dport: { min: 80, max: 80, neg: false } },
      ],
      target: { kind: "jump", chain: "Y", goto: false },
      counters: ZERO_COUNTERS,
    });
  });

  test("addresses lose host bits; 0.0.0.0/0 is no test; dotted masks become lengths", () => {
    expect(one("-s 10.1.2.3/8").src).toEqual({ addr: ip("10.0.0.0"), len: 8, neg: false });
    expect(one("! -d 192.168.7.9/255.255.255.0").dst).toEqual({ addr: ip("192.168.7.0"), len: 24, neg: true });
    expect(one("-s 0.0.0.0/0").src).toBeUndefined();
  });

  test("interfaces: `+` is a prefix; protocols by name, number or any case; -p all is no test", () => {
    expect(one("-i veth+").inIface).toEqual({ name: "veth", wildcard: true, neg: false });
    expect(one("! -o cni0").outIface).toEqual({ name: "cni0", wildcard: false, neg: true });
    expect(one("-p UDP").proto).toEqual({ proto: 17, neg: false });
    expect(one("! -p 132").proto).toEqual({ proto: 132, neg: true });
    expect(one("-p all").proto).toBeUndefined();
    expect(one("-f").fragment).toEqual({ neg: false });
  });

  test("the implicit protocol match is loaded where its first option stands", () => {
    expect(matchesOf("-p tcp -m comment --comment a --dport 80 --sport 1:1023")).toEqual([
      { module: "comment", text: "a" },
      { module: "tcp", sport: { min: 1, max: 1023, neg: false }, dport: { min: 80, max: 80, neg: false } },
    ]);
    expect(matchesOf("-p udp ! --dport 53")).toEqual([{ module: "udp", dport: { min: 53, max: 53, neg: true } }]);
  });

  test("port ranges, names, hex and octal; 0:65535 is no test", () => {
    expect(matchesOf("-p tcp --sport :1023 --dport 0x1F90")).toEqual([
      { module: "tcp", sport: { min: 0, max: 1023, neg: false }, dport: { min: 8080, max: 8080, neg: false } },
    ]);
    expect(matchesOf("-p tcp --dport https: --sport 010")).toEqual([
      { module: "tcp", sport: { min: 8, max: 8, neg: false }, dport: { min: 443, max: 65535, neg: false } },
    ]);
    expect(matchesOf("-p tcp --dport 0:65535")).toEqual([{ module: "tcp" }]);
  });

  test("tcp flags: --syn is FIN,SYN,RST,ACK / SYN", () => {
    expect(matchesOf("-p tcp ! --syn")).toEqual([{ module: "tcp", flags: { mask: 0x17, comp: 0x02, neg: true } }]);
    expect(matchesOf("-p tcp --tcp-flags ALL NONE")).toEqual([{ module: "tcp", flags: { mask: 0x3f, comp: 0, neg: false } }]);
  });

  test("multiport and icmp", () => {
    expect(matchesOf("-p tcp -m multiport ! --dports 80,443,1000:2000")).toEqual([
      { module: "multiport", dir: "dports", ports: [{ min: 80, max: 80 }, { min: 443, max: 443 }, { min: 1000, max: 2000 }], neg: true },
    ]);
    expect(matchesOf("-p icmp --icmp-type echo-request")).toEqual([{ module: "icmp", type: 8, codeMin: 0, codeMax: 255, neg: false }]);
    expect(matchesOf("-p icmp ! --icmp-type port-unreach")).toEqual([{ module: "icmp", type: 3, codeMin: 3, codeMax: 3, neg: true }]);
    expect(matchesOf("-p icmp --icmp-type any")).toEqual([{ module: "icmp", type: 255, codeMin: 0, codeMax: 255, neg: false }]);
    expect(matchesOf("-p icmp --icmp-type 3/4")).toEqual([{ module: "icmp", type: 3, codeMin: 4, codeMax: 4, neg: false }]);
  });

  test("mark: the mask defaults to all ones and values are not masked", () => {
    expect(matchesOf("-m mark --mark 0x4000")).toEqual([{ module: "mark", value: 0x4000, mask: 0xffffffff, neg: false }]);
    expect(matchesOf("-m mark ! --mark 0x1/0x0")).toEqual([{ module: "mark", value: 1, mask: 0, neg: true }]);
  });

  test("conntrack and state keep the kernel's bit order; addresses keep what was written", () => {
    expect(matchesOf("-m conntrack --ctstate established,NEW --ctstatus NONE --ctproto udp --ctorigsrc 10.0.0.1/255.255.0.0 --ctrepldstport 80:90 --ctdir reply")).toEqual([
      {
        module: "conntrack",
        ctstate: { values: ["NEW", "ESTABLISHED"], neg: false },
        ctstatus: { values: ["NONE"], neg: false },
        ctproto: { proto: 17, neg: false },
        ctorigsrc: { addr: ip("10.0.0.0"), len: 16, neg: false, written: ip("10.0.0.1") },
        ctrepldstport: { min: 80, max: 90, neg: false },
        ctdir: "REPLY",
      },
    ]);
    expect(matchesOf("-m state ! --state ESTABLISHED,INVALID")).toEqual([{ module: "state", states: { values: ["INVALID", "ESTABLISHED"], neg: true } }]);
  });

  test("addrtype lists are kept in bit order", () => {
    expect(matchesOf("-m addrtype --src-type local,UNICAST ! --dst-type BROADCAST --limit-iface-in")).toEqual([
      { module: "addrtype", srcType: { values: ["UNICAST", "LOCAL"], neg: false }, dstType: { values: ["BROADCAST"], neg: true }, limitIfaceIn: true, limitIfaceOut: false },
    ]);
  });

  test("statistic: the kernel's 31-bit fixed point, lround(p * 2^31)", () => {
    const p = (text: string): number => {
      const m = matchesOf(`-m statistic --mode random --probability ${text}`)[0];
      return m?.module === "statistic" && m.mode === "random" ? m.probability : -1;
    };
    expect(p("0.3333333333")).toBe(715827883);
    expect(p("0.33333333349")).toBe(715827883);
    expect(p("0.5")).toBe(0x40000000);
    expect(p("1")).toBe(0x80000000);
    expect(p("0")).toBe(0);
    expect(p("0.0004882812")).toBe(p("0.0004882813"));
    expect(matchesOf("-m statistic --mode nth ! --every 3 --packet 2")).toEqual([{ module: "statistic", mode: "nth", every: 3, packet: 2, neg: true }]);
  });

  test("recent: defaults DEFAULT, 255.255.255.255, rsource; the last side given wins", () => {
    expect(matchesOf("-m recent --set")).toEqual([
      { module: "recent", cmd: "set", name: "DEFAULT", reap: false, rttl: false, side: "rsource", mask: ip("255.255.255.255"), neg: false },
    ]);
    expect(matchesOf("-m recent ! --update --seconds 60 --hitcount 4 --rttl --name ssh --rsource --rdest --mask 255.255.0.0")).toEqual([
      { module: "recent", cmd: "update", name: "ssh", seconds: 60, hitcount: 4, reap: false, rttl: true, side: "rdest", mask: ip("255.255.0.0"), neg: true },
    ]);
  });

  test("physdev", () => {
    expect(matchesOf("-m physdev ! --physdev-in veth+ --physdev-is-bridged")).toEqual([
      { module: "physdev", physdevIn: { name: "veth", wildcard: true, neg: true }, isBridged: true },
    ]);
  });
});

describe("targets", () => {
  test("MARK forms become (value, mask) as libxt_MARK computes them", () => {
    expect(targetOf("-j MARK --set-xmark 0x10")).toEqual({ kind: "MARK", value: 0x10, mask: 0xffffffff });
    expect(targetOf("-j MARK --set-mark 0x10/0xf")).toEqual({ kind: "MARK", value: 0x10, mask: 0x1f });
    expect(targetOf("-j MARK --and-mark 0xffff")).toEqual({ kind: "MARK", value: 0, mask: 0xffff0000 });
    expect(targetOf("-j MARK --or-mark 0x00004000")).toEqual({ kind: "MARK", value: 0x4000, mask: 0x4000 });
    expect(targetOf("-j MARK --xor-mark 0x00004000")).toEqual({ kind: "MARK", value: 0x4000, mask: 0 });
    expect(targetOf("-j CONNMARK --set-mark 1")).toEqual({ kind: "CONNMARK", op: "set-xmark", value: 1, mask: 0xffffffff });
  });

  test("REJECT names, aliases and prefixes normalise to the printed names", () => {
    expect(targetOf("-j REJECT")).toEqual({ kind: "REJECT", with: "icmp-port-unreachable" });
    expect(targetOf("-j REJECT --reject-with icmp-port-unreach")).toEqual({ kind: "REJECT", with: "icmp-port-unreachable" });
    expect(targetOf("-j REJECT --reject-with host-prohib")).toEqual({ kind: "REJECT", with: "icmp-host-prohibited" });
    expect(targetOf("-p tcp -j REJECT --reject-with tcp-rst")).toEqual({ kind: "REJECT", with: "tcp-reset" });
    expect(targetOf("-j REJECT --reject-with ICMP-ADMIN")).toEqual({ kind: "REJECT", with: "icmp-admin-prohibited" });
  });

  test("NAT targets", () => {
    expect(targetOf("-p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.3:80-90 --random --persistent", "nat")).toEqual({
      kind: "DNAT", to: { minIp: ip("10.0.0.1"), maxIp: ip("10.0.0.3"), minPort: 80, maxPort: 90 }, random: true, persistent: true,
    });
    expect(targetOf("-p udp -j DNAT --to-destination :53", "nat")).toEqual({ kind: "DNAT", to: { minPort: 53, maxPort: 53 }, random: false, persistent: false });
    expect(targetOf("-j SNAT --to-source 1.2.3.4 --random-fully", "nat")).toEqual({
      kind: "SNAT", to: { minIp: ip("1.2.3.4"), maxIp: ip("1.2.3.4") }, random: false, randomFully: true, persistent: false,
    });
    expect(targetOf("-j MASQUERADE --random-fully", "nat")).toEqual({ kind: "MASQUERADE", random: false, randomFully: true });
    expect(targetOf("-p tcp -j REDIRECT --to-ports 8080-8090", "nat")).toEqual({ kind: "REDIRECT", toPorts: { min: 8080, max: 8090 }, random: false });
  });

  test("LOG: level 4 is the default and not stored; the prefix is cut to 29", () => {
    expect(targetOf("-j LOG --log-level warning")).toEqual({ kind: "LOG" });
    expect(targetOf("-j LOG --log-level debug --log-prefix 1234567890123456789012345678901")).toEqual({ kind: "LOG", prefix: "12345678901234567890123456789", level: 7 });
  });

  test("verdicts, jumps, gotos, rules without a target", () => {
    expect(targetOf("-j ACCEPT")).toEqual({ kind: "ACCEPT" });
    expect(targetOf("-g Y")).toEqual({ kind: "jump", chain: "Y", goto: true });
    expect(targetOf("-p tcp")).toBeUndefined();
  });
});

describe("file structure", () => {
  const rs = load(
    [
      "# a comment",
      "",
      "*nat",
      ":POSTROUTING ACCEPT [7:700]",
      ":zeta - [0:0]",
      ":Alpha - [5:5]",
      "[1:60] -A POSTROUTING -j zeta",
      "COMMIT",
      "*filter",
      "-N LATER",
      "-P FORWARD DROP",
      "-A INPUT -j LATER",
      "-I INPUT -j ACCEPT",
      "COMMIT",
    ].join("\n"),
  );

  test("tables in file order; built-ins first with their policies, user chains sorted (strcmp), no counters for them", () => {
    expect(rs.tables.map((t) => t.name)).toEqual(["nat", "filter"]);
    const nat = rs.tables[0];
    expect(nat?.chains.map((c) => [c.name, c.builtin, c.policy, c.counters])).toEqual([
      ["PREROUTING", true, "ACCEPT", ZERO_COUNTERS],
      ["INPUT", true, "ACCEPT", ZERO_COUNTERS],
      ["OUTPUT", true, "ACCEPT", ZERO_COUNTERS],
      ["POSTROUTING", true, "ACCEPT", { packets: 7n, bytes: 700n }],
      ["Alpha", false, undefined, ZERO_COUNTERS],
      ["zeta", false, undefined, ZERO_COUNTERS],
    ]);
    expect(nat?.chains[3]?.rules[0]?.counters).toEqual({ packets: 1n, bytes: 60n });
  });

  test("-N, -P and -I", () => {
    const filter = rs.tables[1];
    expect(filter?.chains.find((c) => c.name === "FORWARD")?.policy).toBe("DROP");
    expect(filter?.chains.find((c) => c.name === "INPUT")?.rules.map((r) => r.target)).toEqual([{ kind: "ACCEPT" }, { kind: "jump", chain: "LATER", goto: false }]);
  });

  test("positions: the table, each chain's declaration, each rule's -A", () => {
    expect(rs.tables[0]?.at).toEqual({ file: "t.rules", line: 3, column: 2 });
    expect(rs.tables[0]?.chains[5]?.at).toEqual({ file: "t.rules", line: 5, column: 2 });
    expect(rs.tables[0]?.chains[3]?.rules[0]?.at).toEqual({ file: "t.rules", line: 7, column: 8 });
  });

  test("an empty block creates no table", () => {
    expect(load("*raw\nCOMMIT\n*mangle\n:INPUT ACCEPT [0:0]\nCOMMIT").tables.map((t) => t.name)).toEqual(["mangle"]);
  });

  test("COMMIT without a final newline", () => {
    expect(load("*filter\n-A INPUT -j ACCEPT\nCOMMIT").tables.length).toBe(1);
  });
});

describe("the tokenizer (add_param_to_argv)", () => {
  const texts = (line: string): string[] => tokenizeLine(line, "f", 1).map((t) => t.text);

  test("quotes group, backslash escapes inside them, a closing quote ends the argument", () => {
    expect(texts('-m comment --comment "a \\"b\\" c"  -j X')).toEqual(["-m", "comment", "--comment", 'a "b" c', "-j", "X"]);
    expect(texts('ab"c d"e')).toEqual(["abc d", "e"]);
    expect(texts('--comment ""')).toEqual(["--comment", ""]);
    expect(texts("a\\b \t c")).toEqual(["a\\b", "c"]);
    expect(texts('--comment "unterminated quote')).toEqual(["--comment", "unterminated quote"]);
  });

  test("each argument keeps the column where it starts", () => {
    expect(tokenizeLine('-A X  "q r" s', "f", 4, 7).map((t) => [t.text, t.at.column])).toEqual([
      ["-A", 7],
      ["X", 10],
      ["q r", 13],
      ["s", 19],
    ]);
  });
});
