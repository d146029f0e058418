/**
 * The NAT engines' behaviour as iptables rules, in iptables-save form and parsed by the
 * project's parser (so the packet path runs them as it runs any node's rules — there is no
 * second NAT model): traffic from the inside prefix leaving by the uplink is MASQUERADEd to the
 * uplink's address; from the outside only replies come back in, plus the DNATs of port forwards
 * (`--natpf`), whose connections conntrack marks DNAT.
 */
import type { Ipv4, Prefix } from "../core/ip.js";
import { formatIpv4, formatPrefix } from "../core/ip.js";
import type { Result } from "../core/issue.js";
import { fail, ok } from "../core/issue.js";
import type { IptablesSpec } from "../netns/spec.js";
import { parseIptablesSave } from "../netfilter/syntax/index.js";
import { INNER_DEV, UPLINK_DEV } from "./names.js";

export interface Forward {
  readonly proto: "tcp" | "udp";
  readonly hostPort: number;
  readonly guestIp: Ipv4;
  readonly guestPort: number;
}

export function masqueradeText(inside: Prefix, uplink: Ipv4, forwards: readonly Forward[]): string {
  const dnat = forwards.map(
    (f) => `-A PREROUTING -d ${formatIpv4(uplink)}/32 -i ${UPLINK_DEV} -p ${f.proto} -m ${f.proto} --dport ${f.hostPort} -j DNAT --to-destination ${formatIpv4(f.guestIp)}:${f.guestPort}\n`,
  );
  return (
    "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n" +
    dnat.join("") +
    `-A POSTROUTING -s ${formatPrefix(inside)} -o ${UPLINK_DEV} -j MASQUERADE\n` +
    "COMMIT\n" +
    "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n" +
    `-A FORWARD -i ${INNER_DEV} -o ${UPLINK_DEV} -j ACCEPT\n` +
    `-A FORWARD -i ${UPLINK_DEV} -o ${INNER_DEV} -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT\n` +
    "COMMIT\n"
  );
}

export function masqueradeRules(inside: Prefix, uplink: Ipv4, forwards: readonly Forward[], file: string): Result<IptablesSpec> {
  const text = masqueradeText(inside, uplink, forwards);
  const parsed = parseIptablesSave(text, file);
  return parsed.ok ? ok({ ruleset: parsed.value, text, file }) : fail(parsed.issues);
}
