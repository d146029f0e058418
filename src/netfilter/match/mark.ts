/** xt_mark.c: (skb->mark & mask) == value, `!` inverts. */
import type { Match } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";

export function markMatches(m: Extract<Match, { module: "mark" }>, pc: PacketCtx): boolean {
  return (((pc.skb.mark & m.mask) >>> 0) === m.value >>> 0) !== m.neg;
}
