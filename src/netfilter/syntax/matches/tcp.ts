/**
 * `-m tcp` (iptables extensions/libxt_tcp.c, kernel net/netfilter/xt_tcpudp.c): `--sport`,
 * `--dport` (ranges, `!`), `--tcp-flags MASK COMP`, `--syn` (= `--tcp-flags
 * FIN,SYN,RST,ACK SYN`). `--tcp-option` is known but not modelled.
 *
 * Protocol check: iptables-nft 1.8.9 turns a tcp match with something in it into native
 * payload expressions and then insists on `-p tcp` ("TCP match requires '-p tcp'", an
 * inverted `! -p tcp` slips through); an empty `-m tcp` stays an xt match and the kernel's
 * xt_check_match() wants `-p tcp`, uninverted, or refuses the rule (EINVAL).
 */
import type { Match, PortRange } from "../../rule.js";
import type { Instance, MatchExt, ParseCtx, Tok } from "../module.js";
import { IPPROTO_TCP } from "../protocols.js";
import { isAnyPort, printPorts, readPortRange, savePorts } from "./ports.js";

type Tcp = Extract<Match, { module: "tcp" }>;

/** FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32, in print order. */
const FLAGS: readonly (readonly [string, number])[] = [["FIN", 1], ["SYN", 2], ["RST", 4], ["PSH", 8], ["ACK", 16], ["URG", 32]];

/** parse_tcp_flag(): a comma list of names, ALL and NONE, any case; strtok skips empty items. */
function parseFlags(ctx: ParseCtx, arg: Tok): number | undefined {
  let bits = 0;
  for (const item of arg.text.split(",")) {
    if (item === "") continue;
    const up = item.toUpperCase();
    if (up === "ALL") bits |= 0x3f;
    else if (up === "NONE") continue;
    else {
      const f = FLAGS.find(([n]) => n === up);
      if (f === undefined) {
        ctx.issue("bad-tcp-flag", `Unknown TCP flag \`${item}'`, arg.at);
        return undefined;
      }
      bits |= f[1];
    }
  }
  return bits;
}

/** print_tcpf(): `FIN,SYN` or `NONE`. */
export function tcpFlagNames(bits: number): string {
  const names = FLAGS.filter(([, b]) => (bits & b) !== 0).map(([n]) => n);
  return names.length === 0 ? "NONE" : names.join(",");
}

/** True when the kernel blob equals a zeroed xt_tcp (tcp_all_zero() in iptables-nft). */
export function tcpIsEmpty(m: Tcp): boolean {
  return isAnyPort(m.sport) && isAnyPort(m.dport) && (m.flags === undefined || (m.flags.mask === 0 && m.flags.comp === 0 && !m.flags.neg));
}

export const tcpMatch: MatchExt = {
  name: "tcp",
  options: [
    { name: "source-port", id: "sport", arg: true, invert: true, multi: true },
    { name: "sport", id: "sport", arg: true, invert: true, multi: true },
    { name: "destination-port", id: "dport", arg: true, invert: true, multi: true },
    { name: "dport", id: "dport", arg: true, invert: true, multi: true },
    { name: "syn", id: "syn", arg: false, invert: true, multi: true },
    { name: "tcp-flags", id: "flags", arg: true, arg2: true, invert: true, multi: true },
    { name: "tcp-option", id: "option", arg: true, invert: true, multi: true },
  ],
  create(ctx): Instance<Match> {
    let sport: PortRange | undefined;
    let dport: PortRange | undefined;
    let flags: { mask: number; comp: number; neg: boolean } | undefined;
    const used = new Set<string>();
    // libxt_tcp.c keeps its own "Only one" messages rather than the x6 ones.
    const once = (id: string, message: string, at: Tok): boolean => {
      if (used.has(id)) {
        ctx.issue("option-repeated", message, at.at);
        return false;
      }
      used.add(id);
      return true;
    };
    return {
      parse(id, args, invert, opt) {
        const arg = args[0];
        switch (id) {
          case "sport":
            if (once("sport", "Only one `--source-port' allowed", opt) && arg) sport = readPortRange(ctx, arg, "tcp", invert);
            return;
          case "dport":
            if (once("dport", "Only one `--destination-port' allowed", opt) && arg) dport = readPortRange(ctx, arg, "tcp", invert);
            return;
          case "syn":
            if (once("flags", "Only one of `--syn' or `--tcp-flags'  allowed", opt)) flags = { mask: 0x17, comp: 0x02, neg: invert };
            return;
          case "flags": {
            if (!once("flags", "Only one of `--syn' or `--tcp-flags'  allowed", opt)) return;
            const comp = args[1];
            if (!arg || !comp) return;
            const mask = parseFlags(ctx, arg);
            const cmp = parseFlags(ctx, comp);
            if (mask !== undefined && cmp !== undefined) flags = { mask, comp: cmp, neg: invert };
            return;
          }
          default:
            ctx.issue("not-modelled", "tcp: --tcp-option is not modelled by podpath", opt.at);
        }
      },
      finish(at) {
        const m: Tcp = {
          module: "tcp",
          ...(sport && !isAnyPort(sport) ? { sport } : {}),
          ...(dport && !isAnyPort(dport) ? { dport } : {}),
          ...(flags && (flags.mask !== 0 || flags.comp !== 0 || flags.neg) ? { flags } : {}),
        };
        const p = ctx.proto();
        if (tcpIsEmpty(m)) {
          if (p === undefined || p.proto !== IPPROTO_TCP || p.neg) {
            ctx.issue("match-needs-proto", "an empty -m tcp needs `-p tcp' (the kernel's xt_tcpudp refuses it otherwise: RULE_APPEND failed, Invalid argument)", at);
            return undefined;
          }
        } else if (p === undefined || p.proto !== IPPROTO_TCP) {
          ctx.issue("match-needs-proto", "TCP match requires '-p tcp'", at);
          return undefined;
        }
        return m;
      },
    };
  },
};

export function saveTcp(m: Tcp): string {
  let s = savePorts("sport", m.sport) + savePorts("dport", m.dport);
  if (m.flags && (m.flags.mask !== 0 || m.flags.neg)) {
    s += `${m.flags.neg ? " !" : ""} --tcp-flags ${tcpFlagNames(m.flags.mask)} ${tcpFlagNames(m.flags.comp)}`;
  }
  return s;
}

const hex2 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(2, "0")}`;

export function printTcp(m: Tcp): string {
  let s = " tcp" + printPorts("spt", m.sport) + printPorts("dpt", m.dport);
  if (m.flags && (m.flags.mask !== 0 || m.flags.neg)) s += ` flags:${m.flags.neg ? "!" : ""}${hex2(m.flags.mask)}/${hex2(m.flags.comp)}`;
  return s;
}
