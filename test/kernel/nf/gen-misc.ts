/**
 * Cases for the remaining matches: `comment`, `addrtype` (--src-type / --dst-type with
 * --limit-iface-in/out, in filter and in nat as kube-proxy uses it), `statistic` (--mode nth over
 * several connections in a row; --mode random with probability 0 and 1, whose outcome is
 * certain), `recent` (--set, then --rcheck / --update with --seconds, --hitcount, --reap,
 * --rttl, --mask, --rsource / --rdest, --remove, from two client addresses) and `physdev`
 * (bridged pod↔pod and routed pod→server traffic through br_netfilter).
 */
import type { NfCase, Step } from "./case.js";
import { rulesetText } from "./case.js";
import { familyGen, hitTarget, mkCase, pad, rule } from "./gen.js";
import { CLIENT2, POD2, ROUTER_BR, ROUTER_IN, ROUTER_OUT, SERVER, SERVER2, http, ping, tcp } from "./probes.js";

export function commentCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "comment");
  const texts = ["nospace", '"allow web"', '"default/web:http cluster IP"', '"-j DROP"', '"ns/svc: a, b"'];
  return Array.from({ length: n }, (_, i) => {
    const c = `-m comment --comment ${g.pick(texts)}`;
    const withPort = g.chance(0.6);
    const r = withPort ? rule("FORWARD", { p: "tcp" }, [c, `-m tcp --dport ${g.pick([9000, 9001])}`], hitTarget(g, 0)) : rule("FORWARD", { d: `${g.pick([SERVER, SERVER2])}/32` }, [c], hitTarget(g, 0));
    return mkCase(`comment-${pad(i)}`, ["comment"], rulesetText({ filter: { rules: [r] } }), [tcp("client", SERVER, 9000), tcp("client", SERVER2, 9001)]);
  });
}

export function addrtypeCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "addrtype");
  const types = ["LOCAL", "UNICAST", "BROADCAST", "MULTICAST", "LOCAL,BROADCAST", "UNREACHABLE"];
  return Array.from({ length: n }, (_, i) => {
    const where = g.pick(["INPUT", "FORWARD", "OUTPUT", "nat PREROUTING", "nat OUTPUT"] as const);
    const m: string[] = [];
    const ex: string[] = [];
    const src = g.chance(0.4);
    const dst = !src || g.chance(0.4);
    if (src) {
      const b = g.bang(0.25);
      m.push(`${b}--src-type ${g.pick(types)}`);
      ex.push(`addrtype ${b}--src-type`);
    }
    if (dst) {
      const b = g.bang(0.25);
      m.push(`${b}--dst-type ${g.pick(types)}`);
      ex.push(`addrtype ${b}--dst-type`);
    }
    const inbound = where === "INPUT" || where === "FORWARD" || where === "nat PREROUTING";
    if (g.chance(0.4)) {
      m.push(inbound ? "--limit-iface-in" : "--limit-iface-out");
      ex.push(inbound ? "addrtype --limit-iface-in" : "addrtype --limit-iface-out");
    }
    const isNat = where.startsWith("nat ");
    const chain = isNat ? where.slice(4) : where;
    // In nat, a hit redirects the connection to the router's tcp 2222 listener (the echo shows it).
    const target = isNat ? "-j DNAT --to-destination 10.0.2.1:2222" : hitTarget(g, 0.1);
    const r = rule(chain, { p: "tcp" }, ["-m addrtype", ...m], target);
    const steps: Step[] =
      chain === "OUTPUT" ? [tcp("router", SERVER, 9000), tcp("router", ROUTER_BR, 9000)]
      : chain === "FORWARD" ? [tcp("client", SERVER, 9000), tcp("pod1", SERVER2, 9000)]
      : [tcp("client", ROUTER_IN, 9000), tcp("client", ROUTER_OUT, 9000), ...(isNat ? [tcp("client", SERVER, 9000)] : [])];
    return mkCase(`addrtype-${pad(i)}`, [...ex, where, ...(isNat ? ["DNAT"] : [])], rulesetText(isNat ? { nat: { rules: [r] } } : { filter: { rules: [r] } }), steps);
  });
}

