/**
 * What iptables-nft 1.8.9 shows for a rule's matches after storing them in nf_tables: the tcp
 * and udp matches do not survive as written. add_nft_tcp()/add_nft_udp() in iptables/nft.c
 * turn every non-empty tcp/udp match into native payload expressions, and the rule parser
 * (nft-shared.c) rebuilds ONE tcp (or udp) match from all of them, placed where the first of
 * them stood, later values overwriting earlier ones. Observed on this kernel:
 *
 *   -p tcp --sport 1 -m comment --comment b -m tcp --dport 2
 *       -> -p tcp -m tcp --sport 1 --dport 2 -m comment --comment b
 *   -m tcp --dport 1 -m tcp --dport 2      -> -m tcp --dport 2   (the kernel still tests both)
 *   ! --dport 0:100                        -> --dport 101:65535  (stored as "> 100")
 *   ! --sport 0:65535                      -> (nothing: 1.8.9 emits no expression for it)
 *   -m tcp with nothing in it (or only 0:65535, or --tcp-flags NONE NONE)
 *                                          -> stays an xt match, printed `-m tcp` in place
 *
 * The printers apply this to show exactly what the real tool shows; the parsed Rule keeps the
 * matches as written (the kernel evaluates every expression it was given).
 */
import type { Match, PortRange } from "../rule.js";
import { tcpIsEmpty } from "./matches/tcp.js";
import { udpIsEmpty } from "./matches/udp.js";

type Tcp = Extract<Match, { module: "tcp" }>;
type Udp = Extract<Match, { module: "udp" }>;

/** add_nft_tcpudp() emits a port test unless the range is 0:65535 (inverted or not). */
function emitted(r: PortRange | undefined): PortRange | undefined {
  if (r === undefined || (r.min === 0 && r.max === 0xffff)) return undefined;
  // expr_gen_range_cmp16(): 0:hi becomes "<= hi", or "> hi" when inverted, read back as a range.
  if (r.min !== r.max && r.min === 0) return r.neg ? { min: r.max + 1, max: 0xffff, neg: false } : { min: 0, max: r.max, neg: false };
  return r;
}

interface Native {
  readonly index: number;
  sport?: PortRange;
  dport?: PortRange;
  flags?: Tcp["flags"];
}

export function nftPrintBack(matches: readonly Match[]): Match[] {
  const out: (Match | "tcp" | "udp")[] = [];
  const native: { tcp?: Native; udp?: Native } = {};
  for (const m of matches) {
    if (m.module !== "tcp" && m.module !== "udp") {
      out.push(m);
      continue;
    }
    if (m.module === "tcp" ? tcpIsEmpty(m) : udpIsEmpty(m)) {
      out.push(m);
      continue;
    }
    const sport = emitted(m.sport);
    const dport = emitted(m.dport);
    const flags = m.module === "tcp" && m.flags && m.flags.mask !== 0 ? m.flags : undefined;
    if (!sport && !dport && !flags) continue;
    let n = native[m.module];
    if (!n) {
      n = { index: out.length };
      native[m.module] = n;
      out.push(m.module);
    }
    if (sport) n.sport = sport;
    if (dport) n.dport = dport;
    if (flags) n.flags = flags;
  }
  return out.map((m): Match => {
    if (typeof m !== "string") return m;
    const n = native[m]!;
    const ports = { ...(n.sport ? { sport: n.sport } : {}), ...(n.dport ? { dport: n.dport } : {}) };
    if (m === "udp") return { module: "udp", ...ports } satisfies Udp;
    return { module: "tcp", ...ports, ...(n.flags ? { flags: n.flags } : {}) } satisfies Tcp;
  });
}
