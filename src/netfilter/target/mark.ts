/** xt_MARK.c / xt_connmark.c: new = (old & ~mask) ^ value, on the packet or on its connection. */
import type { Target } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";

export function xmark(old: number, value: number, mask: number): number {
  return ((old & ~mask) ^ value) >>> 0;
}

export function markTarget(t: Extract<Target, { kind: "MARK" }>, pc: PacketCtx): void {
  pc.skb.mark = xmark(pc.skb.mark, t.value, t.mask);
}

export function connmarkTarget(t: Extract<Target, { kind: "CONNMARK" }>, pc: PacketCtx): void {
  const ct = pc.skb.ct;
  if (ct?.kind === "conn") ct.conn.mark = xmark(ct.conn.mark, t.value, t.mask);
}
