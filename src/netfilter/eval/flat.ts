/**
 * One table compiled into flat typed arrays for the fast evaluator (compiled.ts): every rule a
 * fixed 10-word (40-byte) record in one Int32Array, chains laid out in the order a walk reaches them
 * (depth first from the built-in chains), so a kube-proxy service's KUBE-SVC chain and its
 * KUBE-SEP chains sit next to each other and a packet touches a few adjacent cache lines
 * instead of a few dozen scattered rule objects. Long chains whose rules name one destination
 * each (KUBE-SERVICES) get an open-addressing hash from destination to the rules naming it.
 *
 * A record holds the IP header tests and the common matches in numeric form: `-s`, `-d`, `-p`,
 * `-f`, `-m tcp/udp` port ranges, `-m mark`, `-m statistic --mode random` (last), `-m comment`
 * (nothing to test). A rule with anything else — interfaces, TCP flags, conntrack, recent,
 * addrtype…, or more match words than its record has room for — is marked SLOW and matched by
 * the shared match functions (match/index.ts), on the original Rule object, so the two
 * evaluators share every match's meaning. Targets: ACCEPT, DROP, RETURN, jump, goto, MARK,
 * DNAT and SNAT are opcodes; the rest run through the shared runTarget.
 *
 * Record words:
 *   0  flags (F_*) | opcode << OP_SHIFT | NAT flags (N_*)
 *   1  -s address        2  -d address
 *   3  -s prefix length | -d prefix length << 8 | protocol << 16
 *   4, 5  match words, in this order as present: --sport, --dport (min | max << 16), --mark
 *         value, mask, statistic probability
 *   6, 7  target words. jump/goto: the target chain's first and end rule index, or
 *         -(chain id + 1) and 0 for an indexed chain; MARK: value, mask;
 *         DNAT/SNAT: lowest and highest address, with word 5 the port range (so a NAT rule
 *         has one match word)
 *   8, 9  packets and bytes counted since load (low 32 bits): kept in the record because the
 *         walk has just read its line — a separate counter array cost a cache miss per rule
 */
import type { Chain, Match, Rule, TableName } from "../rule.js";
import type { RandomSite } from "../choice.js";
import type { RuleSite } from "./context.js";
import type { RuleFormatter } from "./interp.js";
import type { NatBinding } from "../nat/setup.js";
import { natRangeOf } from "../target/nat.js";

/** Words per rule record. */
export const W = 10;
export const R_FLAGS = 0;
export const R_SRC = 1;
export const R_DST = 2;
export const R_HDR = 3;
export const R_M = 4;
export const R_NAT_PORTS = 5;
export const R_T1 = 6;
export const R_T2 = 7;
/** The rule's counters since load, low 32 bits (unsigned); carries go to `ruleCarry`. */
export const R_PKTS = 8;
export const R_BYTES = 9;

// Flags.
export const F_SLOW = 1 << 0;
export const F_SRC = 1 << 1;
export const F_SRC_NEG = 1 << 2;
export const F_DST = 1 << 3;
export const F_DST_NEG = 1 << 4;
export const F_PROTO = 1 << 5;
export const F_PROTO_NEG = 1 << 6;
/** `-f` (not negated): only later fragments, which podpath never sends — the rule never matches. */
export const F_NEVER = 1 << 7;
/** A tcp/udp match: the packet must carry that protocol (F_L4_UDP: udp, else tcp). */
export const F_L4 = 1 << 8;
export const F_L4_UDP = 1 << 9;
export const F_SPORT = 1 << 10;
export const F_SPORT_NEG = 1 << 11;
export const F_DPORT = 1 << 12;
export const F_DPORT_NEG = 1 << 13;
export const F_MARK = 1 << 14;
export const F_MARK_NEG = 1 << 15;
export const F_RANDOM = 1 << 16;
export const F_RANDOM_NEG = 1 << 17;
/** Any test at all (a rule with none always matches). */
export const F_TESTS = (1 << 18) - 1;

