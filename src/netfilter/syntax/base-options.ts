/**
 * iptables' own options, as xshared.c and xtables.c define them for IPv4: the long-option table
 * getopt_long() starts from (original_opts[]), which short options take an argument, the
 * command letters, and the IP-header fields `-s`/`-d` (xtables_ipparse_any()) and the implicit
 * protocol match (find_proto()).
 */
import type { Ipv4 } from "../../core/ip.js";
import { ipv4 } from "../../core/ip.js";
import type { Position } from "../../core/issue.js";
import type { AddrMatch, ProtoMatch } from "../rule.js";
import { MATCHES } from "./matches/index.js";
import type { MatchExt, Tok } from "./module.js";
import { protocolName } from "./protocols.js";
import { maskLength, parseAddrMask } from "./values.js";

/** iptables' base long options (original_opts[] of xtables.c), for prefix resolution. */
export const BASE_LONG: readonly (readonly [string, string, boolean])[] = [
  ["append", "A", true], ["delete", "D", true], ["check", "C", true], ["insert", "I", true], ["replace", "R", true],
  ["list", "L", false], ["list-rules", "S", false], ["flush", "F", false], ["zero", "Z", false], ["new-chain", "N", true],
  ["delete-chain", "X", false], ["rename-chain", "E", true], ["policy", "P", true], ["source", "s", true],
  ["destination", "d", true], ["src", "s", true], ["dst", "d", true], ["protocol", "p", true], ["in-interface", "i", true],
  ["jump", "j", true], ["table", "t", true], ["match", "m", true], ["numeric", "n", false], ["out-interface", "o", true],
  ["verbose", "v", false], ["wait", "w", false], ["wait-interval", "W", false], ["exact", "x", false],
  ["fragments", "f", false], ["version", "V", false], ["help", "h", false], ["line-numbers", "0", false],
  ["modprobe", "M", true], ["set-counters", "c", true], ["goto", "g", true], ["ipv4", "4", false], ["ipv6", "6", false],
];

/** Short options with a required argument (optstring "A:C:D:R:I:L::S::M:F::Z::N:X::E:P:…"). */
export const SHORT_WITH_ARG = new Set(["A", "C", "D", "R", "I", "N", "E", "P", "o", "p", "s", "d", "j", "i", "t", "m", "c", "g", "M"]);
export const SHORT_NO_ARG = new Set(["L", "S", "F", "Z", "X", "V", "h", "f", "b", "v", "w", "W", "n", "x", "4", "6"]);

export const COMMAND_NAMES: Readonly<Record<string, string>> = {
  A: "append", I: "insert", N: "new-chain", X: "delete-chain", P: "policy",
  D: "delete", R: "replace", C: "check", L: "list", S: "list-rules", F: "flush", Z: "zero", E: "rename-chain",
};

/** find_proto(): the match named like `-p`'s protocol, if podpath has it. */
export function protoMatch(p: ProtoMatch | undefined): MatchExt | undefined {
  if (p === undefined) return undefined;
  const name = protocolName(p.proto);
  return name === undefined ? undefined : MATCHES.get(name);
}

/**
 * `-s`/`-d`: the address with host bits cleared (the kernel clears them); undefined for
 * 0.0.0.0/0 (no test), null after an issue.
 */
export function readAddr(arg: Tok, neg: boolean, issue: (code: string, message: string, at: Position) => void): AddrMatch | undefined | null {
  const r = parseAddrMask(arg.text);
  if (!r.ok) {
    issue("bad-address", r.message, arg.at);
    return null;
  }
  const len = maskLength(r.value.mask);
  if (len === undefined) {
    issue("not-modelled", `non-contiguous netmask in \`${arg.text}' is not modelled`, arg.at);
    return null;
  }
  if (len === 0) {
    if (neg) {
      issue("kernel-refuses", `\`! ${arg.text}' never matches; the kernel refuses it (RULE_APPEND failed, Invalid argument)`, arg.at);
      return null;
    }
    return undefined;
  }
  const addr: Ipv4 = ipv4(r.value.addr & r.value.mask);
  return { addr, len, neg };
}
