/**
 * Cases for rule traversal: user chains called with `-j` and `-g`, RETURN (from a user chain,
 * from a chain entered by goto, from a built-in chain), ACCEPT / DROP / REJECT as the end of a
 * walk, rules without a target, and built-in policies DROP with the rules that let traffic
 * through (including the ones that forget the replies).
 */
import type { NfCase, Step } from "./case.js";
import { rulesetText } from "./case.js";
import { Gen, familyGen, mkCase, pad, rule, type Header } from "./gen.js";
import { ROUTER_IN, SERVER, SERVER2, http, ping, tcp } from "./probes.js";

const CHAIN_NAMES = [["web", "KUBE-SVC-A", "X_1"], ["a-b", "zz", "KUBE-SEP-1"], ["KUBE-FW", "Chain9", "m"]] as const;

function condition(g: Gen): { h: Header; m: string[]; ex?: string } {
  const c = g.pick(["dport", "dport", "dst", "none", "icmp"] as const);
  if (c === "dport") return { h: { p: "tcp" }, m: [`-m tcp --dport ${g.pick([9000, 9001, 9002, "9000:9001"])}`] };
  if (c === "dst") return { h: { d: `${g.pick([SERVER, SERVER2])}/32` }, m: [] };
  if (c === "icmp") return { h: { p: "icmp" }, m: [] };
  return { h: {}, m: [] };
}

export function chainCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "chains");
  return Array.from({ length: n }, (_, i) => {
    const names = [...g.pick(CHAIN_NAMES)].slice(0, g.int(1, 3));
    const ex = new Set<string>(["user chain"]);
    const verdict = (): string => {
      const v = g.pick(["ACCEPT", "REJECT", "REJECT", "RETURN", "DROP", "none"] as const);
      if (v === "DROP" && !g.chance(0.4)) return "-j REJECT --reject-with icmp-port-unreachable";
      ex.add(v === "none" ? "rule without target" : v);
      if (v === "REJECT") return "-j REJECT --reject-with icmp-port-unreachable";
      return v === "none" ? "" : `-j ${v}`;
    };
    const call = (k: number): string => {
      const gotoIt = g.chance(0.35);
      ex.add(gotoIt ? "goto" : "jump");
      return `${gotoIt ? "-g" : "-j"} ${names[k] ?? ""}`;
    };
    const rules: string[] = [];
    const add = (chain: string, target: string): void => {
      const c = condition(g);
      rules.push(rule(chain, c.h, c.m, target === "" ? undefined : target));
    };
    // FORWARD calls the first chain (and maybe others); chain k may call only chains after it.
    add("FORWARD", call(0));
    if (g.chance(0.5)) add("FORWARD", g.chance(0.5) && names.length > 1 ? call(names.length - 1) : verdict());
    names.forEach((name, k) => {
      const count = g.int(0, 3);
      for (let r = 0; r < count; r++) add(name, k + 1 < names.length && g.chance(0.35) ? call(g.int(k + 1, names.length - 1)) : verdict());
    });
    if (g.chance(0.4)) add("FORWARD", verdict());
    const policyDrop = g.chance(0.15);
    if (policyDrop) {
      ex.add("policy DROP");
      rules.unshift(rule("FORWARD", {}, ["-m conntrack --ctstate RELATED,ESTABLISHED"], "-j ACCEPT"));
      rules.push(rule("FORWARD", { p: "tcp" }, ["-m tcp --dport 9000"], "-j ACCEPT"));
    }
    // iptables-save lists each chain's rules together: built-in first, then user chains by name.
    const order = ["FORWARD", ...[...names].sort()];
    const sorted = order.flatMap((c) => rules.filter((r) => r.startsWith(`-A ${c} `)));
    const tables = rulesetText({ filter: { chains: names, rules: sorted, ...(policyDrop ? { policies: { FORWARD: "DROP" } } : {}) } });
    const steps: Step[] = [tcp("client", SERVER, 9000), tcp("client", SERVER, 9001), g.pick([tcp("client", SERVER2, 9002), ping("client", SERVER2), http("client", SERVER2)])];
    return mkCase(`chains-${pad(i)}`, [...ex], tables, steps);
  });
}

export function policyCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "policy");
  return Array.from({ length: n }, (_, i) => {
    const chain = g.pick(["FORWARD", "FORWARD", "INPUT", "OUTPUT", "raw PREROUTING", "mangle FORWARD"] as const);
    const est = g.chance(0.7);
    const ex = [`policy DROP ${chain}`, ...(est ? ["conntrack ESTABLISHED accept"] : [])];
    if (chain === "raw PREROUTING" || chain === "mangle FORWARD") {
      const [table, c] = chain.split(" ") as ["raw" | "mangle", string];
      const rules = [rule(c, { p: "icmp" }, [], "-j ACCEPT"), ...(g.chance(0.5) ? [rule(c, { i: "eth2" }, [], "-j ACCEPT")] : [])];
      const text = rulesetText({ [table]: { policies: { [c]: "DROP" }, rules } });
      return mkCase(`policy-${pad(i)}`, ex.slice(0, 1), text, [ping("client", SERVER), tcp("client", SERVER, 9000)]);
    }
    const rules: string[] = [];
    if (est) rules.push(rule(chain, {}, ["-m conntrack --ctstate RELATED,ESTABLISHED"], "-j ACCEPT"));
    const open = g.pick([9000, 9001]);
    if (chain === "INPUT") rules.push(rule("INPUT", { i: "eth1", p: "tcp" }, [`-m tcp --dport ${open}`], "-j ACCEPT"));
    else if (chain === "OUTPUT") rules.push(rule("OUTPUT", { o: "eth2", p: "tcp" }, [`-m tcp --dport ${open}`], "-j ACCEPT"));
    else rules.push(rule("FORWARD", { p: "tcp" }, [`-m tcp --dport ${open}`], "-j ACCEPT"));
    if (g.chance(0.4)) rules.push(rule(chain, { p: "icmp" }, [], "-j ACCEPT"));
    const text = rulesetText({ filter: { policies: { [chain]: "DROP" }, rules } });
    const steps: Step[] =
      chain === "INPUT" ? [tcp("client", ROUTER_IN, 9000), ping("client", ROUTER_IN)]
      : chain === "OUTPUT" ? [tcp("router", SERVER, 9000), tcp("router", SERVER, 9001), tcp("client", ROUTER_IN, 9000)]
      : [tcp("client", SERVER, 9000), tcp("client", SERVER, 9001)];
    return mkCase(`policy-${pad(i)}`, ex, text, steps);
  });
}
