/**
 * `-m physdev` (iptables extensions/libxt_physdev.c, kernel net/netfilter/xt_physdev.c): the
 * bridge ports a bridged packet came in on / goes out of. `--physdev-in`/`--physdev-out`
 * take a name (`+` suffix: prefix; the name is printed back as written), the three
 * `--physdev-is-…` flags test whether there is such a port at all; each may be inverted.
 * Which hooks may test the output port is checked in check-hooks.ts.
 */
import type { IfaceMatch, Match } from "../../rule.js";
import type { Instance, MatchExt } from "../module.js";
import { parseInterface } from "../values.js";

type Physdev = Extract<Match, { module: "physdev" }>;
type Flag = boolean | "neg";

export const physdevMatch: MatchExt = {
  name: "physdev",
  options: [
    { name: "physdev-in", id: "in", arg: true, invert: true },
    { name: "physdev-out", id: "out", arg: true, invert: true },
    { name: "physdev-is-in", id: "is-in", arg: false, invert: true },
    { name: "physdev-is-out", id: "is-out", arg: false, invert: true },
    { name: "physdev-is-bridged", id: "is-bridged", arg: false, invert: true },
  ],
  create(ctx): Instance<Match> {
    let physdevIn: IfaceMatch | undefined;
    let physdevOut: IfaceMatch | undefined;
    let isIn: Flag | undefined;
    let isOut: Flag | undefined;
    let isBridged: Flag | undefined;
    let any = false;
    return {
      parse(id, args, invert) {
        any = true;
        const flag: Flag = invert ? "neg" : true;
        const arg = args[0];
        if (id === "is-in") isIn = flag;
        else if (id === "is-out") isOut = flag;
        else if (id === "is-bridged") isBridged = flag;
        else if (arg) {
          const r = parseInterface(arg.text);
          if (!r.ok) {
            ctx.issue("bad-interface", r.message, arg.at);
            return;
          }
          const m: IfaceMatch = { name: r.name, wildcard: r.wildcard, neg: invert };
          if (id === "in") physdevIn = m;
          else physdevOut = m;
        }
      },
      finish(at): Physdev | undefined {
        if (!any) {
          ctx.issue("option-required", "PHYSDEV: no physdev option specified", at);
          return undefined;
        }
        return {
          module: "physdev",
          ...(physdevIn ? { physdevIn } : {}),
          ...(physdevOut ? { physdevOut } : {}),
          ...(isIn !== undefined ? { isIn } : {}),
          ...(isOut !== undefined ? { isOut } : {}),
          ...(isBridged !== undefined ? { isBridged } : {}),
        };
      },
    };
  },
};

const ifaceText = (i: IfaceMatch): string => i.name + (i.wildcard ? "+" : "");

function body(m: Physdev): string {
  const flag = (f: Flag | undefined, name: string): string => (f === undefined || f === false ? "" : `${f === "neg" ? " !" : ""} --${name}`);
  let s = flag(m.isIn, "physdev-is-in");
  if (m.physdevIn) s += `${m.physdevIn.neg ? " !" : ""} --physdev-in ${ifaceText(m.physdevIn)}`;
  s += flag(m.isOut, "physdev-is-out");
  if (m.physdevOut) s += `${m.physdevOut.neg ? " !" : ""} --physdev-out ${ifaceText(m.physdevOut)}`;
  s += flag(m.isBridged, "physdev-is-bridged");
  return s;
}

export function savePhysdev(m: Physdev): string {
  return body(m);
}

export function printPhysdev(m: Physdev): string {
  return ` PHYSDEV match${body(m)}`;
}
