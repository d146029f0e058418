/**
 * xt_physdev.c: the bridge ports a bridged packet entered and leaves by, when the bridge hands
 * it to iptables (br_netfilter with net.bridge.bridge-nf-call-iptables=1). For a packet that
 * was not bridged, a rule matches only if every physdev test it has is negated.
 */
import type { Match } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";
import { ifaceMatches } from "./ip-header.js";

function flag(f: boolean | "neg" | undefined, value: boolean): boolean {
  if (f === undefined) return true;
  return f === "neg" ? !value : value;
}

export function physdevMatches(m: Extract<Match, { module: "physdev" }>, pc: PacketCtx): boolean {
  const phys = pc.skb.phys;
  if (!phys) {
    const positive = (f: boolean | "neg" | undefined) => f === true;
    if (positive(m.isBridged) || positive(m.isIn) || positive(m.isOut)) return false;
    if ((m.physdevIn && !m.physdevIn.neg) || (m.physdevOut && !m.physdevOut.neg)) return false;
    return true;
  }
  if (!flag(m.isBridged, phys.out !== undefined)) return false;
  if (!flag(m.isIn, phys.in !== undefined) || !flag(m.isOut, phys.out !== undefined)) return false;
  if (m.physdevIn && !ifaceMatches(m.physdevIn, phys.in?.name)) return false;
  if (m.physdevOut && !ifaceMatches(m.physdevOut, phys.out?.name)) return false;
  return true;
}
