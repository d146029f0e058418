/**
 * IPv4 text as kube-proxy reads it: k8s.io/utils/net's ParseIPSloppy / ParseCIDRSloppy accept
 * leading zeros in each decimal field (`203.0.113.000/025`), and kube-proxy writes the values
 * back with Go's `String()` — the canonical dotted quad, and for a CIDR the network address with
 * host bits cleared. IPv6 is recognised only to say it is not modelled.
 */
import type { Prefix } from "../../core/ip.js";
import { formatIpv4, ipv4, networkOf } from "../../core/ip.js";

export type AddrParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly ipv6: boolean };

const bad = { ok: false, ipv6: false } as const;
const v6 = { ok: false, ipv6: true } as const;

function decimal(text: string, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
}

/** A dotted quad, leading zeros allowed (decimal, not octal). */
export function parseSloppyIpv4(text: string): AddrParse<number> {
  if (text.includes(":")) return v6;
  const parts = text.split(".");
  if (parts.length !== 4) return bad;
  let n = 0;
  for (const p of parts) {
    const v = decimal(p, 255);
    if (v === undefined) return bad;
    n = n * 256 + v;
  }
  return { ok: true, value: ipv4(n) };
}

/** `a.b.c.d/len`; the result has host bits cleared (Go's ParseCIDR returns the network). */
export function parseSloppyCidr(text: string): AddrParse<Prefix> {
  const slash = text.indexOf("/");
  if (slash < 0) return text.includes(":") ? v6 : bad;
  const addr = parseSloppyIpv4(text.slice(0, slash));
  if (!addr.ok) return addr;
  const len = decimal(text.slice(slash + 1), 32);
  if (len === undefined) return bad;
  return { ok: true, value: { addr: networkOf(addr.value, len), len } };
}

export function formatCidr(p: Prefix): string {
  return `${formatIpv4(p.addr)}/${p.len}`;
}
