/**
 * `-j REJECT` (iptables extensions/libipt_REJECT.c, kernel net/ipv4/netfilter/ipt_REJECT.c).
 * `--reject-with` takes a case-insensitive prefix of a name or of its alias; the first row
 * of the table that fits wins (so `icmp-port-unreach` is icmp-port-unreachable, `tcp-rst` is
 * tcp-reset, and even an empty word picks icmp-net-unreachable, as the C loop does). The
 * default is icmp-port-unreachable, which iptables-save always prints. tcp-reset needs an
 * uninverted `-p tcp` (the kernel refuses it otherwise); the table and hooks are checked in
 * check-hooks.ts.
 */
import type { RejectWith, Target } from "../../rule.js";
import type { Instance, TargetExt } from "../module.js";
import { IPPROTO_TCP } from "../protocols.js";

type Reject = Extract<Target, { kind: "REJECT" }>;

/** reject_table[] in its order: name, alias. */
const REJECT_TABLE: readonly (readonly [RejectWith, string])[] = [
  ["icmp-net-unreachable", "net-unreach"],
  ["icmp-host-unreachable", "host-unreach"],
  ["icmp-proto-unreachable", "proto-unreach"],
  ["icmp-port-unreachable", "port-unreach"],
  ["icmp-net-prohibited", "net-prohib"],
  ["icmp-host-prohibited", "host-prohib"],
  ["tcp-reset", "tcp-rst"],
  ["icmp-admin-prohibited", "admin-prohib"],
];

export const rejectTarget: TargetExt = {
  name: "REJECT",
  options: [{ name: "reject-with", id: "with", arg: true }],
  create(ctx): Instance<Target> {
    let withType: RejectWith = "icmp-port-unreachable";
    return {
      parse(_id, args) {
        const arg = args[0];
        if (!arg) return;
        const w = arg.text.toLowerCase();
        const hit = REJECT_TABLE.find(([name, alias]) => name.startsWith(w) || alias.startsWith(w));
        if (hit === undefined) ctx.issue("bad-reject-with", `unknown reject type "${arg.text}"`, arg.at);
        else withType = hit[0];
      },
      finish(at): Reject | undefined {
        const p = ctx.proto();
        if (withType === "tcp-reset" && (p === undefined || p.proto !== IPPROTO_TCP || p.neg)) {
          ctx.issue("reject-needs-tcp", "REJECT --reject-with tcp-reset needs `-p tcp' (the kernel refuses it otherwise: RULE_APPEND failed, Invalid argument)", at);
          return undefined;
        }
        return { kind: "REJECT", with: withType };
      },
    };
  },
};

export function saveReject(t: Reject): string {
  return ` --reject-with ${t.with}`;
}

export function printReject(t: Reject): string {
  return ` reject-with ${t.with}`;
}
