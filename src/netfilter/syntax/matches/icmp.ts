/**
 * `-m icmp` (iptables extensions/libipt_icmp.c, kernel net/netfilter/xt_tcpudp.c icmp_match):
 * `--icmp-type` by name (a case-insensitive prefix of the names below; two different names
 * fitting is an error), by `type[/code]` number, or `any` (type 255). A name without a code
 * covers codes 0..255. The kernel insists on `-p icmp`, uninverted.
 */
import type { Match } from "../../rule.js";
import type { Instance, MatchExt } from "../module.js";
import { strtoui } from "../values.js";

type Icmp = Extract<Match, { module: "icmp" }>;

/** icmp_codes[] of libipt_icmp.c: name, type, code min, code max. */
const ICMP_CODES: readonly (readonly [string, number, number, number])[] = [
  ["any", 0xff, 0, 0xff],
  ["echo-reply", 0, 0, 0xff],
  ["pong", 0, 0, 0xff],
  ["destination-unreachable", 3, 0, 0xff],
  ["network-unreachable", 3, 0, 0],
  ["host-unreachable", 3, 1, 1],
  ["protocol-unreachable", 3, 2, 2],
  ["port-unreachable", 3, 3, 3],
  ["fragmentation-needed", 3, 4, 4],
  ["source-route-failed", 3, 5, 5],
  ["network-unknown", 3, 6, 6],
  ["host-unknown", 3, 7, 7],
  ["network-prohibited", 3, 9, 9],
  ["host-prohibited", 3, 10, 10],
  ["TOS-network-unreachable", 3, 11, 11],
  ["TOS-host-unreachable", 3, 12, 12],
  ["communication-prohibited", 3, 13, 13],
  ["host-precedence-violation", 3, 14, 14],
  ["precedence-cutoff", 3, 15, 15],
  ["source-quench", 4, 0, 0xff],
  ["redirect", 5, 0, 0xff],
  ["network-redirect", 5, 0, 0],
  ["host-redirect", 5, 1, 1],
  ["TOS-network-redirect", 5, 2, 2],
  ["TOS-host-redirect", 5, 3, 3],
  ["echo-request", 8, 0, 0xff],
  ["ping", 8, 0, 0xff],
  ["router-advertisement", 9, 0, 0xff],
  ["router-solicitation", 10, 0, 0xff],
  ["time-exceeded", 11, 0, 0xff],
  ["ttl-exceeded", 11, 0, 0xff],
  ["ttl-zero-during-transit", 11, 0, 0],
  ["ttl-zero-during-reassembly", 11, 1, 1],
  ["parameter-problem", 12, 0, 0xff],
  ["ip-header-bad", 12, 0, 0],
  ["required-option-missing", 12, 1, 1],
  ["timestamp-request", 13, 0, 0xff],
  ["timestamp-reply", 14, 0, 0xff],
  ["address-mask-request", 17, 0, 0xff],
  ["address-mask-reply", 18, 0, 0xff],
];

type Parsed = { readonly ok: true; readonly type: number; readonly codeMin: number; readonly codeMax: number } | { readonly ok: false; readonly message: string };

/** parse_icmp(). */
export function parseIcmpType(text: string): Parsed {
  const lower = text.toLowerCase();
  let found: (typeof ICMP_CODES)[number] | undefined;
  for (const entry of ICMP_CODES) {
    if (!entry[0].toLowerCase().startsWith(lower)) continue;
    if (found !== undefined) return { ok: false, message: `Ambiguous ICMP type \`${text}': \`${found[0]}' or \`${entry[0]}'?` };
    found = entry;
  }
  if (found !== undefined) return { ok: true, type: found[1], codeMin: found[2], codeMax: found[3] };
  const slash = text.indexOf("/");
  const type = strtoui(slash < 0 ? text : text.slice(0, slash), 0, 255);
  if (type === undefined) return { ok: false, message: `Unknown ICMP type \`${text}'` };
  if (slash < 0) return { ok: true, type, codeMin: 0, codeMax: 0xff };
  const code = strtoui(text.slice(slash + 1), 0, 255);
  if (code === undefined) return { ok: false, message: `Unknown ICMP code \`${text}'` };
  return { ok: true, type, codeMin: code, codeMax: code };
}

export const icmpMatch: MatchExt = {
  name: "icmp",
  options: [{ name: "icmp-type", id: "type", arg: true, invert: true, mand: true }],
  create(ctx): Instance<Match> {
    let value: Icmp | undefined;
    return {
      parse(_id, args, invert) {
        const arg = args[0];
        if (!arg) return;
        const r = parseIcmpType(arg.text);
        if (!r.ok) ctx.issue("bad-icmp-type", r.message, arg.at);
        else value = { module: "icmp", type: r.type, codeMin: r.codeMin, codeMax: r.codeMax, neg: invert };
      },
      finish(at) {
        const p = ctx.proto();
        if (value !== undefined && (p === undefined || p.proto !== 1 || p.neg)) {
          ctx.issue("match-needs-proto", "-m icmp needs `-p icmp' (the kernel refuses it otherwise: RULE_APPEND failed, Invalid argument)", at);
          return undefined;
        }
        return value;
      },
    };
  },
};

export function saveIcmp(m: Icmp): string {
  const inv = m.neg ? " !" : "";
  if (m.type === 0xff) return `${inv} --icmp-type any`;
  const code = m.codeMin !== 0 || m.codeMax !== 0xff ? `/${m.codeMin}` : "";
  return `${inv} --icmp-type ${m.type}${code}`;
}

export function printIcmp(m: Icmp): string {
  let s = ` icmp${m.neg ? " !" : ""}type ${m.type}`;
  if (m.codeMin === m.codeMax) s += ` code ${m.codeMin}`;
  else if (m.codeMin !== 0 || m.codeMax !== 0xff) s += ` codes ${m.codeMin}-${m.codeMax}`;
  return s;
}
