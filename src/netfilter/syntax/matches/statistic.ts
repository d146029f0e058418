/**
 * `-m statistic` (iptables extensions/libxt_statistic.c, kernel net/netfilter/xt_statistic.c).
 *
 * `--mode random --probability p`: the kernel keeps p as a 31-bit fixed-point fraction,
 * `lround(p * 0x80000000)` (so 0.3333333333 becomes 715827883), and matches when
 * `(get_random_u32() & 0x7FFFFFFF) < stored`. iptables-save prints `stored / 0x80000000`
 * with `%.11f`: glibc rounds the exact binary value half-to-even, so this file formats with
 * exact integer arithmetic (JS toFixed rounds ties up: 2^-12 would print 0.00024414063, the
 * kernel side prints 0.00024414062). The pairs in research/kube-proxy.md §9 (0.3333333333 ->
 * 0.33333333349, 0.2 -> 0.20000000019, 0.0004882812 -> 0.00048828125 …) all hold.
 *
 * `--mode nth --every n --packet p`: every n-th packet, starting with the p-th (0 <= p < n).
 * `!` before any of the value options inverts the whole match.
 */
import type { Match } from "../../rule.js";
import type { Instance, MatchExt } from "../module.js";
import { badValue, strtoui } from "../values.js";

type Statistic = Extract<Match, { module: "statistic" }>;

const SCALE = 0x80000000;

/** libxt_statistic.c: `info->u.random.probability = lround(0x80000000 * prob)`. */
export function probabilityToFixed(p: number): number {
  // lround() rounds half away from zero; p >= 0 here, so Math.round is the same.
  return Math.round(SCALE * p);
}

/** `%.11f` of fixed / 2^31, rounded half-to-even on the exact value as glibc does. */
export function formatProbability(fixed: number): string {
  const scaled = BigInt(fixed) * 10n ** 11n;
  const den = BigInt(SCALE);
  let q = scaled / den;
  const r = scaled % den;
  if (r * 2n > den || (r * 2n === den && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(12, "0");
  return `${digits.slice(0, -11)}.${digits.slice(-11)}`;
}

/** strtod() over the whole text for the decimal forms a ruleset uses. */
function parseDouble(text: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

export const statisticMatch: MatchExt = {
  name: "statistic",
  options: [
    { name: "mode", id: "mode", arg: true, mand: true },
    { name: "probability", id: "probability", arg: true, invert: true },
    { name: "every", id: "every", arg: true, invert: true, also: ["packet"] },
    { name: "packet", id: "packet", arg: true, invert: true },
  ],
  create(ctx): Instance<Match> {
    let mode: "random" | "nth" = "random";
    let probability: number | undefined;
    let every: number | undefined;
    let packet: number | undefined;
    let neg = false;
    return {
      parse(id, args, invert) {
        const arg = args[0];
        if (!arg) return;
        if (invert) neg = true;
        switch (id) {
          case "mode":
            if (arg.text === "random" || arg.text === "nth") mode = arg.text;
            else ctx.issue("bad-mode", `Bad mode "${arg.text}"`, arg.at);
            return;
          case "probability": {
            const p = parseDouble(arg.text);
            if (p === undefined || p < 0 || p > 1) ctx.issue("bad-probability", "statistic: bad value for option \"--probability\", or out of range (0-1).", arg.at);
            else probability = probabilityToFixed(p);
            return;
          }
          case "every": {
            const n = strtoui(arg.text, 1, 0xffffffff);
            if (n === undefined) ctx.issue("bad-number", badValue("statistic", "every", 1, 0xffffffff), arg.at);
            else every = n;
            return;
          }
          default: {
            const n = strtoui(arg.text, 0, 0xffffffff);
            if (n === undefined) ctx.issue("bad-number", badValue("statistic", "packet", 0, 0xffffffff), arg.at);
            else packet = n;
          }
        }
      },
      finish(at): Statistic | undefined {
        if (mode === "random") {
          if (probability === undefined) {
            ctx.issue("option-required", "--probability must be specified when using random mode", at);
            return undefined;
          }
          return { module: "statistic", mode: "random", probability, neg };
        }
        if (every === undefined && packet === undefined) {
          ctx.issue("option-required", "--every and --packet must be specified when using nth mode", at);
          return undefined;
        }
        // The kernel keeps every-1 and checks packet against it (0 <= p <= n-1).
        const n = every ?? 1;
        const p = packet ?? 0;
        if (p > n - 1) {
          ctx.issue("bad-packet", "the --packet p must be 0 <= p <= n-1", at);
          return undefined;
        }
        return { module: "statistic", mode: "nth", every: n, packet: p, neg };
      },
    };
  },
};

function dump(m: Statistic, prefix: string): string {
  const inv = m.neg ? " !" : "";
  if (m.mode === "random") return ` ${prefix}mode random${inv} ${prefix}probability ${formatProbability(m.probability)}`;
  const packet = m.packet !== 0 || prefix !== "" ? ` ${prefix}packet ${m.packet}` : "";
  return ` ${prefix}mode nth${inv} ${prefix}every ${m.every}${packet}`;
}

export function saveStatistic(m: Statistic): string {
  return dump(m, "--");
}

export function printStatistic(m: Statistic): string {
  return ` statistic${dump(m, "")}`;
}
