/**
 * Cases for the IP header filter of a rule (struct ipt_ip): `-s`, `-d` (prefixes of every
 * length, host and network, inverted with `!`), `-p` (by name, inverted), `-i` / `-o` (exact,
 * `+` wildcards, inverted; on routed, bridged and router-local paths) and `-f`.
 */
import type { NfCase, Step } from "./case.js";
import { rulesetText } from "./case.js";
import { familyGen, filterChain, hitTarget, mkCase, pad, rule } from "./gen.js";
import { CLIENT2, POD1, POD2, ROUTER_IN, ROUTER_OUT, SERVER, SERVER2, http, ping, tcp, udp } from "./probes.js";

function filterCase(name: string, exercises: readonly string[], rules: readonly string[], steps: readonly Step[]): NfCase {
  return mkCase(name, exercises, rulesetText({ filter: { rules } }), steps);
}

export function srcCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "src");
  const prefixes = ["10.0.1.2/32", "10.0.1.3/32", "10.0.1.0/24", "10.0.0.0/16", "10.0.1.2/31", "10.0.1.0/30", "10.0.1.4/30", "192.168.0.0/16"];
  return Array.from({ length: n }, (_, i) => {
    const toRouter = g.chance(0.3);
    const dst = toRouter ? ROUTER_IN : g.pick([SERVER, SERVER2]);
    const chain = filterChain("client", dst);
    const bang = g.bang();
    const r = rule(chain, { s: `${bang}${g.pick(prefixes)}` }, [], hitTarget(g));
    const steps = g.chance(0.5) ? [http("client", dst), http("client", dst, 80, CLIENT2)] : [ping("client", dst), ping("client", dst, CLIENT2)];
    return filterCase(`src-${pad(i)}`, [`${bang}-s`, chain], [r], steps);
  });
}

export function dstCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "dst");
  const toServer = ["10.0.2.2/32", "10.0.2.3/32", "10.0.2.0/24", "10.0.2.2/31", "10.0.2.0/31", "10.0.0.0/8", "10.0.1.0/24"];
  const toRouter = ["10.0.1.1/32", "10.0.2.1/32", "10.0.2.0/24", "10.0.0.0/8"];
  return Array.from({ length: n }, (_, i) => {
    const local = g.chance(0.3);
    const [a, b] = local ? [ROUTER_IN, ROUTER_OUT] : [SERVER, SERVER2];
    const chain = local ? "INPUT" : "FORWARD";
    const bang = g.bang();
    const r = rule(chain, { d: `${bang}${g.pick(local ? toRouter : toServer)}` }, [], hitTarget(g));
    const kind = g.pick(["tcp", "http", "ping"] as const);
    const probe = (dst: string): Step => (kind === "tcp" ? tcp("client", dst, 9000) : kind === "http" ? http("client", dst) : ping("client", dst));
    return filterCase(`dst-${pad(i)}`, [`${bang}-d`, chain], [r], [probe(a), probe(b)]);
  });
}

export function protoCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "proto");
  return Array.from({ length: n }, (_, i) => {
    const proto = g.pick(["tcp", "udp", "icmp"]);
    const bang = g.bang(0.4);
    const local = g.chance(0.25);
    const dst = local ? ROUTER_IN : SERVER;
    const r = rule(filterChain("client", dst), { p: `${bang}${proto}` }, [], hitTarget(g, 0.1));
    // Two of the three protocols; udp (which always waits its 1 s) in about a third of the cases.
    const probes: Step[] = [tcp("client", dst, 9000), ping("client", dst)];
    if (g.chance(0.35)) probes[g.int(0, 1)] = udp("client", dst, 5000);
    return filterCase(`proto-${pad(i)}`, [`${bang}-p ${proto}`], [r], probes);
  });
}

export function ifaceCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "iface");
  const names = ["eth1", "eth2", "eth+", "e+", "br0", "br+", "vp1", "lo"];
  return Array.from({ length: n }, (_, i) => {
    const path = g.pick(["forward", "forward", "input", "output"] as const);
    const iface = (): string => `${g.bang()}${g.pick(names)}`;
    if (path === "input") {
      const ii = iface();
      const r = rule("INPUT", { i: ii }, [], hitTarget(g));
      return filterCase(`iface-${pad(i)}`, [`${ii.startsWith("!") ? "! " : ""}-i`, "INPUT"], [r], [tcp("client", ROUTER_IN, 9000), tcp("pod1", "10.0.3.1", 9000)]);
    }
    if (path === "output") {
      const oo = iface();
      const r = rule("OUTPUT", { o: oo }, [], hitTarget(g));
      return filterCase(`iface-${pad(i)}`, [`${oo.startsWith("!") ? "! " : ""}-o`, "OUTPUT"], [r], [tcp("router", SERVER, 9000), tcp("router", POD2, 9000)]);
    }
    const h = g.pick(["i", "o", "io"] as const);
    const ii = h.includes("i") ? iface() : undefined;
    const oo = h.includes("o") ? iface() : undefined;
    const r = rule("FORWARD", { ...(ii !== undefined ? { i: ii } : {}), ...(oo !== undefined ? { o: oo } : {}) }, [], hitTarget(g));
    const ex = [...(ii !== undefined ? [`${ii.startsWith("!") ? "! " : ""}-i`] : []), ...(oo !== undefined ? [`${oo.startsWith("!") ? "! " : ""}-o`] : []), "FORWARD"];
    // client → server is eth1 → eth2; pod1 → server is br0 → eth2; pod1 → pod2 is bridged (br0 → br0).
    const second = g.pick([tcp("pod1", SERVER, 9000), tcp("pod1", POD2, 9000)]);
    return filterCase(`iface-${pad(i)}`, ex, [r], [tcp("client", SERVER, 9000), second]);
  });
}

export function fragCases(): NfCase[] {
  return [
    filterCase("frag-00", ["-f", "DROP"], [rule("FORWARD", { f: "" }, [], "-j DROP")], [tcp("client", SERVER, 9000)]),
    filterCase("frag-01", ["! -f", "REJECT"], [rule("FORWARD", { f: "!" }, [], "-j REJECT --reject-with icmp-port-unreachable")], [tcp("client", SERVER, 9000), ping("client", POD1)]),
  ];
}