// Opcodes, in bits 18-21 of word 0.
export const OP_SHIFT = 18;
export const OP_NONE = 0;
export const OP_ACCEPT = 1;
export const OP_DROP = 2;
export const OP_RETURN = 3;
export const OP_JUMP = 4;
export const OP_GOTO = 5;
export const OP_MARK = 6;
/** Anything else: runTarget on the Rule's target. */
export const OP_OTHER = 7;
export const OP_DNAT = 8;
export const OP_SNAT = 9;
// What a NAT binding holds, bits 22-25 of word 0.
export const N_IP = 1 << 22;
export const N_PORTS = 1 << 23;
export const N_RANDOM_ALL = 1 << 24;
export const N_PERSISTENT = 1 << 25;

export const EMPTY_SLOT = -1;
/** Slot values at or below this point into `lists`: position = ONE_OF - value. */
export const ONE_OF = -2;

/** Chains shorter than this are scanned; an index does not pay for itself below it. */
export const INDEX_MIN_RULES = 16;

export interface FlatTable {
  readonly name: TableName;
  /** W words per rule, all chains, in layout order. */
  readonly rec: Int32Array;
  /** Per rule (same index as the record): the Rule, its trace text (made lazily), where it sits, its random site if any. */
  readonly rules: readonly Rule[];
  readonly texts: (string | undefined)[];
  readonly format: RuleFormatter;
  readonly sites: readonly RuleSite[];
  readonly randomSites: readonly (RandomSite | undefined)[];
  /** Per rule: its chain's id. */
  readonly ruleChain: Int32Array;
  /**
   * What this table counted since it was loaded (the kernel's per-rule counters, added to the
   * ones the ruleset was restored with): per rule, words R_PKTS/R_BYTES of its record plus
   * 2^32 × ruleCarry[2·index] / [2·index + 1]; per chain id, the built-in chain's policy at 2·id
   * of policyHits.
   */
  readonly ruleCarry: Float64Array;
  readonly policyHits: Float64Array;
  /** Per chain id. */
  readonly chains: readonly Chain[];
  readonly chainStart: Int32Array;
  readonly chainEnd: Int32Array;
  /** Destination index of chain id: its first word in `hash`, or -1 (scan). */
  readonly hashBase: Int32Array;
  /** Slots - 1 (a power of two). */
  readonly hashMask: Int32Array;
  /** Per chain: where its rules without a destination test sit in `lists` ([count, rule…]). */
  readonly restAt: Int32Array;
  /**
   * Two words per slot, so a lookup is one cache line: the destination, then what it leads to —
   * EMPTY_SLOT; a rule index (≥ 0) when one rule names it, the common case; or, for several,
   * ONE_OF - position of the list in `lists`.
   */
  readonly hash: Int32Array;
  /** Candidate lists: a count, then that many absolute rule indexes in rule order. */
  readonly lists: Int32Array;
  /** Built-in chain name → chain id. */
  readonly builtinIds: ReadonlyMap<string, number>;
  /** Chain name → chain id (traced walks enter chains by name). */
  readonly chainIds: ReadonlyMap<string, number>;
}

/** The destination a rule requires (`-d a/32`, not negated), if any. */
function exactDst(r: Rule): number | undefined {
  return r.dst && !r.dst.neg && r.dst.len === 32 ? r.dst.addr : undefined;
}

/** Adds one packet of `bytes` to the counters of the rule at record `o` (index `idx`). */
export function countAt(t: FlatTable, idx: number, bytes: number): void {
  const rec = t.rec;
  const o = idx * W;
  const p = (rec[o + R_PKTS]! >>> 0) + 1;
  const b = (rec[o + R_BYTES]! >>> 0) + bytes;
  rec[o + R_PKTS] = p | 0;
  rec[o + R_BYTES] = b | 0;
  // 32-bit words wrap; the kernel's counters are 64-bit, so the high part goes to a side array.
  if (p > 0xffffffff) t.ruleCarry[2 * idx]! += 1;
  if (b > 0xffffffff) t.ruleCarry[2 * idx + 1]! += Math.floor(b / 0x100000000);
}

/** Adds one packet of `bytes` to built-in chain `id`'s policy counters. */
export function countPolicyAt(t: FlatTable, id: number, bytes: number): void {
  t.policyHits[2 * id]! += 1;
  t.policyHits[2 * id + 1]! += bytes;
}

