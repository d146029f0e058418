/**
 * `-m addrtype` revision 1 (iptables extensions/libxt_addrtype.c, kernel
 * net/netfilter/xt_addrtype.c): `--src-type`/`--dst-type` lists of route types (any case,
 * kept in bit order UNSPEC … XRESOLVE), each invertible, and `--limit-iface-in` /
 * `--limit-iface-out` (one of them). Which hooks allow the limits is checked in
 * check-hooks.ts, as the kernel does at load.
 */
import type { AddrType, FlagSet, Match } from "../../rule.js";
import type { Instance, MatchExt, ParseCtx, Tok } from "../module.js";

type Addrtype = Extract<Match, { module: "addrtype" }>;

export const ADDR_TYPES: readonly AddrType[] = [
  "UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
];

/** parse_types(): strtok-style comma list; an unknown name is an error. */
function parseTypes(ctx: ParseCtx, arg: Tok, neg: boolean): FlagSet<AddrType> | undefined {
  const got = new Set<AddrType>();
  for (const item of arg.text.split(",")) {
    if (item === "") continue;
    const hit = ADDR_TYPES.find((t) => t === item.toUpperCase());
    if (hit === undefined) {
      ctx.issue("bad-addrtype", `addrtype: bad type "${item}"`, arg.at);
      return undefined;
    }
    got.add(hit);
  }
  return { values: ADDR_TYPES.filter((t) => got.has(t)), neg };
}

export const addrtypeMatch: MatchExt = {
  name: "addrtype",
  options: [
    { name: "src-type", id: "src", arg: true, invert: true },
    { name: "dst-type", id: "dst", arg: true, invert: true },
    { name: "limit-iface-in", id: "in", arg: false, excl: ["out"] },
    { name: "limit-iface-out", id: "out", arg: false, excl: ["in"] },
  ],
  create(ctx): Instance<Match> {
    let srcType: FlagSet<AddrType> | undefined;
    let dstType: FlagSet<AddrType> | undefined;
    let limitIfaceIn = false;
    let limitIfaceOut = false;
    return {
      parse(id, args, invert) {
        const arg = args[0];
        if (id === "in") limitIfaceIn = true;
        else if (id === "out") limitIfaceOut = true;
        else if (arg && id === "src") srcType = parseTypes(ctx, arg, invert);
        else if (arg) dstType = parseTypes(ctx, arg, invert);
      },
      finish(at) {
        const src = srcType && srcType.values.length > 0 ? srcType : undefined;
        const dst = dstType && dstType.values.length > 0 ? dstType : undefined;
        if (!src && !dst) {
          ctx.issue("option-required", "addrtype: you must specify --src-type or --dst-type", at);
          return undefined;
        }
        return { module: "addrtype", ...(src ? { srcType: src } : {}), ...(dst ? { dstType: dst } : {}), limitIfaceIn, limitIfaceOut };
      },
    };
  },
};

export function saveAddrtype(m: Addrtype): string {
  let s = "";
  if (m.srcType) s += `${m.srcType.neg ? " !" : ""} --src-type ${m.srcType.values.join(",")}`;
  if (m.dstType) s += `${m.dstType.neg ? " !" : ""} --dst-type ${m.dstType.values.join(",")}`;
  if (m.limitIfaceIn) s += " --limit-iface-in";
  if (m.limitIfaceOut) s += " --limit-iface-out";
  return s;
}

export function printAddrtype(m: Addrtype): string {
  let s = " ADDRTYPE match";
  if (m.srcType) s += ` src-type ${m.srcType.neg ? "!" : ""}${m.srcType.values.join(",")}`;
  if (m.dstType) s += ` dst-type ${m.dstType.neg ? "!" : ""}${m.dstType.values.join(",")}`;
  if (m.limitIfaceIn) s += " limit-in";
  if (m.limitIfaceOut) s += " limit-out";
  return s;
}
