/**
 * What the packet path does with a netfilter verdict: ACCEPT continues; DROP ends the trace
 * with the rule that dropped it; REJECT ends it and sends the ICMP error or TCP reset the rule
 * names, as ipt_REJECT does.
 */
import type { Netns } from "../netns/netns.js";
import type { NfHook, NfVerdict } from "../netfilter/hooks.js";
import type { Skb } from "./skb.js";
import { icmpSend } from "./icmp.js";
import { ICMP, UNREACH } from "../wire/packet.js";
import { tcpSendReset } from "../sock/tcp-reset.js";
import { ctAttach } from "../netfilter/conntrack/conn.js";

const REJECT_CODES: Readonly<Record<string, number>> = {
  "icmp-net-unreachable": UNREACH.NET,
  "icmp-host-unreachable": UNREACH.HOST,
  "icmp-port-unreachable": UNREACH.PORT,
  "icmp-proto-unreachable": UNREACH.PROTOCOL,
  "icmp-net-prohibited": UNREACH.NET_PROHIBITED,
  "icmp-host-prohibited": UNREACH.HOST_PROHIBITED,
  "icmp-admin-prohibited": UNREACH.ADMIN_PROHIBITED,
};

/** Returns true when the verdict ended the packet's journey. */
export function nfVerdictEnds(ns: Netns, skb: Skb, v: NfVerdict, hook: NfHook): boolean {
  const at = { node: ns.name, stage: hook };
  switch (v.kind) {
    case "accept":
      return false;
    case "drop":
      skb.trace.end({ kind: "nf-drop", at, rule: v.rule });
      return true;
    case "reject":
      skb.trace.end({ kind: "nf-reject", at, rule: v.rule, with: v.with });
      if (v.with === "tcp-reset") tcpSendReset(ns, skb, ctAttach(skb.ct));
      else icmpSend(ns, skb, ICMP.DEST_UNREACH, REJECT_CODES[v.with] ?? UNREACH.PORT, { netfilter: true });
      return true;
  }
}
