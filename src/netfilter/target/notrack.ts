/** xt_CT.c (`-j CT --notrack`) and the older `-j NOTRACK` in raw: the packet skips conntrack (IP_CT_UNTRACKED). */
import type { PacketCtx } from "../eval/context.js";

export function notrackTarget(pc: PacketCtx): void {
  if (!pc.skb.ct) pc.skb.ct = { kind: "untracked" };
}