/** The rule's counted [packets, bytes]. */
export function countedAt(t: FlatTable, idx: number): [number, number] {
  const o = idx * W;
  return [
    (t.rec[o + R_PKTS]! >>> 0) + t.ruleCarry[2 * idx]! * 0x100000000,
    (t.rec[o + R_BYTES]! >>> 0) + t.ruleCarry[2 * idx + 1]! * 0x100000000,
  ];
}

/** The netmask of a prefix length, as an int32 (0 for /0). */
export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) | 0;
}

/** Chains in the order a walk reaches them: depth first from the built-ins, then the unreachable rest. */
function layoutOrder(chains: readonly Chain[]): Chain[] {
  const byName = new Map(chains.map((c): [string, Chain] => [c.name, c]));
  const seen = new Set<string>();
  const out: Chain[] = [];
  const visit = (root: Chain): void => {
    // Iterative, so a deep ruleset cannot overflow the JS stack.
    const todo: Chain[] = [root];
    while (todo.length > 0) {
      const c = todo.pop()!;
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      out.push(c);
      const next: Chain[] = [];
      for (const r of c.rules) {
        const t = r.target;
        const to = t?.kind === "jump" ? byName.get(t.chain) : undefined;
        if (to && !seen.has(to.name)) next.push(to);
      }
      for (let i = next.length - 1; i >= 0; i--) todo.push(next[i]!);
    }
  };
  for (const c of chains) if (c.builtin) visit(c);
  for (const c of chains) visit(c);
  return out;
}

interface Encoded {
  flags: number;
  /** Match words, in record order. */
  words: number[];
}

/** The matches in numeric form, or undefined when the rule needs the match functions. */
function encodeMatches(ms: readonly Match[]): Encoded | undefined {
  let flags = 0;
  let sport: number | undefined;
  let dport: number | undefined;
  let mark: [number, number] | undefined;
  let prob: number | undefined;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    switch (m.module) {
      case "comment":
        break;
      case "tcp":
      case "udp":
        if (flags & (F_L4 | F_RANDOM)) return undefined;
        if (m.module === "tcp" && m.flags) return undefined;
        flags |= F_L4 | (m.module === "udp" ? F_L4_UDP : 0);
        if (m.sport) {
          flags |= F_SPORT | (m.sport.neg ? F_SPORT_NEG : 0);
          sport = m.sport.min | (m.sport.max << 16);
        }
        if (m.dport) {
          flags |= F_DPORT | (m.dport.neg ? F_DPORT_NEG : 0);
          dport = m.dport.min | (m.dport.max << 16);
        }
        break;
      case "mark":
        if (flags & (F_MARK | F_RANDOM)) return undefined;
        flags |= F_MARK | (m.neg ? F_MARK_NEG : 0);
        mark = [m.value | 0, m.mask | 0];
        break;
      case "statistic":
        // Random draws are side effects: the walk tests them last, so they must come last.
        if (m.mode !== "random" || flags & F_RANDOM) return undefined;
        flags |= F_RANDOM | (m.neg ? F_RANDOM_NEG : 0);
        prob = m.probability;
        break;
      default:
        return undefined;
    }
  }
  const words = [sport, dport, ...(mark ?? []), prob].filter((w): w is number => w !== undefined);
  return { flags, words };
}

/** A non-comment match after the random one makes the draw depend on order: such rules go SLOW. */
function randomIsLast(ms: readonly Match[]): boolean {
  const k = ms.findIndex((m) => m.module === "statistic");
  return k < 0 || ms.slice(k + 1).every((m) => m.module === "comment");
}

