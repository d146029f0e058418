/**
 * The engine in the packet path, on a client — router — server world (scenarios/lowlevel/
 * ip-forward-off.yaml with forwarding turned on and a ruleset on the router). Expected texts are
 * what Linux 6.18 with iptables-nft printed for the same rules (checked by hand in namespaces;
 * test/kernel/nf/ repeats such checks as generated differential cases).
 */
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { simulate } from "../../src/sim/exec.js";
import { parseIpv4 } from "../../src/core/ip.js";
import type { Chain, Rule, Ruleset, Target, TableName } from "../../src/netfilter/rule.js";
import { ZERO_COUNTERS } from "../../src/netfilter/rule.js";

const ip = (s: string) => parseIpv4(s)!;
const VIP = ip("10.96.0.50");
const builtin = (name: string, rules: Rule[], policy: "ACCEPT" | "DROP" = "ACCEPT"): Chain => ({ name, builtin: true, policy, counters: ZERO_COUNTERS, rules });
const r = (x: Partial<Rule> & { target?: Target }): Rule => ({ matches: [], counters: ZERO_COUNTERS, ...x });
const table = (name: TableName, chains: Chain[]) => ({ name, chains });

const dnatToServer = (port: number): Rule =>
  r({ dst: { addr: VIP, len: 32, neg: false }, proto: { proto: 6, neg: false }, target: { kind: "DNAT", to: { minIp: ip("10.0.2.2"), maxIp: ip("10.0.2.2"), minPort: port, maxPort: port }, random: false, persistent: false } });
const dnatIcmp = r({ dst: { addr: VIP, len: 32, neg: false }, proto: { proto: 1, neg: false }, target: { kind: "DNAT", to: { minIp: ip("10.0.2.2"), maxIp: ip("10.0.2.2") }, random: false, persistent: false } });

function nat(post: Rule[] = []) {
  return table("nat", [builtin("PREROUTING", [dnatToServer(80), dnatIcmp]), builtin("INPUT", []), builtin("OUTPUT", []), builtin("POSTROUTING", post)]);
}
const masquerade = r({ outIface: { name: "eth1", wildcard: false, neg: false }, target: { kind: "MASQUERADE", random: false, randomFully: false } });

function world(rs: Ruleset, serverBody = "server\n"): WorldSpec {
  const loaded = loadScenarioFile("scenarios/lowlevel/ip-forward-off.yaml");
  if (!loaded.ok) throw new Error("scenario");
  return {
    ...loaded.value,
    namespaces: loaded.value.namespaces.map((n) => {
      if (n.name === "router") return { ...n, sysctls: { "net.ipv4.ip_forward": "1" }, iptables: { ruleset: rs, text: "", file: "test" } };
      if (n.name === "server") return { ...n, listeners: n.listeners.map((l) => ({ ...l, body: serverBody })) };
      return n;
    }),
  };
}

const run = (rs: Ruleset, ns: string, cmd: string, body?: string) => simulate(world(rs, body), ns, cmd, { seed: "1" }).result;

describe("NAT through a router", () => {
  it("DNAT to a server, MASQUERADE on the way out: the server sees the router's address", () => {
    const res = run({ tables: [nat([masquerade])] }, "client", "curl -sS http://10.96.0.50", "{peer_ip} -> {local}\n");
    expect(res).toEqual({ stdout: "10.0.2.1 -> 10.0.2.2:80\n", stderr: "", exitCode: 0 });
  });

  it("DNAT without MASQUERADE: the server sees the client, and the reply is un-DNATed on its way back", () => {
    const res = run({ tables: [nat()] }, "client", "curl -sS http://10.96.0.50", "{peer_ip} -> {local}\n");
    expect(res).toEqual({ stdout: "10.0.1.2 -> 10.0.2.2:80\n", stderr: "", exitCode: 0 });
  });

  it("a closed DNAT target port: the server's reset is un-DNATed, curl sees connection refused", () => {
    const res = run({ tables: [table("nat", [builtin("PREROUTING", [dnatToServer(81)]), builtin("INPUT", []), builtin("OUTPUT", []), builtin("POSTROUTING", [])])] }, "client", "curl -sS http://10.96.0.50");
    expect(res.exitCode).toBe(7);
    expect(res.stderr).toBe("curl: (7) Failed to connect to 10.96.0.50 port 80 after 0 ms: Couldn't connect to server\n");
  });
});

describe("REJECT after DNAT (the error belongs to the connection before it is confirmed)", () => {
  const rejecting = (w: string): Ruleset => ({ tables: [nat(), table("filter", [builtin("INPUT", []), builtin("FORWARD", [r({ target: { kind: "REJECT", with: w as "tcp-reset" } })]), builtin("OUTPUT", [])])] });

  it("icmp-port-unreachable: ping reports it from the service address, as the kernel does", () => {
    const res = run(rejecting("icmp-port-unreachable"), "client", "ping -c 1 -W 1 10.96.0.50");
    expect(res.stdout).toContain("From 10.96.0.50 icmp_seq=1 Destination Port Unreachable\n");
    expect(res.exitCode).toBe(1);
  });

  it("icmp-port-unreachable and tcp-reset: curl fails at once with exit 7", () => {
    for (const w of ["icmp-port-unreachable", "tcp-reset", "icmp-host-unreachable"]) {
      const res = run(rejecting(w), "client", "curl -sS http://10.96.0.50");
      expect(res.exitCode).toBe(7);
    }
    expect(run(rejecting("icmp-host-unreachable"), "client", "curl -v -sS http://10.96.0.50").stderr).toContain("* connect to 10.96.0.50 port 80 failed: No route to host\n");
    expect(run(rejecting("tcp-reset"), "client", "curl -v -sS http://10.96.0.50").stderr).toContain("* connect to 10.96.0.50 port 80 failed: Connection refused\n");
  });
});

describe("conntrack state in filter", () => {
  const stateful = (allowNew: boolean): Ruleset => ({
    tables: [
      table("filter", [
        builtin("INPUT", []),
        builtin(
          "FORWARD",
          [
            r({ matches: [{ module: "conntrack", ctstate: { values: ["ESTABLISHED", "RELATED"], neg: false } }], target: { kind: "ACCEPT" } }),
            ...(allowNew ? [r({ proto: { proto: 6, neg: false }, matches: [{ module: "conntrack", ctstate: { values: ["NEW"], neg: false } }, { module: "tcp", dport: { min: 80, max: 80, neg: false } }], target: { kind: "ACCEPT" } })] : []),
          ],
          "DROP",
        ),
        builtin("OUTPUT", []),
      ]),
    ],
  });

  it("NEW allowed to port 80 and ESTABLISHED back: the request goes through", () => {
    expect(run(stateful(true), "client", "curl -sS http://10.0.2.2").stdout).toBe("server\n");
  });

  it("without the NEW rule the SYN meets the DROP policy: curl times out", () => {
    const res = run(stateful(false), "client", "curl -sS -m 2 http://10.0.2.2");
    expect(res.exitCode).toBe(28);
  });
});
