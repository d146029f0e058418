/**
 * The fast evaluator: the same walk as interp.ts over a table compiled into flat typed arrays
 * (flat.ts). Rules whose tests fit a record are matched with integer compares on the record;
 * the others, and every target that is not walk control, go through the same match and target
 * functions the interpreter calls, so the two cannot disagree on what an extension means.
 *
 * A long chain whose rules each name one destination (`-d 10.96.0.50/32`, kube-proxy's
 * KUBE-SERVICES) is entered through its destination hash: the walk visits the rules naming the
 * packet's destination and the rules the index cannot rule out, merged in rule order — exactly
 * the rules whose destination test could pass, so verdicts, NAT, random draws and matched-rule
 * steps are the interpreter's. This is the O(1) service lookup of nftables' verdict maps, with
 * iptables' first-match semantics. In verbose mode (every rule a step, matched or not) the
 * interpreter walks instead.
 */
import type { Chain } from "../rule.js";
import type { PacketCtx } from "./context.js";
import type { LoadedTable, RuleFormatter, WalkOptions } from "./interp.js";
import { walkTable } from "./interp.js";
import type { TableVerdict } from "./verdict.js";
import { TABLE_ACCEPT } from "./verdict.js";
import { ruleMatches } from "../match/index.js";
import { chainEnd, stepDecision } from "./steps.js";
import { runTarget } from "./target-step.js";
import type { Control } from "./target-step.js";
import { protoOf } from "../conntrack/tuple.js";
import { ipLength } from "../../wire/packet.js";
import { SampleChooser } from "../choice.js";
import { natBindFixed } from "../target/nat.js";
import { xmark } from "../target/mark.js";
import type { FlatTable } from "./flat.js";
import {
  EMPTY_SLOT, F_DPORT, F_DPORT_NEG, F_DST, F_DST_NEG, F_L4, F_L4_UDP, F_MARK, F_MARK_NEG, F_NEVER, F_PROTO, F_PROTO_NEG, F_RANDOM,
  F_RANDOM_NEG, F_SLOW, F_SPORT, F_SPORT_NEG, F_SRC, F_SRC_NEG, F_TESTS, ONE_OF, OP_ACCEPT, OP_DNAT, OP_DROP, OP_GOTO, OP_JUMP,
  OP_MARK, OP_NONE, OP_RETURN, OP_SHIFT, OP_SNAT, R_DST, R_HDR, R_M, R_SRC, R_T1, R_T2, W,
  compileFlat, countAt, countPolicyAt, dstSlot, maskOf, natBindingAt,
} from "./flat.js";

export { INDEX_MIN_RULES } from "./flat.js";

export interface CompiledStats {
  /** Chain visits served by the destination index. */
  indexedVisits: number;
}

export class CompiledTable implements LoadedTable {
  readonly chains: ReadonlyMap<string, Chain>;
  readonly flat: FlatTable;
  readonly stats: CompiledStats = { indexedVisits: 0 };

  constructor(
    readonly name: LoadedTable["name"],
    chains: readonly Chain[],
    formatRule: RuleFormatter,
  ) {
    this.chains = new Map(chains.map((c): [string, Chain] => [c.name, c]));
    this.flat = compileFlat(name, chains, formatRule);
  }

  countRule(chain: string, index: number, bytes: number): void {
    const id = this.flat.chainIds.get(chain);
    if (id !== undefined) countAt(this.flat, this.flat.chainStart[id]! + index, bytes);
  }

  countPolicy(chain: string, bytes: number): void {
    const id = this.flat.chainIds.get(chain);
    if (id !== undefined) countPolicyAt(this.flat, id, bytes);
  }
}

/** The kernel bounds a walk by its jump stack; a ruleset that passed the load-time loop check cannot hit this. */
const MAX_STEPS = 1_000_000;
/** Past every rule index: the merge's end marker. */
const END = 0x7fffffff;

