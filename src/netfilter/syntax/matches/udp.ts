/**
 * `-m udp` (iptables extensions/libxt_udp.c, kernel net/netfilter/xt_tcpudp.c): `--sport`,
 * `--dport`, ranges and `!`. The protocol check is the one described in tcp.ts, with
 * "UDP match requires '-p udp'".
 */
import type { Match, PortRange } from "../../rule.js";
import type { Instance, MatchExt } from "../module.js";
import { IPPROTO_UDP } from "../protocols.js";
import { isAnyPort, printPorts, readPortRange, savePorts } from "./ports.js";

type Udp = Extract<Match, { module: "udp" }>;

export function udpIsEmpty(m: Udp): boolean {
  return isAnyPort(m.sport) && isAnyPort(m.dport);
}

export const udpMatch: MatchExt = {
  name: "udp",
  options: [
    { name: "source-port", id: "sport", arg: true, invert: true, multi: true },
    { name: "sport", id: "sport", arg: true, invert: true, multi: true },
    { name: "destination-port", id: "dport", arg: true, invert: true, multi: true },
    { name: "dport", id: "dport", arg: true, invert: true, multi: true },
  ],
  create(ctx): Instance<Match> {
    let sport: PortRange | undefined;
    let dport: PortRange | undefined;
    const used = new Set<string>();
    return {
      parse(id, args, invert, opt) {
        const arg = args[0];
        if (used.has(id)) {
          ctx.issue("option-repeated", id === "sport" ? "Only one `--source-port' allowed" : "Only one `--destination-port' allowed", opt.at);
          return;
        }
        used.add(id);
        if (!arg) return;
        if (id === "sport") sport = readPortRange(ctx, arg, "udp", invert);
        else dport = readPortRange(ctx, arg, "udp", invert);
      },
      finish(at) {
        const m: Udp = {
          module: "udp",
          ...(sport && !isAnyPort(sport) ? { sport } : {}),
          ...(dport && !isAnyPort(dport) ? { dport } : {}),
        };
        const p = ctx.proto();
        if (udpIsEmpty(m)) {
          if (p === undefined || p.proto !== IPPROTO_UDP || p.neg) {
            ctx.issue("match-needs-proto", "an empty -m udp needs `-p udp' (the kernel's xt_tcpudp refuses it otherwise: RULE_APPEND failed, Invalid argument)", at);
            return undefined;
          }
        } else if (p === undefined || p.proto !== IPPROTO_UDP) {
          ctx.issue("match-needs-proto", "UDP match requires '-p udp'", at);
          return undefined;
        }
        return m;
      },
    };
  },
};

export function saveUdp(m: Udp): string {
  return savePorts("sport", m.sport) + savePorts("dport", m.dport);
}

export function printUdp(m: Udp): string {
  return " udp" + printPorts("spt", m.sport) + printPorts("dpt", m.dport);
}
