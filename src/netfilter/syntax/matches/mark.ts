/**
 * `-m mark --mark value[/mask]` (iptables extensions/libxt_mark.c revision 1, kernel
 * net/netfilter/xt_mark.c): matches when (skb->mark & mask) == value; the mask defaults to
 * 0xffffffff and is then left out when saving.
 */
import type { Match } from "../../rule.js";
import type { Instance, MatchExt } from "../module.js";
import { hex, parseValMask } from "../values.js";

type Mark = Extract<Match, { module: "mark" }>;

export const markMatch: MatchExt = {
  name: "mark",
  options: [{ name: "mark", id: "mark", arg: true, invert: true, mand: true }],
  create(ctx): Instance<Match> {
    let value: Mark | undefined;
    return {
      parse(_id, args, invert) {
        const arg = args[0];
        if (!arg) return;
        const r = parseValMask(arg.text, "mark", "mark");
        if (!r.ok) ctx.issue("bad-mark", r.message, arg.at);
        else value = { module: "mark", value: r.value, mask: r.mask, neg: invert };
      },
      finish() {
        return value;
      },
    };
  },
};

function markText(m: Mark): string {
  return m.mask === 0xffffffff ? hex(m.value) : `${hex(m.value)}/${hex(m.mask)}`;
}

export function saveMark(m: Mark): string {
  return `${m.neg ? " !" : ""} --mark ${markText(m)}`;
}

export function printMark(m: Mark): string {
  return ` mark match${m.neg ? " !" : ""} ${markText(m)}`;
}
