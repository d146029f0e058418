/**
 * What the case generators share: a seeded chooser (one independent stream per family, so a
 * change in one family never reshuffles another), the rule-line builder that writes options in
 * the order iptables-save prints them (-s -d -i -o -p -f, matches, target), and the choice of
 * the verdict a hit shows up as.
 */
import { makeRng, type Rng } from "../../../src/core/rng.js";
import type { Host, NfCase, Step } from "./case.js";
import { ROUTER_BR, ROUTER_IN, ROUTER_OUT } from "./probes.js";

export const DEFAULT_SEED = "podpath-nf-1";

export class Gen {
  constructor(private readonly rng: Rng) {}
  int(lo: number, hi: number): number {
    return this.rng.int(lo, hi);
  }
  chance(p: number): boolean {
    return this.rng.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    const x = xs[this.rng.int(0, xs.length - 1)];
    if (x === undefined) throw new Error("pick from an empty list");
    return x;
  }
  /** `"! "` with probability p: an inverted test. */
  bang(p = 0.3): string {
    return this.chance(p) ? "! " : "";
  }
}

export function familyGen(seed: string, family: string): Gen {
  return new Gen(makeRng(seed).fork(family));
}

export interface Header {
  readonly s?: string;
  readonly d?: string;
  readonly i?: string;
  readonly o?: string;
  readonly p?: string;
  readonly f?: string;
}

/** `-A CHAIN` + header in iptables-save order + matches + target (each already in save form). */
export function rule(chain: string, h: Header, matches: readonly string[], target?: string): string {
  const parts = [`-A ${chain}`];
  const opt = (flag: string, v: string | undefined): void => {
    if (v === undefined) return;
    // A leading "! " inverts: iptables-save prints it before the option.
    parts.push(v.startsWith("! ") ? `! ${flag} ${v.slice(2)}` : `${flag} ${v}`);
  };
  opt("-s", h.s);
  opt("-d", h.d);
  opt("-i", h.i);
  opt("-o", h.o);
  opt("-p", h.p);
  if (h.f !== undefined) parts.push(h.f === "!" ? "! -f" : "-f");
  parts.push(...matches);
  if (target !== undefined) parts.push(target);
  return parts.join(" ");
}

/** Which filter chain of the router sees a packet from `from` to `dst` first. */
export function filterChain(from: Host, dst: string): "INPUT" | "FORWARD" | "OUTPUT" {
  if (from === "router") return "OUTPUT";
  if (dst === ROUTER_IN || dst === ROUTER_OUT || dst === ROUTER_BR) return "INPUT";
  return "FORWARD";
}

/**
 * The target a matching rule shows up as: mostly a REJECT (fast, and its ICMP error says the
 * rule hit), sometimes a DROP (the probe then waits its 1 s).
 */
export function hitTarget(g: Gen, dropShare = 0.15): string {
  return g.chance(dropShare) ? "-j DROP" : "-j REJECT --reject-with icmp-port-unreachable";
}

/**
 * iptables-nft prints an inverted port range that reaches 0 or 65535 as the complementary range
 * (`! --sport 0:1023` comes back as `--sport 1024:65535`): such a text is not in save form.
 */
const FOLDED_RANGE = /! --[sd]port (0:\d+|\d+:65535)\b/;

export function mkCase(name: string, exercises: readonly string[], tables: string, steps: readonly Step[], extra: Partial<Pick<NfCase, "form" | "ports" | "note">> = {}): NfCase {
  return { name, exercises, tables, steps, form: extra.form ?? (FOLDED_RANGE.test(tables) ? "restore" : "save"), ports: extra.ports ?? "ephemeral", ...(extra.note !== undefined ? { note: extra.note } : {}) };
}

export const pad = (n: number): string => String(n).padStart(2, "0");