export function statisticCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "statistic");
  return Array.from({ length: n }, (_, i) => {
    if (i % 5 === 4) {
      // --mode random with a certain outcome: probability 0 never matches, 1 always does.
      const p = g.pick(["0.00000000000", "1.00000000000"]);
      const b = g.bang(0.3);
      const r = rule("PREROUTING", { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000", "-m statistic --mode random", `${b}--probability ${p}`], `-j DNAT --to-destination ${SERVER2}:9002`);
      return mkCase(`statistic-${pad(i)}`, [`statistic --mode random ${b}--probability ${p}`, "DNAT"], rulesetText({ nat: { rules: [r] } }), [tcp("client", SERVER, 9000), tcp("client", SERVER, 9000)]);
    }
    const every = g.pick([2, 3]);
    const packet = g.int(0, every - 1);
    const b = g.bang(0.2);
    const nth = ["-m statistic --mode nth", `${b}--every ${every} --packet ${packet}`];
    const conns = g.int(3, 4);
    if (g.chance(0.6)) {
      // In nat only the first packet of each connection is counted: connection k goes to 9002 when k ≡ packet (mod every).
      const r = rule("PREROUTING", { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000", ...nth], `-j DNAT --to-destination ${SERVER2}:9002`);
      return mkCase(`statistic-${pad(i)}`, [`statistic --mode nth ${b}--every`, "nat PREROUTING", "DNAT"], rulesetText({ nat: { rules: [r] } }), Array.from({ length: conns }, () => tcp("client", SERVER, 9000)));
    }
    // In filter every packet counts; only SYNs reach this rule, so it still counts connections.
    const r = rule("FORWARD", { p: "tcp" }, ["-m tcp --tcp-flags FIN,SYN,RST,ACK SYN", ...nth], "-j REJECT --reject-with tcp-reset");
    return mkCase(`statistic-${pad(i)}`, [`statistic --mode nth ${b}--every`, "FORWARD", "REJECT tcp-reset"], rulesetText({ filter: { rules: [r] } }), Array.from({ length: conns }, (_, k) => tcp("client", k % 2 ? SERVER2 : SERVER, 9000)));
  });
}

export function recentCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "recent");
  const SYN = "-m tcp --tcp-flags FIN,SYN,RST,ACK SYN";
  return Array.from({ length: n }, (_, i) => {
    const name = g.pick(["knock", "seen", "DEFAULT"]);
    const side = g.pick(["--rsource", "--rsource", "--rdest"]);
    const mask = g.chance(0.3) ? "255.255.255.0" : "255.255.255.255";
    const tail = `--name ${name} --mask ${mask} ${side}`;
    const cmd = g.pick(["--rcheck", "--update"]);
    const opts: string[] = [cmd];
    const ex = ["recent --set", `recent ${cmd}`];
    if (g.chance(0.6)) {
      opts.push("--seconds 60");
      ex.push("recent --seconds");
      if (g.chance(0.4)) {
        opts.push("--reap");
        ex.push("recent --reap");
      }
    }
    if (g.chance(0.35)) {
      opts.push(`--hitcount ${g.pick([2, 3])}`);
      ex.push("recent --hitcount");
    }
    if (g.chance(0.2)) {
      opts.push("--rttl");
      ex.push("recent --rttl");
    }
    const b = g.bang(0.35);
    // Knocking on 9001 or 8080 records the address; 9000 and 80 are guarded; 9002 forgets it.
    const rules = [
      rule("FORWARD", { p: "tcp" }, [SYN, "-m multiport --dports 9001,8080", `-m recent --set ${tail}`]),
      rule("FORWARD", { p: "tcp" }, [SYN, "-m multiport --dports 9000,80", `-m recent ${b}${opts.join(" ")} ${tail}`], "-j REJECT --reject-with tcp-reset"),
    ];
    if (g.chance(0.3)) {
      // One tcp match holding both tests, as iptables-nft merges (and prints) them.
      rules.push(rule("FORWARD", { p: "tcp" }, ["-m tcp --dport 9002 --tcp-flags FIN,SYN,RST,ACK SYN", `-m recent --remove ${tail}`]));
      ex.push("recent --remove");
    }
    const pool: Step[] = [tcp("client", SERVER, 9000), tcp("client", SERVER, 9001), tcp("client", SERVER, 9002), http("client", SERVER, 80, CLIENT2), http("client", SERVER, 8080, CLIENT2)];
    const steps = Array.from({ length: g.int(3, 5) }, () => g.pick(pool));
    return mkCase(`recent-${pad(i)}`, [...ex, b ? "recent !" : "recent"], rulesetText({ filter: { rules } }), steps);
  });
}

export function physdevCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "physdev");
  // The kernel refuses --physdev-out / --physdev-is-out in FORWARD unless the rule is limited to bridged traffic.
  const opts = ["--physdev-in vp1", "--physdev-in vp2", "--physdev-in vp+", "--physdev-out vp2 --physdev-is-bridged", "--physdev-in vp1 --physdev-out vp2 --physdev-is-bridged", "--physdev-is-in", "--physdev-is-out --physdev-is-bridged", "--physdev-is-bridged"];
  return Array.from({ length: n }, (_, i) => {
    const o = g.pick(opts);
    const b = o === "--physdev-is-in" || o === "--physdev-is-bridged" ? g.bang(0.4) : "";
    const r = rule("FORWARD", {}, ["-m physdev", `${b}${o}`], hitTarget(g, 0.2));
    // pod1 → pod2 is bridged (vp1 → vp2); pod1 → server is routed out of the bridge; client → pod2 is routed into it.
    const steps: Step[] = [tcp("pod1", POD2, 9000), g.pick([tcp("pod1", SERVER, 9000), tcp("client", POD2, 9000), ping("pod2", "10.0.3.2")])];
    return mkCase(`physdev-${pad(i)}`, [`physdev ${b}${o.split(" ")[0] ?? ""}`], rulesetText({ filter: { rules: [r] } }), steps);
  });
}
