/**
 * IPv4 addresses and prefixes as plain numbers.
 *
 * Owns: the branded `Ipv4` (an unsigned 32-bit integer), `Prefix` (network + length), `Mac`,
 * and the dotted-quad / colon-hex text forms. Text is parsed once at the edge (scenario files,
 * command lines); the packet path only ever sees numbers, which keeps LPM and rule matching cheap.
 */
import { Validator } from "ip-num";

export type Ipv4 = number & { readonly __brand: "Ipv4" };
export type Mac = string & { readonly __brand: "Mac" };

/** A network prefix; `addr` may carry host bits when it names an interface address. */
export interface Prefix {
  readonly addr: Ipv4;
  readonly len: number;
}

export const ANY = 0 as Ipv4;
export const BROADCAST_MAC = "ff:ff:ff:ff:ff:ff" as Mac;
export const ZERO_MAC = "00:00:00:00:00:00" as Mac;

export function ipv4(n: number): Ipv4 {
  return (n >>> 0) as Ipv4;
}

/** Parses a dotted quad. Returns undefined on anything the kernel's inet_pton would refuse. */
export function parseIpv4(text: string): Ipv4 | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return undefined;
  // ip-num is the project's address authority at the edge; numbers take over after this point.
  const [ok] = Validator.isValidIPv4String(text);
  if (!ok) return undefined;
  const p = text.split(".").map(Number);
  return ipv4(((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0);
}

export function formatIpv4(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

export function networkOf(a: number, len: number): Ipv4 {
  return ((a & maskOf(len)) >>> 0) as Ipv4;
}

export function inPrefix(a: number, net: number, len: number): boolean {
  const m = maskOf(len);
  return ((a & m) >>> 0) === ((net & m) >>> 0);
}

export function broadcastOf(a: number, len: number): Ipv4 {
  return ((a | ~maskOf(len)) >>> 0) as Ipv4;
}

/** Parses `a.b.c.d/len` (or a bare address as /32 when `bareIsHost`). */
export function parsePrefix(text: string, bareIsHost = true): Prefix | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) {
    const a = bareIsHost ? parseIpv4(text) : undefined;
    return a === undefined ? undefined : { addr: a, len: 32 };
  }
  const a = parseIpv4(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (a === undefined || !/^\d{1,2}$/.test(lenText)) return undefined;
  const len = Number(lenText);
  return len <= 32 ? { addr: a, len } : undefined;
}

export function formatPrefix(p: Prefix): string {
  return `${formatIpv4(p.addr)}/${p.len}`;
}

/** `ip route` prints host routes without `/32` and the default route as `default`. */
export function formatRouteDst(p: Prefix): string {
  if (p.len === 0) return "default";
  return p.len === 32 ? formatIpv4(p.addr) : formatPrefix(p);
}

export function parseMac(text: string): Mac | undefined {
  return /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text) ? (text.toLowerCase() as Mac) : undefined;
}

export function isMulticastMac(m: Mac): boolean {
  return (parseInt(m.slice(0, 2), 16) & 1) === 1;
}

export function isLoopback(a: number): boolean {
  return a >>> 24 === 127;
}

export function isMulticastIp(a: number): boolean {
  return a >>> 28 === 0xe;
}