export function compileFlat(name: TableName, chains: readonly Chain[], format: RuleFormatter): FlatTable {
  const order = layoutOrder(chains);
  const ids = new Map(order.map((c, i): [string, number] => [c.name, i]));
  const total = order.reduce((n, c) => n + c.rules.length, 0);
  const rec = new Int32Array(total * W);
  const rules: Rule[] = [];
  const sites: RuleSite[] = [];
  const randomSites: (RandomSite | undefined)[] = [];
  const ruleChain = new Int32Array(total);
  const chainStart = new Int32Array(order.length);
  const chainEnd = new Int32Array(order.length);
  const hashBase = new Int32Array(order.length).fill(-1);
  const hashMask = new Int32Array(order.length);
  const restAt = new Int32Array(order.length);
  const hash: number[] = [];
  const lists: number[] = [];
  // Where each chain's rules start, known up front so jump records can hold their target's span.
  order.reduce((n, c, cid) => {
    chainStart[cid] = n;
    chainEnd[cid] = n + c.rules.length;
    return n + c.rules.length;
  }, 0);
  const indexed = order.map((c) => c.rules.length >= INDEX_MIN_RULES && indexWorthIt(c));
  order.forEach((c, cid) => {
    const at = chainStart[cid]!;
    c.rules.forEach((r, i) => {
      const o = (at + i) * W;
      ruleChain[at + i] = cid;
      const t = r.target;
      const nat = t?.kind === "DNAT" || t?.kind === "SNAT";
      const e = randomIsLast(r.matches) && !r.inIface && !r.outIface ? encodeMatches(r.matches) : undefined;
      // A NAT target takes word 5 for its ports, leaving one match word.
      const fits = e !== undefined && e.words.length <= (nat ? 1 : 2);
      let flags = fits ? e.flags : F_SLOW;
      if (fits) e.words.forEach((w, k) => (rec[o + R_M + k] = w));
      let hdr = 0;
      if (r.src) {
        flags |= F_SRC | (r.src.neg ? F_SRC_NEG : 0);
        rec[o + R_SRC] = r.src.addr | 0;
        hdr |= r.src.len;
      }
      if (r.dst) {
        flags |= F_DST | (r.dst.neg ? F_DST_NEG : 0);
        rec[o + R_DST] = r.dst.addr | 0;
        hdr |= r.dst.len << 8;
      }
      if (r.proto && r.proto.proto !== 0) {
        flags |= F_PROTO | (r.proto.neg ? F_PROTO_NEG : 0);
        hdr |= r.proto.proto << 16;
      }
      rec[o + R_HDR] = hdr;
      if (r.fragment && !r.fragment.neg) flags |= F_NEVER;
      let op = OP_OTHER;
      if (!t) op = OP_NONE;
      else if (t.kind === "ACCEPT") op = OP_ACCEPT;
      else if (t.kind === "DROP") op = OP_DROP;
      else if (t.kind === "RETURN") op = OP_RETURN;
      else if (t.kind === "jump") {
        const to = ids.get(t.chain);
        // A jump to a chain that does not exist was refused at load; treat it as the kernel would never see it.
        op = to === undefined ? OP_ACCEPT : t.goto ? OP_GOTO : OP_JUMP;
        if (to !== undefined) {
          // A plain chain is entered straight from the record; an indexed one needs its hash first.
          rec[o + R_T1] = indexed[to] ? -(to + 1) : chainStart[to]!;
          rec[o + R_T2] = indexed[to] ? 0 : chainEnd[to]!;
        }
      } else if (t.kind === "DNAT" || t.kind === "SNAT") {
        flags |= encodeNat(rec, o, natRangeOf(t));
        op = t.kind === "DNAT" ? OP_DNAT : OP_SNAT;
      } else if (t.kind === "MARK") {
        op = OP_MARK;
        rec[o + R_T1] = t.value | 0;
        rec[o + R_T2] = t.mask | 0;
      }
      rec[o + R_FLAGS] = flags | (op << OP_SHIFT);
      rules.push(r);
      sites.push({ table: name, chain: c.name, rule: i + 1 });
      const stat = r.matches.find((m) => m.module === "statistic");
      randomSites.push(
        stat?.mode === "random"
          ? { table: name, chain: c.name, rule: i + 1, probability: stat.probability, jumpTo: t?.kind === "jump" ? t.chain : undefined }
          : undefined,
      );
    });
    restAt[cid] = -1;
    if (indexed[cid]) indexChain(c, at, cid);
  });

  function indexChain(c: Chain, start: number, cid: number): void {
    const byDst = new Map<number, number[]>();
    const rest: number[] = [];
    c.rules.forEach((r, i) => {
      const d = exactDst(r);
      if (d === undefined) rest.push(start + i);
      else {
        const l = byDst.get(d);
        if (l) l.push(start + i);
        else byDst.set(d, [start + i]);
      }
    });
    restAt[cid] = lists.length;
    pushList(lists, rest);
    // Load factor at most 1/2: an absent destination ends its probe within a slot or two.
    let size = 4;
    while (size < byDst.size * 2) size *= 2;
    const base = hash.length;
    for (let k = 0; k < size; k++) hash.push(0, EMPTY_SLOT);
    hashBase[cid] = base;
    hashMask[cid] = size - 1;
    for (const [d, l] of byDst) {
      let s = dstSlot(d | 0, size - 1);
      while (hash[base + 2 * s + 1] !== EMPTY_SLOT) s = (s + 1) & (size - 1);
      hash[base + 2 * s] = d | 0;
      if (l.length === 1) hash[base + 2 * s + 1] = l[0]!;
      else {
        hash[base + 2 * s + 1] = ONE_OF - lists.length;
        pushList(lists, l);
      }
    }
  }

  return {
    name,
    rec,
    rules,
    texts: new Array<string | undefined>(total).fill(undefined),
    format,
    sites,
    randomSites,
    ruleChain,
    ruleCarry: new Float64Array(total * 2),
    policyHits: new Float64Array(order.length * 2),
    chains: order,
    chainStart,
    chainEnd,
    hashBase,
    hashMask,
    restAt,
    hash: Int32Array.from(hash),
    lists: Int32Array.from(lists),
    chainIds: ids,
    builtinIds: new Map(order.flatMap((c, i): [string, number][] => (c.builtin ? [[c.name, i]] : []))),
  };
}

