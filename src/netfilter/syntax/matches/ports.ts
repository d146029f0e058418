/**
 * Port ranges as libxt_tcp.c and libxt_udp.c read, save and list them (parse_tcp_ports(),
 * the `--sport`/`--dport` branches of tcp_save()/udp_save(), print_ports()). The kernel keeps
 * `[min, max]` plus an invert bit; an uninverted 0:65535 is "no test" and is not stored.
 */
import type { PortRange } from "../../rule.js";
import type { ParseCtx, Tok } from "../module.js";
import { parsePortRange } from "../values.js";

/** Parses `p`, `a:b`, `:b`, `a:`; undefined after reporting an issue. */
export function readPortRange(ctx: ParseCtx, arg: Tok, proto: string, invert: boolean): PortRange | undefined {
  const r = parsePortRange(arg.text, proto);
  if (!r.ok) {
    ctx.issue("bad-port", r.message, arg.at);
    return undefined;
  }
  return { min: r.min, max: r.max, neg: invert };
}

/** A range the kernel would store as "any port" (and the printers leave out). */
export function isAnyPort(r: PortRange | undefined): boolean {
  return r === undefined || (r.min === 0 && r.max === 0xffff && !r.neg);
}

/** ` --sport 1:2` / ` ! --dport 5` (tcp_save / udp_save); empty for "any". */
export function savePorts(opt: string, r: PortRange | undefined): string {
  if (r === undefined || isAnyPort(r)) return "";
  const inv = r.neg ? " !" : "";
  return r.min === r.max ? `${inv} --${opt} ${r.min}` : `${inv} --${opt} ${r.min}:${r.max}`;
}

/** ` spt:!5` / ` dpts:1:2` (print_ports with -n). */
export function printPorts(name: string, r: PortRange | undefined): string {
  if (r === undefined || isAnyPort(r)) return "";
  const inv = r.neg ? "!" : "";
  return r.min === r.max ? ` ${name}:${inv}${r.min}` : ` ${name}s:${inv}${r.min}:${r.max}`;
}
