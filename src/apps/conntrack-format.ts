/**
 * One connection as `conntrack -L` (conntrack-tools 1.4.7) prints it — the default output of
 * libnetfilter_conntrack's __snprintf_conntrack_default(), checked on Linux 6.18:
 *
 *   tcp      6 117 TIME_WAIT src=10.0.2.15 dst=10.96.0.50 sport=47844 dport=80 src=10.244.1.11 dst=10.244.1.1 sport=8080 dport=34026 [ASSURED] mark=0 use=1
 *   udp      17 29 src=10.9.0.1 dst=10.9.0.2 sport=45490 dport=53 [UNREPLIED] src=10.9.0.2 dst=10.9.0.1 sport=53 dport=45490 mark=0 use=1
 *
 * `%-8s %u ` protocol name and number (after `ipv4     2 ` with `-o extended`), the seconds left
 * (the kernel's jiffies / HZ, rounded down), the TCP state, the original tuple, `[UNREPLIED]`
 * until a reply was seen, the reply tuple (where NAT shows: its source is the DNAT target, its
 * destination the SNAT address), `[ASSURED]`, the mark, `use=1`, and ` id=N` with `-o id`.
 */
import type { Conn } from "../netfilter/conntrack/conn.js";
import type { TcpCtState } from "../netfilter/conntrack/tcp.js";
import { formatTuple, protoName } from "../netfilter/conntrack/tuple.js";

export interface FormatOptions {
  readonly extended: boolean;
  readonly id: boolean;
}

/** libnetfilter_conntrack's state names by the kernel's index; index 9 (SYN_SENT2) prints as LISTEN. */
export function tcpStateName(s: TcpCtState): string {
  return s === "SYN_SENT2" ? "LISTEN" : s;
}

export function formatConn(c: Conn, nowMs: number, opts: FormatOptions): string {
  const parts: string[] = [];
  if (opts.extended) parts.push(`${"ipv4".padEnd(8)} 2`);
  parts.push(`${protoName(c.orig.proto).padEnd(8)} ${c.orig.proto}`);
  parts.push(String(Math.max(0, Math.floor((c.expires - nowMs) / 1000))));
  if (c.tcpState !== undefined) parts.push(tcpStateName(c.tcpState));
  parts.push(formatTuple(c.orig));
  if (!c.status.seenReply) parts.push("[UNREPLIED]");
  parts.push(formatTuple(c.reply));
  if (c.status.assured) parts.push("[ASSURED]");
  parts.push(`mark=${c.mark >>> 0}`);
  parts.push("use=1");
  if (opts.id) parts.push(`id=${c.id}`);
  return `${parts.join(" ")}\n`;
}
