/**
 * The NAT range syntax shared by DNAT, SNAT, REDIRECT and MASQUERADE, after parse_to(),
 * parse_ports() and sprint_range() in iptables extensions/libxt_DNAT.c (SNAT and MASQUERADE
 * carry copies of the same code): `[ip[-ip]][:port[-port]]` for `--to-destination` /
 * `--to-source`, `port[-port]` for `--to-ports`. A port needs `-p` tcp, udp, sctp, dccp or
 * icmp (the `!` of `! -p` is not looked at). Shifted port maps (`a-b/base`) are not modelled.
 */
import { formatIpv4, parseIpv4 } from "../../../core/ip.js";
import type { NatRange } from "../../rule.js";
import type { ParseCtx, Tok } from "../module.js";
import { IPPROTO_DCCP, IPPROTO_ICMP, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP } from "../protocols.js";
import { serviceByName } from "../services.js";
import { strtouiPrefix } from "../values.js";

const PORT_PROTOS = new Set([IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP, IPPROTO_DCCP, IPPROTO_ICMP]);

function portOk(ctx: ParseCtx): boolean {
  const p = ctx.proto();
  return p !== undefined && PORT_PROTOS.has(p.proto);
}

/** parse_ports(): `port` (number or service) or `min-max` (numbers). */
export function parseNatPorts(ctx: ParseCtx, arg: Tok, text: string): { min: number; max: number } | undefined {
  if (!portOk(ctx)) {
    ctx.issue("nat-port-needs-proto", "Need TCP, UDP, SCTP or DCCP with port specification", arg.at);
    return undefined;
  }
  let first = strtouiPrefix(text);
  if (first !== undefined && first.value > 0xffff) first = undefined;
  if (first === undefined) {
    const svc = serviceByName(text, undefined);
    if (svc === undefined) {
      ctx.issue("bad-port", `Port \`${text}' not valid`, arg.at);
      return undefined;
    }
    return { min: svc, max: svc };
  }
  if (first.rest === "") return { min: first.value, max: first.value };
  if (first.rest.startsWith(":")) {
    ctx.issue("bad-port", "Invalid port:port syntax - use dash", arg.at);
    return undefined;
  }
  if (!first.rest.startsWith("-")) {
    ctx.issue("bad-port", `Garbage after port value: \`${first.rest}'`, arg.at);
    return undefined;
  }
  const maxText = first.rest.slice(1);
  const second = strtouiPrefix(maxText);
  if (second === undefined || second.value > 0xffff) {
    ctx.issue("bad-port", `Port \`${maxText}' not valid`, arg.at);
    return undefined;
  }
  if (second.value < first.value) {
    ctx.issue("bad-port", `Port range \`${maxText}' funky`, arg.at);
    return undefined;
  }
  if (second.rest.startsWith("/")) {
    ctx.issue("not-modelled", "shifted port maps (`-…/base') are not modelled by podpath", arg.at);
    return undefined;
  }
  if (second.rest !== "") {
    ctx.issue("bad-port", `Garbage after port range: \`${second.rest}'`, arg.at);
    return undefined;
  }
  return { min: first.value, max: second.value };
}

/** parse_to(): `[ip[-ip]][:ports]`. */
export function parseNatTo(ctx: ParseCtx, arg: Tok): NatRange | undefined {
  const text = arg.text;
  // parse_to(): a second colon means an IPv6 address, which then fails as an IPv4 one.
  const first = text.indexOf(":");
  const colon = first >= 0 && text.indexOf(":", first + 1) >= 0 ? -1 : first;
  let ports: { min: number; max: number } | undefined;
  if (colon >= 0) {
    ports = parseNatPorts(ctx, arg, text.slice(colon + 1));
    if (ports === undefined) return undefined;
    if (colon === 0) return { minPort: ports.min, maxPort: ports.max };
  }
  const ipText = colon < 0 ? text : text.slice(0, colon);
  const dash = ipText.indexOf("-");
  const minText = dash < 0 ? ipText : ipText.slice(0, dash);
  const minIp = parseIpv4(minText);
  if (minIp === undefined) {
    ctx.issue("bad-address", `Bad IP address "${colon < 0 ? text : minText}"`, arg.at);
    return undefined;
  }
  let maxIp = minIp;
  if (dash >= 0) {
    const m = parseIpv4(ipText.slice(dash + 1));
    if (m === undefined) {
      ctx.issue("bad-address", `Bad IP address "${ipText.slice(dash + 1)}"`, arg.at);
      return undefined;
    }
    maxIp = m;
  }
  return { minIp, maxIp, ...(ports ? { minPort: ports.min, maxPort: ports.max } : {}) };
}

/** sprint_range(). */
export function natRangeText(r: NatRange): string {
  let s = "";
  if (r.minIp !== undefined) {
    s += formatIpv4(r.minIp);
    if (r.maxIp !== undefined && r.maxIp !== r.minIp) s += `-${formatIpv4(r.maxIp)}`;
  }
  if (r.minPort !== undefined) {
    s += `:${r.minPort}`;
    if (r.maxPort !== undefined && r.maxPort !== r.minPort) s += `-${r.maxPort}`;
  }
  return s;
}

export function portsText(p: { readonly min: number; readonly max: number }): string {
  return p.min === p.max ? `${p.min}` : `${p.min}-${p.max}`;
}
