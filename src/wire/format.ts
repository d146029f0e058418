/**
 * tcpdump-style one-line summaries of packets, for traces and verbose output.
 */
import { formatIpv4 } from "../core/ip.js";
import type { EthFrame, Ipv4Packet, TcpFlags } from "./packet.js";
import { ipLength } from "./packet.js";

export function tcpFlagsText(f: TcpFlags): string {
  let s = "";
  if (f.syn) s += "S";
  if (f.fin) s += "F";
  if (f.rst) s += "R";
  if (f.psh) s += "P";
  if (f.ack) s += ".";
  return `[${s || "none"}]`;
}

const ICMP_NAMES: Record<number, string> = { 0: "echo reply", 8: "echo request", 11: "time exceeded in-transit", 5: "redirect" };
const UNREACH_NAMES: Record<number, string> = {
  0: "net unreachable",
  1: "host unreachable",
  2: "protocol unreachable",
  3: "port unreachable",
  4: "need to frag",
  9: "net prohibited",
  10: "host prohibited",
  13: "admin prohibited filter",
};

export function packetSummary(p: Ipv4Packet): string {
  const src = formatIpv4(p.src);
  const dst = formatIpv4(p.dst);
  const t = p.payload;
  switch (t.kind) {
    case "tcp":
      return `IP ${src}.${t.sport} > ${dst}.${t.dport}: Flags ${tcpFlagsText(t.flags)}, length ${t.data.length}, ttl ${p.ttl}`;
    case "udp":
      if (typeof t.data !== "string") {
        const inner = t.data.frame.payload;
        const innerText = inner.kind === "ipv4" ? packetSummary(inner) : "ARP";
        return `IP ${src}.${t.sport} > ${dst}.${t.dport}: OTV/VXLAN vni ${t.data.vni}: ${innerText}`;
      }
      return `IP ${src}.${t.sport} > ${dst}.${t.dport}: UDP, length ${t.data.length}, ttl ${p.ttl}`;
    case "icmp": {
      if (t.type === 3) {
        const q = t.quoted;
        const what = q && q.payload.kind !== "icmp" ? ` ${formatIpv4(q.dst)} ${q.payload.kind} port ${q.payload.dport}` : "";
        return `IP ${src} > ${dst}: ICMP${what} ${UNREACH_NAMES[t.code] ?? `unreachable code ${t.code}`}, ttl ${p.ttl}`;
      }
      const name = ICMP_NAMES[t.type] ?? `type ${t.type}`;
      const echo = t.type === 0 || t.type === 8 ? `, id ${t.id}, seq ${t.seq}` : "";
      return `IP ${src} > ${dst}: ICMP ${name}${echo}, length ${ipLength(p) - 20}, ttl ${p.ttl}`;
    }
  }
}

export function frameSummary(f: EthFrame): string {
  if (f.payload.kind === "arp") {
    const a = f.payload;
    return a.op === "request"
      ? `ARP, Request who-has ${formatIpv4(a.tpa)} tell ${formatIpv4(a.spa)}`
      : `ARP, Reply ${formatIpv4(a.spa)} is-at ${a.sha}`;
  }
  return `${f.src} > ${f.dst}, ${packetSummary(f.payload)}`;
}
