/**
 * The value parsers every iptables extension shares, as libxtables (libxtables/xtables.c)
 * implements them for iptables 1.8.9:
 *
 *  - xtables_strtoui(): an unsigned number in C `strtoul(s, &end, 0)` syntax — decimal, `0x`
 *    hex or leading-zero octal — that must use the whole text and lie in [min, max];
 *  - xtables_parse_port() / parse_tcp_ports(): a port number or service name, and `a:b`,
 *    `:b`, `a:` ranges (an empty side means 0 or 65535);
 *  - xtables_ipparse_any() for one address: `a.b.c.d[/len|/a.b.c.d]`;
 *  - xtables_parse_interface(): a device name of at most 15 characters, `+` at the end is a
 *    prefix wildcard;
 *  - `value[/mask]` (XTTYPE_MARKMASK32) and the hexadecimal form the printers use.
 *
 * Addresses are dotted quads only: the real tool also resolves host names and takes
 * inet_aton() short forms (`10/8`, `1.2.3`) and comma lists (which become several rules); a
 * simulator reading a saved ruleset never sees those, so they are refused with a clear issue.
 */
import type { Ipv4 } from "../../core/ip.js";
import { maskOf, parseIpv4 } from "../../core/ip.js";
import { serviceByName } from "./services.js";

/** C `strtoul(…, 0)` over the whole string, in [min, max]; undefined when it would fail. */
export function strtoui(text: string, min = 0, max = 0xffffffff): number | undefined {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) n = text.length === 1 ? 0 : parseInt(text.slice(1), 8);
  else if (/^[1-9][0-9]*$/.test(text)) n = Number(text);
  else return undefined;
  if (!Number.isFinite(n) || n < min || n > max) return undefined;
  return n;
}

/** xtables_parse_port(): a number 0..65535 or a service name known for `proto`. */
export function parsePort(text: string, proto: string | undefined): number | undefined {
  const n = strtoui(text, 0, 0xffff);
  if (n !== undefined) return n;
  return serviceByName(text, proto);
}

/** parse_tcp_ports() of libxt_tcp.c / libxt_udp.c: `p`, `a:b`, `:b`, `a:`. */
export function parsePortRange(
  text: string,
  proto: string | undefined,
): { readonly ok: true; readonly min: number; readonly max: number } | { readonly ok: false; readonly message: string } {
  const colon = text.indexOf(":");
  if (colon < 0) {
    const p = parsePort(text, proto);
    return p === undefined ? { ok: false, message: `invalid port/service \`${text}' specified` } : { ok: true, min: p, max: p };
  }
  const lo = text.slice(0, colon);
  const hi = text.slice(colon + 1);
  const min = lo === "" ? 0 : parsePort(lo, proto);
  if (min === undefined) return { ok: false, message: `invalid port/service \`${lo}' specified` };
  const max = hi === "" ? 0xffff : parsePort(hi, proto);
  if (max === undefined) return { ok: false, message: `invalid port/service \`${hi}' specified` };
  if (min > max) return { ok: false, message: "invalid portrange (min > max)" };
  return { ok: true, min, max };
}

/** Prefix length of a contiguous netmask, or undefined for a non-contiguous one. */
export function maskLength(mask: number): number | undefined {
  const m = mask >>> 0;
  for (let len = 0; len <= 32; len++) if (maskOf(len) === m) return len;
  return undefined;
}

export interface ParsedAddr {
  readonly addr: Ipv4;
  readonly mask: number;
}

/**
 * `a.b.c.d[/len|/mask]` as xtables_ipparse_any() reads one address: the address is kept as
 * written (callers clear host bits where the kernel does), the mask may be dotted and, for the
 * extensions that allow it, non-contiguous.
 */
export function parseAddrMask(text: string): { readonly ok: true; readonly value: ParsedAddr } | { readonly ok: false; readonly message: string } {
  const slash = text.indexOf("/");
  const hostText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIpv4(hostText);
  if (addr === undefined) {
    if (hostText.includes(",")) return { ok: false, message: `address lists (\`${text}') are not modelled: iptables turns them into one rule per address; write one rule each` };
    return { ok: false, message: `host/network \`${hostText}' not found (podpath takes dotted-quad addresses only)` };
  }
  if (slash < 0) return { ok: true, value: { addr, mask: 0xffffffff } };
  const maskText = text.slice(slash + 1);
  const dotted = parseIpv4(maskText);
  if (dotted !== undefined) return { ok: true, value: { addr, mask: dotted } };
  const len = strtoui(maskText, 0, 32);
  if (len === undefined || !/^\d+$/.test(maskText)) return { ok: false, message: `invalid mask \`${maskText}' specified` };
  return { ok: true, value: { addr, mask: maskOf(len) } };
}

/** xtables_parse_interface(): name, and whether a trailing `+` made it a prefix. */
export function parseInterface(text: string): { readonly ok: true; readonly name: string; readonly wildcard: boolean } | { readonly ok: false; readonly message: string } {
  if (text.length > 15) return { ok: false, message: `interface name \`${text}' must be shorter than IFNAMSIZ (15)` };
  if (text.endsWith("+")) return { ok: true, name: text.slice(0, -1), wildcard: true };
  return { ok: true, name: text, wildcard: false };
}

/** `0x…` lower-case hex, as `printf("0x%x")`. */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}


/**
 * C `strtoul(s, &end, 0)` on a prefix: the number and the rest of the text, or undefined
 * when no digit could be read (or it does not fit 32 bits).
 */
export function strtouiPrefix(text: string): { readonly value: number; readonly rest: string } | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text);
  if (!m) return undefined;
  const digits = m[1] ?? "";
  const value = strtoui(digits);
  if (value === undefined) return undefined;
  return { value, rest: text.slice(digits.length) };
}

/** xtables_parse_val_mask() (XTTYPE_MARKMASK32): `value[/mask]`, mask defaulting to all ones. */
export function parseValMask(
  text: string,
  ext: string,
  opt: string,
): { readonly ok: true; readonly value: number; readonly mask: number } | { readonly ok: false; readonly message: string } {
  const bad = { ok: false as const, message: `${ext}: bad integer value for option "--${opt}", or out of range.` };
  const garbage = { ok: false as const, message: `${ext}: trailing garbage after value for option "--${opt}".` };
  const v = strtouiPrefix(text);
  if (v === undefined) return bad;
  if (v.rest === "") return { ok: true, value: v.value, mask: 0xffffffff };
  if (!v.rest.startsWith("/")) return garbage;
  const m = strtouiPrefix(v.rest.slice(1));
  if (m === undefined) return bad;
  if (m.rest !== "") return garbage;
  return { ok: true, value: v.value, mask: m.value };
}

/** The x6 message for a number outside its type's range. */
export function badValue(ext: string, opt: string, min: number, max: number): string {
  return `${ext}: bad value for option "--${opt}", or out of range (${min}-${max}).`;
}
