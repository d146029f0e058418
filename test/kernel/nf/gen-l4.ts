/**
 * Cases for the layer-4 matches: `tcp` (--sport/--dport single, range, open-ended, inverted;
 * --tcp-flags and --syn), `udp` (--sport/--dport), `multiport` (--dports/--sports/--ports with
 * ranges, inverted) and `icmp` (--icmp-type by number, type/code, `any`, inverted), each on
 * both directions of a flow (a --sport 9000 rule sees the server's SYN-ACK, not the SYN).
 */
import type { NfCase, Step } from "./case.js";
import { rulesetText } from "./case.js";
import { familyGen, hitTarget, mkCase, pad, rule } from "./gen.js";
import { CLOSED_TCP, CLOSED_UDP, ROUTER_IN, SERVER, SERVER2, http, ping, tcp, udp, zudp } from "./probes.js";

function filterCase(name: string, exercises: readonly string[], rules: readonly string[], steps: readonly Step[]): NfCase {
  return mkCase(name, exercises, rulesetText({ filter: { rules } }), steps);
}

const TCP_PORTS = [9000, 9001, 9002, CLOSED_TCP] as const;

export function tcpCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "tcp");
  const dports = ["9000", "9001", "9000:9001", "9001:9002", "0:9000", "9002:65535", "80", "8000:8999"];
  // Source ports: never a range that splits the ephemeral range (32768-60999), whose draw differs run to run.
  const sports = ["32768:60999", "1024:65535", "0:1023", "0:32767", "9000", "9000:9002", "80"];
  const flags = ["FIN,SYN,RST,ACK SYN", "SYN,ACK SYN,ACK", "RST RST", "FIN FIN", "FIN,SYN,RST,PSH,ACK,URG NONE", "ACK ACK"];
  return Array.from({ length: n }, (_, i) => {
    const what = g.pick(["dport", "dport", "sport", "both", "flags"] as const);
    const m: string[] = [];
    const ex: string[] = [];
    if (what === "sport" || what === "both") {
      const b = g.bang();
      m.push(`${b}--sport ${g.pick(sports)}`);
      ex.push(`tcp ${b}--sport`);
    }
    if (what === "dport" || what === "both") {
      const b = g.bang();
      m.push(`${b}--dport ${g.pick(dports)}`);
      ex.push(`tcp ${b}--dport`);
    }
    if (what === "flags") {
      const b = g.bang(0.2);
      m.push(`${b}--tcp-flags ${g.pick(flags)}`);
      ex.push(`tcp ${b}--tcp-flags`);
    }
    const local = g.chance(0.2);
    const dst = local ? ROUTER_IN : g.pick([SERVER, SERVER2]);
    const chain = local ? "INPUT" : "FORWARD";
    const r = rule(chain, { p: "tcp" }, ["-m tcp", ...m], hitTarget(g, 0.1));
    const ports = local ? [9000, 2222, CLOSED_TCP] : TCP_PORTS;
    const a = g.pick(ports);
    const b = g.pick(ports.filter((p) => p !== a));
    const steps = [tcp("client", dst, a), g.chance(0.3) ? http("client", dst, g.pick([80, 8080])) : tcp("client", dst, b)];
    return filterCase(`tcp-${pad(i)}`, [...ex, chain], [r], steps);
  });
}

export function udpCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "udp");
  const ports = ["5000", "5001", "5000:5001", "5001:65535", "0:4999"];
  return Array.from({ length: n }, (_, i) => {
    const dir = g.pick(["--dport", "--dport", "--sport"] as const);
    const b = g.bang();
    const r = rule("FORWARD", { p: "udp" }, ["-m udp", `${b}${dir} ${g.pick(ports)}`], hitTarget(g, 0.1));
    // One datagram that gets an answer (1 s), and a probe of a closed port (fast when its ICMP error comes back).
    const steps = [udp("client", g.pick([SERVER, SERVER2]), 5000), g.chance(0.5) ? udp("client", SERVER, 5001) : zudp("client", SERVER, CLOSED_UDP)];
    return filterCase(`udp-${pad(i)}`, [`udp ${b}${dir}`, "FORWARD"], [r], steps);
  });
}

export function multiportCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "multiport");
  const lists = ["80,8080", "9000,9002", "9000:9001", "80,9000:9001,9009", "8080,9002", "1:1023"];
  return Array.from({ length: n }, (_, i) => {
    const udpCase = i % 6 === 5;
    const dir = udpCase ? "--dports" : g.pick(["--dports", "--dports", "--sports", "--ports"] as const);
    const b = g.bang();
    const list = udpCase ? g.pick(["5000", "5001,5002", "5000:5001"]) : g.pick(lists);
    const proto = udpCase ? "udp" : "tcp";
    const r = rule("FORWARD", { p: proto }, ["-m multiport", `${b}${dir} ${list}`], hitTarget(g, 0.1));
    const steps = udpCase
      ? [udp("client", SERVER, 5000), zudp("client", SERVER, CLOSED_UDP)]
      : [tcp("client", SERVER, g.pick(TCP_PORTS)), g.chance(0.5) ? http("client", SERVER2, g.pick([80, 8080])) : tcp("client", SERVER2, g.pick(TCP_PORTS))];
    return filterCase(`multiport-${pad(i)}`, [`multiport ${b}${dir}`, proto], [r], steps);
  });
}

export function icmpCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "icmp");
  const types = ["8", "0", "8/0", "0/0", "3", "3/3", "11", "any"];
  return Array.from({ length: n }, (_, i) => {
    const chain = g.pick(["FORWARD", "FORWARD", "INPUT", "OUTPUT"] as const);
    const b = g.bang(0.25);
    const r = rule(chain, { p: "icmp" }, ["-m icmp", `${b}--icmp-type ${g.pick(types)}`], hitTarget(g, 0.2));
    const steps: Step[] =
      chain === "FORWARD" ? [ping("client", SERVER), zudp("client", SERVER, CLOSED_UDP)]
      : chain === "INPUT" ? [ping("client", ROUTER_IN), ping("router", SERVER)]
      : [ping("router", SERVER), zudp("router", SERVER, CLOSED_UDP)];
    return filterCase(`icmp-${pad(i)}`, [`icmp ${b}--icmp-type`, chain], [r], steps);
  });
}
