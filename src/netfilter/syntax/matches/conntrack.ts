/**
 * `-m conntrack` revision 3 and `-m state` (iptables extensions/libxt_conntrack.c, which also
 * implements `state` as an alias; kernel net/netfilter/xt_conntrack.c): `--ctstate`,
 * `--ctproto`, `--ctorigsrc|--ctorigdst|--ctreplsrc|--ctrepldst addr[/mask]`, the four
 * `…port` options (`p` or `a:b`), `--ctstatus`, `--ctdir`; `--state` for `-m state`.
 * `--ctexpire` is known but not modelled.
 *
 * State and status lists are bit masks in the kernel, so they are stored in bit order and
 * printed in it (INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT), whatever order the
 * input used. Addresses keep host bits (they are printed back as written).
 */
import type { AddrMatch, CtState, CtStatus, FlagSet, Match, PortRange, ProtoMatch } from "../../rule.js";
import { formatIpv4, ipv4 } from "../../../core/ip.js";
import type { Instance, MatchExt, ParseCtx, Tok } from "../module.js";
import { parseProtocol } from "../protocols.js";
import { maskLength, parseAddrMask, parsePort } from "../values.js";

type Conntrack = Extract<Match, { module: "conntrack" }>;
type State = Extract<Match, { module: "state" }>;

/** Bit order of XT_CONNTRACK_STATE_* as print_state() walks it. */
export const CT_STATES: readonly CtState[] = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"];
const STATE_MATCH_STATES: readonly CtState[] = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED"];
export const CT_STATUSES: readonly CtStatus[] = ["EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"];

/**
 * conntrack_ps_states() and friends: `A,B,C`, case-insensitive; an empty item or an unknown
 * name is reported with the rest of the list, as the C loop does.
 */
function parseList<T extends string>(ctx: ParseCtx, arg: Tok, known: readonly T[], what: string, extra?: string): T[] | undefined {
  const text = arg.text;
  const got = new Set<T>();
  let pos = 0;
  for (;;) {
    const comma = text.indexOf(",", pos);
    const item = comma < 0 ? text.slice(pos) : text.slice(pos, comma);
    const up = item.toUpperCase();
    const hit = known.find((k) => k === up);
    if (item === "" || (hit === undefined && up !== extra)) {
      ctx.issue("bad-state", `Bad ${what} "${text.slice(pos)}"`, arg.at);
      return undefined;
    }
    if (hit !== undefined) got.add(hit);
    if (comma < 0) break;
    pos = comma + 1;
  }
  return known.filter((k) => got.has(k));
}

function readAddr(ctx: ParseCtx, arg: Tok, neg: boolean): AddrMatch | undefined {
  const r = parseAddrMask(arg.text);
  if (!r.ok) {
    ctx.issue("bad-address", r.message, arg.at);
    return undefined;
  }
  const len = maskLength(r.value.mask);
  if (len === undefined) {
    ctx.issue("not-modelled", `conntrack: non-contiguous mask in \`${arg.text}' is not modelled`, arg.at);
    return undefined;
  }
  const masked = ipv4(r.value.addr & r.value.mask);
  return { addr: masked, len, neg, ...(masked !== r.value.addr ? { written: r.value.addr } : {}) };
}

/** XTTYPE_PORTRC: `p` or `a:b`, names allowed for any protocol. */
function readPorts(ctx: ParseCtx, opt: string, arg: Tok, neg: boolean): PortRange | undefined {
  const parts = arg.text.split(":");
  if (parts.length > 2) {
    ctx.issue("bad-port", `conntrack: Too many components for option "--${opt}" (max: 2)`, arg.at);
    return undefined;
  }
  const nums: number[] = [];
  for (const p of parts) {
    const n = parsePort(p, undefined);
    if (n === undefined) {
      ctx.issue("bad-port", `invalid port/service \`${p}' specified`, arg.at);
      return undefined;
    }
    nums.push(n);
  }
  const min = nums[0] ?? 0;
  return { min, max: nums[1] ?? min, neg };
}

const ADDR_IDS = ["ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst"] as const;
const PORT_IDS = ["ctorigsrcport", "ctorigdstport", "ctreplsrcport", "ctrepldstport"] as const;

