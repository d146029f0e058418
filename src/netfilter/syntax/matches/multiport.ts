/**
 * `-m multiport` revision 1 (iptables extensions/libxt_multiport.c, kernel
 * net/netfilter/xt_multiport.c): `--sports`, `--dports`, `--ports` with up to 15 entries, a
 * range `a:b` (a < b) counting twice, `!` before the option. The protocol is checked while
 * the option is read (check_proto()), so `-p` must come first.
 */
import type { Match } from "../../rule.js";
import type { Instance, MatchExt, ParseCtx, Tok } from "../module.js";
import { IPPROTO_DCCP, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE } from "../protocols.js";
import { parsePort } from "../values.js";

type Multiport = Extract<Match, { module: "multiport" }>;
type Dir = Multiport["dir"];

const PROTO_NAMES: ReadonlyMap<number, string> = new Map([
  [IPPROTO_TCP, "tcp"], [IPPROTO_UDP, "udp"], [IPPROTO_UDPLITE, "udplite"], [IPPROTO_SCTP, "sctp"], [IPPROTO_DCCP, "dccp"],
]);

const MAX_PORTS = 15;

/** check_proto(): the service-name protocol, or undefined after an issue. */
function checkProto(ctx: ParseCtx, at: Tok): string | undefined {
  const p = ctx.proto();
  if (p?.neg) {
    ctx.issue("match-needs-proto", "multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP", at.at);
    return undefined;
  }
  const name = p === undefined ? undefined : PROTO_NAMES.get(p.proto);
  if (name !== undefined) return name;
  ctx.issue(
    "match-needs-proto",
    p === undefined || p.proto === 0
      ? "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'"
      : "multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP",
    at.at,
  );
  return undefined;
}

/** parse_multi_ports_v1(). */
function parseList(ctx: ParseCtx, arg: Tok, proto: string): { min: number; max: number }[] | undefined {
  const out: { min: number; max: number }[] = [];
  let slots = 0;
  for (const item of arg.text.split(",")) {
    if (slots >= MAX_PORTS) {
      ctx.issue("too-many-ports", "too many ports specified", arg.at);
      return undefined;
    }
    const colon = item.indexOf(":");
    if (colon >= 0 && slots === MAX_PORTS - 1) {
      ctx.issue("too-many-ports", "too many ports specified", arg.at);
      return undefined;
    }
    const loText = colon < 0 ? item : item.slice(0, colon);
    const lo = parsePort(loText, proto);
    if (lo === undefined) {
      ctx.issue("bad-port", `invalid port/service \`${loText}' specified`, arg.at);
      return undefined;
    }
    if (colon < 0) {
      out.push({ min: lo, max: lo });
      slots += 1;
      continue;
    }
    const hiText = item.slice(colon + 1);
    const hi = parsePort(hiText, proto);
    if (hi === undefined) {
      ctx.issue("bad-port", `invalid port/service \`${hiText}' specified`, arg.at);
      return undefined;
    }
    if (lo >= hi) {
      ctx.issue("bad-port", "invalid portrange specified", arg.at);
      return undefined;
    }
    out.push({ min: lo, max: hi });
    slots += 2;
  }
  return out;
}

export const multiportMatch: MatchExt = {
  name: "multiport",
  options: [
    { name: "source-ports", id: "sports", arg: true, invert: true, excl: ["dports", "ports"] },
    { name: "sports", id: "sports", arg: true, invert: true, excl: ["dports", "ports"] },
    { name: "destination-ports", id: "dports", arg: true, invert: true, excl: ["sports", "ports"] },
    { name: "dports", id: "dports", arg: true, invert: true, excl: ["sports", "ports"] },
    { name: "ports", id: "ports", arg: true, invert: true, excl: ["sports", "dports"] },
  ],
  create(ctx): Instance<Match> {
    let value: Multiport | undefined;
    return {
      parse(id, args, invert, opt) {
        const arg = args[0];
        const proto = checkProto(ctx, opt);
        if (!arg || proto === undefined) return;
        const ports = parseList(ctx, arg, proto);
        if (ports) value = { module: "multiport", dir: id as Dir, ports, neg: invert };
      },
      finish(at) {
        if (value === undefined) ctx.issue("option-required", "multiport expection an option: --source-ports, --destination-ports or --ports", at);
        return value;
      },
    };
  },
};

function portList(m: Multiport): string {
  return m.ports.map((p) => (p.min === p.max ? `${p.min}` : `${p.min}:${p.max}`)).join(",");
}

export function saveMultiport(m: Multiport): string {
  return `${m.neg ? " !" : ""} --${m.dir} ${portList(m)}`;
}

export function printMultiport(m: Multiport): string {
  return ` multiport ${m.dir} ${m.neg ? " !" : ""}${portList(m)}`;
}
