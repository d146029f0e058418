/**
 * The NAT targets (xt_nat.c DNAT/SNAT, xt_MASQUERADE.c / nf_nat_masquerade.c, xt_REDIRECT.c /
 * nf_nat_redirect.c): each binds the packet's new connection to a range and returns ACCEPT,
 * ending the nat chain walk. The packet itself is rewritten afterwards by nf_nat_packet (in
 * nat/hook.ts), so a binding made here applies to every later packet of the connection.
 *  - MASQUERADE: the source becomes inet_select_addr(out, nexthop, universe) — the out
 *    device's primary address that best fits the next hop; no address drops the packet.
 *  - REDIRECT: the destination becomes the in-device's first address (PREROUTING) or
 *    127.0.0.1 (OUTPUT).
 */
import type { Ipv4 } from "../../core/ip.js";
import type { Target } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";
import type { NatBinding } from "../nat/setup.js";
import { natSetupInfo } from "../nat/setup.js";
import type { ManipType } from "../nat/manip.js";

export type NatTarget = Extract<Target, { kind: "DNAT" | "SNAT" | "MASQUERADE" | "REDIRECT" }>;

/** The binding a DNAT or SNAT rule asks for: fixed by the rule, so the fast evaluator makes it once. */
export function natRangeOf(t: Extract<Target, { kind: "DNAT" | "SNAT" }>): NatBinding {
  return {
    minIp: t.to.minIp,
    maxIp: t.to.maxIp ?? t.to.minIp,
    minPort: t.to.minPort,
    maxPort: t.to.maxPort ?? t.to.minPort,
    randomAll: t.random || (t.kind === "SNAT" && t.randomFully),
    persistent: t.persistent,
  };
}

/** Binds the packet's new connection, if it has one, to `range` (every NAT target ends here; the fast evaluator calls it with a binding made in advance). */
export function natBindFixed(range: NatBinding, m: ManipType, pc: PacketCtx): void {
  const ct = pc.skb.ct;
  if (!ct || ct.kind !== "conn") return;
  natSetupInfo(pc.state.conntrack, ct.conn, range, m, pc.state.natRng, pc.ns.world.now);
}

/** Returns undefined on success, or why the packet must be dropped. */
export function natTarget(t: NatTarget, pc: PacketCtx): string | undefined {
  const ct = pc.skb.ct;
  // Only a connection's first packet reaches the nat table (nf_nat_inet_fn).
  if (!ct || ct.kind !== "conn") return undefined;
  let range: NatBinding;
  let m: ManipType;
  switch (t.kind) {
    case "DNAT":
    case "SNAT":
      m = t.kind === "DNAT" ? "DST" : "SRC";
      range = natRangeOf(t);
      break;
    case "MASQUERADE": {
      m = "SRC";
      const out = pc.outDev;
      const nh = pc.skb.rt?.nexthop ?? pc.skb.pkt.dst;
      const src: Ipv4 | undefined = out ? pc.ns.selectAddr(out, nh, "universe") : undefined;
      if (src === undefined) return `${out?.name ?? "?"} ate my IP address (MASQUERADE found no address)`;
      range = { minIp: src, maxIp: src, minPort: t.toPorts?.min, maxPort: t.toPorts?.max, randomAll: t.random || t.randomFully, persistent: false };
      break;
    }
    case "REDIRECT": {
      m = "DST";
      let ip: Ipv4 | undefined;
      if (pc.hook === "OUTPUT") ip = 0x7f000001 as Ipv4;
      else {
        const first = pc.inDev ? pc.ns.ifaList(pc.inDev)[0] : undefined;
        if (!first) return "REDIRECT: the input device has no address";
        ip = first.addr.addr;
      }
      range = { minIp: ip, maxIp: ip, minPort: t.toPorts?.min, maxPort: t.toPorts?.max, randomAll: t.random, persistent: false };
      break;
    }
  }
  natBindFixed(range, m, pc);
  return undefined;
}