export function walkCompiled(table: CompiledTable, pc: PacketCtx, opts: WalkOptions): TableVerdict {
  if (opts.verbose) return walkTable(table, pc, opts);
  const t = table.flat;
  const startId = t.builtinIds.get(pc.hook);
  if (startId === undefined) return TABLE_ACCEPT;
  const rec = t.rec;
  const lists = t.lists;
  const skb = pc.skb;
  const recording = skb.trace.recording;
  const pkt = skb.pkt;
  const l4 = pkt.payload;
  const src = pkt.src | 0;
  const dst = pkt.dst | 0;
  const proto = protoOf(l4);
  const sport = l4.kind === "icmp" ? -1 : l4.sport;
  const dport = l4.kind === "icmp" ? -1 : l4.dport;
  const bytes = ipLength(pkt);

  // The chain being walked: id `c`. Scan (b < 0): rule indexes a..aEnd. Indexed: the rules
  // naming the destination — `one` (a single rule index, or END) or lists[a..aEnd) — merged in
  // rule order with the unindexed rules lists[b..bEnd). A jump pushes these six numbers.
  let c = startId;
  let a = t.chainStart[startId]!;
  let aEnd = t.chainEnd[startId]!;
  let one = END;
  let b = -1;
  let bEnd = 0;
  // Set by a target, acted on at the top of the loop: enter chain `enter`, or pop a frame.
  let enter = t.hashBase[startId]! < 0 ? -1 : startId;
  let pop = false;
  const stack: number[] = [];

  for (let guard = 0; guard < MAX_STEPS; guard++) {
    if (pop) {
      pop = false;
      if (stack.length === 0) {
        // RETURN with an empty stack falls to the built-in chain's policy.
        c = startId;
        a = aEnd = t.chainEnd[startId]!;
        b = -1;
      } else {
        bEnd = stack.pop()!;
        b = stack.pop()!;
        one = stack.pop()!;
        aEnd = stack.pop()!;
        a = stack.pop()!;
        c = stack.pop()!;
      }
    } else if (enter >= 0) {
      c = enter;
      enter = -1;
      const base = t.hashBase[c]!;
      if (base < 0) {
        a = t.chainStart[c]!;
        aEnd = t.chainEnd[c]!;
        b = -1;
      } else {
        // An indexed chain: one probe of its destination hash.
        table.stats.indexedVisits++;
        const mask = t.hashMask[c]!;
        const hash = t.hash;
        a = aEnd = 0;
        one = END;
        for (let s = dstSlot(dst, mask); ; s = (s + 1) & mask) {
          const v = hash[base + 2 * s + 1]!;
          if (v === EMPTY_SLOT) break;
          if (hash[base + 2 * s] === dst) {
            if (v >= 0) one = v;
            else {
              a = ONE_OF - v + 1;
              aEnd = a + lists[a - 1]!;
            }
            break;
          }
        }
        const r = t.restAt[c]!;
        b = r + 1;
        bEnd = b + lists[r]!;
      }
    }
    let idx: number;
    if (b < 0) idx = a < aEnd ? a++ : -1;
    else {
      const x = one !== END ? one : a < aEnd ? lists[a]! : END;
      const y = b < bEnd ? lists[b]! : END;
      if (x < y) {
        idx = x;
        if (one !== END) one = END;
        else a++;
      } else if (y < END) {
        idx = y;
        b++;
      } else idx = -1;
    }
    if (idx < 0) {
      // Only the start chain is built-in (nothing jumps to one); a user chain's end just returns.
      // (A traced walk always knows its chain: it enters chains by id, never by the fast jump.)
      if (c === startId) countPolicyAt(t, c, bytes);
      if (recording || c === startId) {
        const end = chainEnd(pc, t.chains[c]!);
        if (end) return end;
      }
      pop = true;
      continue;
    }

    const o = idx * W;
    const f = rec[o]!;
    if (f & F_SLOW) {
      if (!ruleMatches(t.rules[idx]!, pc, t.sites[idx]!)) continue;
    } else if ((f & F_TESTS) !== 0) {
      const hdr = rec[o + R_HDR]!;
      if (f & F_SRC && ((src & maskOf(hdr & 0x3f)) === rec[o + R_SRC]) === ((f & F_SRC_NEG) !== 0)) continue;
      if (f & F_DST && ((dst & maskOf((hdr >>> 8) & 0x3f)) === rec[o + R_DST]) === ((f & F_DST_NEG) !== 0)) continue;
      if (f & F_PROTO && (proto === hdr >>> 16) === ((f & F_PROTO_NEG) !== 0)) continue;
      if (f & F_NEVER) continue;
      // Match words are packed in order from word 4.
      let m = o + R_M;
      if (f & F_L4) {
        if (proto !== (f & F_L4_UDP ? 17 : 6)) continue;
        if (f & F_SPORT) {
          const w = rec[m++]!;
          if ((sport >= (w & 0xffff) && sport <= w >>> 16) === ((f & F_SPORT_NEG) !== 0)) continue;
        }
        if (f & F_DPORT) {
          const w = rec[m++]!;
          if ((dport >= (w & 0xffff) && dport <= w >>> 16) === ((f & F_DPORT_NEG) !== 0)) continue;
        }
      }
      if (f & F_MARK) {
        const value = rec[m++]!;
        if (((skb.mark & rec[m++]!) === value) === ((f & F_MARK_NEG) !== 0)) continue;
      }
      if (f & F_RANDOM) {
        const ch = pc.state.chooser;
        let taken: boolean;
        // Untraced and sampled: the same draw without building the Decision nobody reads.
        if (!recording && ch instanceof SampleChooser) taken = ch.draw(rec[m]!);
        else {
          const d = ch.decide(t.randomSites[idx]!);
          stepDecision(pc, d);
          taken = d.taken;
        }
        if (taken === ((f & F_RANDOM_NEG) !== 0)) continue;
      }
    }

    countAt(t, idx, bytes);
    const op = (f >>> OP_SHIFT) & 0xf;
    let ctl: Control;
    if (recording) {
      const rule = t.rules[idx]!;
      const chain = t.chains[t.ruleChain[idx]!]!.name;
      const text = (t.texts[idx] ??= t.format(chain, rule));
      ctl = runTarget(rule.target, pc, chain, t.sites[idx]!.rule, text);
    } else {
      switch (op) {
        case OP_NONE:
          continue;
        case OP_ACCEPT:
          return TABLE_ACCEPT;
        case OP_RETURN:
          pop = true;
          continue;
        case OP_JUMP:
        case OP_GOTO: {
          if (op === OP_JUMP) stack.push(c, a, aEnd, one, b, bEnd);
          const t1 = rec[o + R_T1]!;
          if (t1 < 0) enter = -t1 - 1;
          else {
            // A plain chain: its span is in the jump's record, so entering it touches nothing else.
            // Its id is not needed until something asks (c = -1: some user chain).
            c = -1;
            a = t1;
            aEnd = rec[o + R_T2]!;
            b = -1;
          }
          continue;
        }
        case OP_MARK:
          skb.mark = xmark(skb.mark, rec[o + R_T1]!, rec[o + R_T2]!);
          continue;
        case OP_DNAT:
        case OP_SNAT:
          // The NAT targets end the walk with ACCEPT (nothing in this mode can fail for them).
          natBindFixed(natBindingAt(rec, o), op === OP_DNAT ? "DST" : "SRC", pc);
          return TABLE_ACCEPT;
        case OP_DROP:
        default:
          ctl = runTarget(t.rules[idx]!.target, pc, t.chains[t.ruleChain[idx]!]!.name, t.sites[idx]!.rule, "");
      }
    }
    switch (ctl.kind) {
      case "next":
        continue;
      case "verdict":
        return ctl.verdict;
      case "return":
        pop = true;
        continue;
      case "jump": {
        // A jump to a missing chain was refused at load; the kernel never sees one.
        if (op !== OP_JUMP && op !== OP_GOTO) return TABLE_ACCEPT;
        if (op === OP_JUMP) stack.push(c, a, aEnd, one, b, bEnd);
        const to = t.chainIds.get(ctl.chain);
        if (to === undefined) return TABLE_ACCEPT;
        enter = to;
        continue;
      }
    }
  }
  return { kind: "drop", rule: `${table.name}: rule walk did not end` };
}
