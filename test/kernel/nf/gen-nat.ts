/**
 * Cases for the NAT targets, where the listener's echo (`{peer} -> {local}`) shows the result:
 * DNAT to an address, address:port and port only, in PREROUTING and in OUTPUT (where the
 * kernel re-routes the packet), to a remote host, the router itself or a pod behind the bridge;
 * SNAT to an address and address:port, in POSTROUTING and in nat INPUT; MASQUERADE (the out
 * interface's address), with --to-ports, --random and --random-fully; REDIRECT (the incoming
 * interface's primary address, or 127.0.0.1 for the router's own traffic).
 */
import type { NfCase, Step } from "./case.js";
import { rulesetText } from "./case.js";
import { familyGen, mkCase, pad, rule } from "./gen.js";
import { POD2, ROUTER_IN, SERVER, SERVER2, http, ping, tcp, udp } from "./probes.js";

export function dnatCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "dnat");
  const tcpTargets = [SERVER2, `${SERVER2}:9001`, ":9002", `${ROUTER_IN}:9000`, `${POD2}:9000`, "10.0.2.1:2222", `${SERVER}:9001`];
  return Array.from({ length: n }, (_, i) => {
    const out = g.chance(0.3);
    const chain = out ? "OUTPUT" : "PREROUTING";
    const from = out ? "router" : "client";
    const kind = g.pick(["tcp", "tcp", "tcp", "udp", "icmp", "http"] as const);
    const ex = [`DNAT in nat ${chain}`];
    let r: string;
    let steps: Step[];
    if (kind === "udp") {
      const to = g.pick([SERVER2, `${SERVER}:5001`, `${SERVER2}:5000`]);
      r = rule(chain, { d: `${SERVER}/32`, p: "udp" }, ["-m udp --dport 5000"], `-j DNAT --to-destination ${to}`);
      steps = [udp(from, SERVER, 5000)];
      ex.push("udp");
    } else if (kind === "icmp") {
      r = rule(chain, { d: `${SERVER}/32`, p: "icmp" }, [], `-j DNAT --to-destination ${g.pick([SERVER2, POD2])}`);
      steps = [ping(from, SERVER)];
      ex.push("icmp");
    } else if (kind === "http") {
      const to = g.pick([`${SERVER2}:8080`, `${POD2}:80`, ":8080"]);
      r = rule(chain, { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 80"], `-j DNAT --to-destination ${to}`);
      steps = [http(from, SERVER), http(from, SERVER, 8080)];
    } else {
      const to = g.pick(out ? tcpTargets.filter((t) => !t.startsWith(ROUTER_IN)) : tcpTargets);
      if (to.includes(":")) ex.push(to.startsWith(":") ? "DNAT port only" : "DNAT ip:port");
      r = rule(chain, { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000"], `-j DNAT --to-destination ${to}`);
      steps = [tcp(from, SERVER, 9000), tcp(from, SERVER, 9001)];
    }
    // Sometimes a filter rule that sees the translated destination.
    const filter = g.chance(0.25) ? { filter: { rules: [rule(out ? "OUTPUT" : "FORWARD", { d: `${SERVER2}/32` }, [], "-j REJECT --reject-with icmp-host-prohibited")] } } : {};
    if ("filter" in filter) ex.push("filter after DNAT");
    return mkCase(`dnat-${pad(i)}`, ex, rulesetText({ nat: { rules: [r] }, ...filter }), steps);
  });
}

export function snatCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "snat");
  return Array.from({ length: n }, (_, i) => {
    if (i % 5 === 4) {
      // SNAT in nat INPUT: the router's own socket sees the new source.
      const to = g.pick(["10.0.1.99", "10.0.1.1", "192.0.2.7:7777"]);
      const r = rule("INPUT", { p: "tcp" }, ["-m tcp --dport 9000"], `-j SNAT --to-source ${to}`);
      return mkCase(`snat-${pad(i)}`, ["SNAT in nat INPUT"], rulesetText({ nat: { rules: [r] } }), [tcp("client", ROUTER_IN, 9000), tcp("client", ROUTER_IN, 2222)]);
    }
    const port = 6000 + i;
    const udpCase = g.chance(0.25);
    const to = g.pick(["10.0.2.1", `10.0.2.1:${port}`, `10.0.2.1:${port}`]);
    // --random-fully draws the source port (from the whole port range when none is given).
    const fully = i % 5 === 3;
    const p = to.includes(":") || fully || g.chance(0.5) ? (udpCase ? "udp" : "tcp") : undefined;
    const src = g.chance(0.4) ? { s: "10.0.1.0/24" } : {};
    const r = rule("POSTROUTING", { ...src, o: "eth2", ...(p !== undefined ? { p } : {}) }, [], `-j SNAT --to-source ${fully ? "10.0.2.1" : to}${fully ? " --random-fully" : ""}`);
    const steps: Step[] = udpCase ? [udp("client", SERVER, 5000)] : [tcp("client", SERVER, 9000), tcp("pod1", SERVER2, 9001), http("client", SERVER, 80, "10.0.1.3")];
    const ex = ["SNAT in nat POSTROUTING", ...(to.includes(":") && !fully ? ["SNAT ip:port"] : []), ...(fully ? ["SNAT --random-fully"] : [])];
    return mkCase(`snat-${pad(i)}`, ex, rulesetText({ nat: { rules: [r] } }), steps, fully ? { ports: "any" } : {});
  });
}

export function masqueradeCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "masquerade");
  return Array.from({ length: n }, (_, i) => {
    // Every option in turn, so each is covered whatever the seed.
    const opt = (["", "--to-ports", "--random", "--random-fully", ""] as const)[i % 5] ?? "";
    const toBridge = g.chance(0.25);
    const o = toBridge ? "br0" : "eth2";
    const port = 6100 + i;
    const target = opt === "" ? "-j MASQUERADE" : opt === "--to-ports" ? `-j MASQUERADE --to-ports ${port}` : `-j MASQUERADE ${opt}`;
    const p = opt === "--to-ports" ? "tcp" : undefined;
    const r = rule("POSTROUTING", { ...(g.chance(0.3) ? { s: "10.0.1.0/24" } : {}), o, ...(p !== undefined ? { p } : {}) }, [], target);
    const steps: Step[] = toBridge ? [tcp("client", POD2, 9000), http("client", POD2)] : [tcp("client", SERVER, 9000), tcp("pod1", SERVER2, 9001), ...(opt === "" && g.chance(0.4) ? [udp("client", SERVER, 5000)] : [])];
    return mkCase(`masquerade-${pad(i)}`, [`MASQUERADE${opt === "" ? "" : ` ${opt}`}`], rulesetText({ nat: { rules: [r] } }), steps, opt === "--random-fully" || opt === "--random" ? { ports: "any" } : {});
  });
}

export function redirectCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "redirect");
  return Array.from({ length: n }, (_, i) => {
    const out = i % 3 === 2;
    const chain = out ? "OUTPUT" : "PREROUTING";
    const to = g.pick(["--to-ports 2222", "--to-ports 2222", ""]);
    const httpCase = !out && g.chance(0.3);
    const r = httpCase ? rule(chain, { p: "tcp" }, ["-m tcp --dport 80"], "-j REDIRECT --to-ports 8080") : rule(chain, { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000"], `-j REDIRECT${to === "" ? "" : ` ${to}`}`);
    const from = out ? "router" : g.pick(["client", "client", "pod1"] as const);
    const steps: Step[] = httpCase ? [http("client", SERVER), http("pod1", SERVER2)] : [tcp(from, SERVER, 9000), tcp(from, SERVER2, 9000)];
    return mkCase(`redirect-${pad(i)}`, [`REDIRECT in nat ${chain}`], rulesetText({ nat: { rules: [r] } }), steps);
  });
}