/** Stores a DNAT/SNAT binding in the record (words 5-7); returns its N_* flags. */
function encodeNat(rec: Int32Array, o: number, b: NatBinding): number {
  let n = 0;
  if (b.minIp !== undefined) {
    n |= N_IP;
    rec[o + R_T1] = b.minIp | 0;
    rec[o + R_T2] = (b.maxIp ?? b.minIp) | 0;
  }
  if (b.minPort !== undefined) {
    n |= N_PORTS;
    rec[o + R_NAT_PORTS] = b.minPort | ((b.maxPort ?? b.minPort) << 16);
  }
  return n | (b.randomAll ? N_RANDOM_ALL : 0) | (b.persistent ? N_PERSISTENT : 0);
}

/** The NAT binding of the DNAT/SNAT record at `o`: what natRangeOf() gives for the rule's target. */
export function natBindingAt(rec: Int32Array, o: number): NatBinding {
  const f = rec[o + R_FLAGS]!;
  const ip = (f & N_IP) !== 0;
  const ports = (f & N_PORTS) !== 0;
  const p = rec[o + R_NAT_PORTS]!;
  return {
    minIp: ip ? rec[o + R_T1]! >>> 0 : undefined,
    maxIp: ip ? rec[o + R_T2]! >>> 0 : undefined,
    minPort: ports ? p & 0xffff : undefined,
    maxPort: ports ? p >>> 16 : undefined,
    randomAll: (f & N_RANDOM_ALL) !== 0,
    persistent: (f & N_PERSISTENT) !== 0,
  };
}

/** An index that rules out little is not worth the merge: at least two destinations must be named. */
function indexWorthIt(c: Chain): boolean {
  const named = new Set<number>();
  for (const r of c.rules) {
    const d = exactDst(r);
    if (d !== undefined) named.add(d);
    if (named.size >= 2) return true;
  }
  return false;
}

function pushList(out: number[], l: readonly number[]): void {
  out.push(l.length);
  for (const x of l) out.push(x);
}

/** A destination's home slot in a table of mask + 1 slots (a 32-bit integer mix, so every bit counts). */
export function dstSlot(dst: number, mask: number): number {
  let h = Math.imul(dst ^ (dst >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) & mask;
}
