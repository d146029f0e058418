/**
 * Cases for the non-NAT targets: REJECT with every --reject-with (on tcp, udp and icmp probes,
 * in FORWARD, INPUT and OUTPUT — what curl, nc and ping then print), LOG (no effect on the
 * verdict), NOTRACK / CT --notrack (then --ctstate UNTRACKED, and NAT not applied), CONNMARK
 * and TRACE (no effect on what the tools see).
 */
import type { NfCase, Step } from "./case.js";
import { rulesetText } from "./case.js";
import { familyGen, hitTarget, mkCase, pad, rule } from "./gen.js";
import { CLOSED_TCP, ROUTER_IN, ROUTER_OUT, SERVER, SERVER2, http, ping, tcp, udp } from "./probes.js";

const REJECT_WITH = ["icmp-net-unreachable", "icmp-host-unreachable", "icmp-port-unreachable", "icmp-proto-unreachable", "icmp-net-prohibited", "icmp-host-prohibited", "icmp-admin-prohibited", "tcp-reset"] as const;

export function rejectCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "reject");
  return Array.from({ length: n }, (_, i) => {
    const w = REJECT_WITH[i % REJECT_WITH.length] ?? "icmp-port-unreachable";
    const chain = g.pick(["FORWARD", "FORWARD", "INPUT", "OUTPUT"] as const);
    const from = chain === "OUTPUT" ? "router" : "client";
    const dst = chain === "INPUT" ? g.pick([ROUTER_IN, ROUTER_OUT]) : g.pick([SERVER, SERVER2]);
    const isTcp = w === "tcp-reset" || g.chance(0.5);
    const r = rule(chain, { ...(isTcp ? { p: "tcp" } : {}) }, [], `-j REJECT --reject-with ${w}`);
    const steps: Step[] = isTcp
      ? [tcp(from, dst, 9000), http(from, dst)]
      : [g.chance(0.5) ? ping(from, dst) : udp(from, dst, 5000), tcp(from, dst, g.pick([9000, CLOSED_TCP]))];
    return mkCase(`reject-${pad(i)}`, [`REJECT ${w}`, chain], rulesetText({ filter: { rules: [r] } }), steps);
  });
}

export function logCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "log");
  const logs = ["-j LOG", '-j LOG --log-prefix "nf: "', "-j LOG --log-level 7", '-j LOG --log-prefix "drop " --log-level 6'];
  return Array.from({ length: n }, (_, i) => {
    const chain = g.pick(["FORWARD", "INPUT"] as const);
    const dst = chain === "INPUT" ? ROUTER_IN : SERVER;
    const rules = [rule(chain, {}, [], g.pick(logs)), ...(g.chance(0.5) ? [rule(chain, { p: "tcp" }, ["-m tcp --dport 9001"], hitTarget(g, 0))] : [])];
    const table = g.chance(0.3) ? "mangle" : "filter";
    const tables = table === "mangle" ? { mangle: { rules: [rules[0] ?? ""] }, filter: { rules: rules.slice(1) } } : { filter: { rules } };
    return mkCase(`log-${pad(i)}`, ["LOG", `LOG in ${table}`], rulesetText(tables), [tcp("client", dst, 9000), tcp("client", dst, 9001)]);
  });
}

export function notrackCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "notrack");
  return Array.from({ length: n }, (_, i) => {
    const out = i % 4 === 3;
    const chain = out ? "OUTPUT" : "PREROUTING";
    const target = g.pick(["-j NOTRACK", "-j CT --notrack"]);
    const h = out ? { p: "tcp" } : g.pick([{ p: "tcp" }, { i: "eth1" }, { d: `${SERVER}/32` }]);
    const raw = [rule(chain, h, [], target)];
    const nat = g.chance(0.6) ? [rule(out ? "OUTPUT" : "PREROUTING", { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000"], `-j DNAT --to-destination ${SERVER2}:9001`)] : [];
    const check = g.pick(["-m conntrack --ctstate UNTRACKED", "-m state --state UNTRACKED", "-m conntrack ! --ctstate UNTRACKED", "-m conntrack --ctstate INVALID"]);
    const filter = g.chance(0.7) ? [rule(out ? "OUTPUT" : "FORWARD", { p: "tcp" }, [check, "-m tcp --dport 9001"], "-j REJECT --reject-with tcp-reset")] : [];
    const from = out ? "router" : "client";
    const steps: Step[] = [tcp(from, SERVER, 9000), tcp(from, SERVER, 9001), ...(out ? [] : [ping(from, SERVER)])];
    const tables = { raw: { rules: raw }, ...(nat.length ? { nat: { rules: nat } } : {}), ...(filter.length ? { filter: { rules: filter } } : {}) };
    return mkCase(`notrack-${pad(i)}`, [target.slice(3), `raw ${chain}`, ...(nat.length ? ["DNAT not applied"] : []), ...(filter.length ? [check.replace(/^-m /, "")] : [])], rulesetText(tables), steps);
  });
}

export function markerCases(): NfCase[] {
  return [
    mkCase("connmark-00", ["CONNMARK --set-xmark"], rulesetText({ mangle: { rules: [rule("PREROUTING", {}, [], "-j CONNMARK --set-xmark 0x7/0xffffffff")] } }), [tcp("client", SERVER, 9000)]),
    mkCase("connmark-01", ["CONNMARK --set-xmark", "mark"], rulesetText({ mangle: { rules: [rule("PREROUTING", { p: "tcp" }, [], "-j CONNMARK --set-xmark 0x1/0xf")] }, filter: { rules: [rule("FORWARD", {}, ["-m mark --mark 0x1"], "-j REJECT --reject-with icmp-port-unreachable")] } }), [tcp("client", SERVER, 9000)], { note: "CONNMARK sets the connection's mark, not the packet's: -m mark does not see it" }),
    mkCase("trace-00", ["TRACE"], rulesetText({ raw: { rules: [rule("PREROUTING", { p: "tcp" }, [], "-j TRACE")] } }), [tcp("client", SERVER2, 9002)]),
    mkCase("trace-01", ["TRACE"], rulesetText({ raw: { rules: [rule("OUTPUT", {}, [], "-j TRACE")] } }), [tcp("router", SERVER, 9000)]),
  ];
}