export const conntrackMatch: MatchExt = {
  name: "conntrack",
  options: [
    { name: "ctstate", id: "ctstate", arg: true, invert: true },
    { name: "ctproto", id: "ctproto", arg: true, invert: true },
    ...ADDR_IDS.map((id) => ({ name: id, id, arg: true, invert: true })),
    ...PORT_IDS.map((id) => ({ name: id, id, arg: true, invert: true })),
    { name: "ctstatus", id: "ctstatus", arg: true, invert: true },
    { name: "ctexpire", id: "ctexpire", arg: true, invert: true },
    { name: "ctdir", id: "ctdir", arg: true },
  ],
  create(ctx): Instance<Match> {
    const parts: { -readonly [K in keyof Conntrack]?: Conntrack[K] } = {};
    let any = false;
    return {
      parse(id, args, invert, opt) {
        const arg = args[0];
        if (!arg) return;
        any = true;
        switch (id) {
          case "ctstate": {
            const values = parseList(ctx, arg, CT_STATES, "ctstate");
            if (values) parts.ctstate = { values, neg: invert };
            return;
          }
          case "ctstatus": {
            const values = parseList(ctx, arg, CT_STATUSES, "ctstatus", "NONE");
            if (values) parts.ctstatus = { values: values.length === 0 ? ["NONE"] : values, neg: invert };
            return;
          }
          case "ctproto": {
            const proto = parseProtocol(arg.text);
            if (proto === undefined) ctx.issue("bad-protocol", `unknown protocol "${arg.text}" specified`, arg.at);
            else parts.ctproto = { proto, neg: invert } satisfies ProtoMatch;
            return;
          }
          case "ctdir": {
            const up = arg.text.toUpperCase();
            if (up === "ORIGINAL" || up === "REPLY") parts.ctdir = up;
            else ctx.issue("bad-ctdir", `conntrack: Bad value for "--ctdir" option: "${arg.text}"`, arg.at);
            return;
          }
          case "ctexpire":
            ctx.issue("not-modelled", "conntrack: --ctexpire is not modelled by podpath", opt.at);
            return;
          default:
            if ((ADDR_IDS as readonly string[]).includes(id)) {
              const a = readAddr(ctx, arg, invert);
              if (a) parts[id as (typeof ADDR_IDS)[number]] = a;
            } else {
              const p = readPorts(ctx, id, arg, invert);
              if (p) parts[id as (typeof PORT_IDS)[number]] = p;
            }
        }
      },
      finish(at) {
        if (!any) {
          ctx.issue("option-required", "conntrack: At least one option is required", at);
          return undefined;
        }
        return { ...parts, module: "conntrack" };
      },
    };
  },
};

export const stateMatch: MatchExt = {
  name: "state",
  options: [{ name: "state", id: "state", arg: true, invert: true, mand: true }],
  create(ctx): Instance<Match> {
    let value: State | undefined;
    return {
      parse(_id, args, invert) {
        const arg = args[0];
        if (!arg) return;
        const values = parseList(ctx, arg, STATE_MATCH_STATES, "state");
        if (values) value = { module: "state", states: { values, neg: invert } };
      },
      finish() {
        return value;
      },
    };
  },
};

function flags<T extends string>(set: FlagSet<T>): string {
  return set.values.join(",");
}

function addrText(a: AddrMatch): string {
  return formatIpv4(a.written ?? a.addr) + (a.len === 32 ? "" : `/${a.len}`);
}

function portText(p: PortRange): string {
  return p.min === p.max ? `${p.min}` : `${p.min}:${p.max}`;
}

/** conntrack_dump(): the same order for save (prefix `--`) and list (no prefix). */
function dump(m: Conntrack, prefix: string): string {
  const inv = (neg: boolean): string => (neg ? " !" : "");
  let s = "";
  if (m.ctstate) s += `${inv(m.ctstate.neg)} ${prefix}ctstate ${flags(m.ctstate)}`;
  if (m.ctproto) s += `${inv(m.ctproto.neg)} ${prefix}ctproto ${m.ctproto.proto}`;
  for (const id of ADDR_IDS) {
    const a = m[id];
    if (a) s += `${inv(a.neg)} ${prefix}${id} ${addrText(a)}`;
  }
  for (const id of PORT_IDS) {
    const p = m[id];
    if (p) s += `${inv(p.neg)} ${prefix}${id} ${portText(p)}`;
  }
  if (m.ctstatus) s += `${inv(m.ctstatus.neg)} ${prefix}ctstatus ${flags(m.ctstatus)}`;
  if (m.ctdir) s += ` ${prefix}ctdir ${m.ctdir}`;
  return s;
}

export function saveConntrack(m: Conntrack): string {
  return dump(m, "--");
}

export function printConntrack(m: Conntrack): string {
  return dump(m, "");
}

export function saveState(m: State): string {
  return `${m.states.neg ? " !" : ""} --state ${flags(m.states)}`;
}

export function printState(m: State): string {
  return `${m.states.neg ? " !" : ""} state ${flags(m.states)}`;
}
