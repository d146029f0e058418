/**
 * Jump depth and jump loops, as the nf_tables kernel checks them when iptables-nft 1.8.9
 * commits a table (nft_table_validate() / nft_chain_validate() in
 * net/netfilter/nf_tables_api.c, NFT_JUMP_STACK_SIZE = 16):
 *
 *  - validation walks every rule from each base (built-in) chain, following `-j`/`-g` into
 *    user chains one level deeper each time; reaching a chain at level 16 fails with EMLINK
 *    ("RULE_APPEND failed (Too many links)"). So a built-in chain may lead through at most 15
 *    nested user chains, and a loop reachable from a built-in chain always fails;
 *  - a loop among chains no built-in chain reaches is never walked and is accepted;
 *  - when the batch fails validation the kernel replays it checking after every rule, so the
 *    first rule (in file order) whose addition breaks the table is the one reported (later
 *    rules of the same table are reported too; podpath reports the first, with the chains).
 *
 * Cost: the check is linear in the jump graph; finding the rule to blame bisects over the
 * rules in file order, so a failing kube-proxy-sized table is still checked in milliseconds.
 *
 * (iptables-legacy instead refuses loops with ELOOP and has no depth limit; podpath follows
 * the nf_tables backend that Debian 12 and this project's kernel tests use.)
 */
import type { Position } from "../../core/issue.js";

/** NFT_JUMP_STACK_SIZE: a chain may not be reached at this level. */
export const MAX_JUMP_LEVEL = 16;

export interface JumpEdge {
  readonly from: string;
  readonly to: string;
  /** The rule that jumps; edges must be given in file order. */
  readonly at: Position;
}

export interface LoopProblem {
  readonly at: Position;
  readonly message: string;
}

type Graph = Map<string, string[]>;

function addEdge(g: Graph, from: string, to: string): void {
  const list = g.get(from);
  if (list) list.push(to);
  else g.set(from, [to]);
}

/** The chains from a base chain to a chain at level MAX_JUMP_LEVEL, or to a repeated chain; undefined when valid. */
function findViolation(g: Graph, bases: readonly string[]): string[] | undefined {
  // height(c): longest jump path below c, Infinity on a cycle; memoised, so linear in the graph.
  const height = new Map<string, number>();
  const onStack = new Set<string>();
  const h = (c: string): number => {
    const known = height.get(c);
    if (known !== undefined) return known;
    if (onStack.has(c)) return Infinity;
    onStack.add(c);
    let best = 0;
    for (const next of g.get(c) ?? []) {
      best = Math.max(best, 1 + h(next));
      if (best === Infinity) break;
    }
    onStack.delete(c);
    height.set(c, best);
    return best;
  };
  for (const b of bases) {
    if (h(b) < MAX_JUMP_LEVEL) continue;
    // Walk down the deepest branch to name the chains.
    const path = [b];
    const seen = new Set([b]);
    let cur = b;
    while (path.length <= MAX_JUMP_LEVEL) {
      const nexts = g.get(cur) ?? [];
      let pick: string | undefined;
      let pickH = -1;
      for (const n of nexts) {
        const hn = seen.has(n) ? Infinity : h(n);
        if (hn > pickH) {
          pick = n;
          pickH = hn;
        }
      }
      if (pick === undefined) break;
      path.push(pick);
      if (seen.has(pick)) break;
      seen.add(pick);
      cur = pick;
    }
    return path;
  }
  return undefined;
}

/**
 * Checks one table. `bases` are its built-in chains; `edges` every jump/goto in file order.
 * Returns the first offending rule and a message naming the loop or the too-deep path.
 */
export function checkJumpLoops(table: string, bases: readonly string[], edges: readonly JumpEdge[]): LoopProblem | undefined {
  const violation = (n: number): string[] | undefined => {
    const g: Graph = new Map();
    for (let i = 0; i < n; i++) {
      const e = edges[i]!;
      addEdge(g, e.from, e.to);
    }
    return findViolation(g, bases);
  };
  if (violation(edges.length) === undefined) return undefined;
  // The kernel replays the batch checking after every rule and blames the first rule that
  // breaks the table. Adding edges never repairs a table, so the first breaking prefix can be
  // found by bisection instead of a replay per edge.
  let lo = 1;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (violation(mid) === undefined) lo = mid + 1;
    else hi = mid;
  }
  const e = edges[lo - 1]!;
  const path = violation(lo) ?? [];
  const last = path[path.length - 1] ?? "";
  const loopStart = path.indexOf(last);
  if (loopStart < path.length - 1) {
    const cycle = path.slice(loopStart).join(" -> ");
    const lead = loopStart > 0 ? `, reached from ${path.slice(0, loopStart + 1).join(" -> ")}` : "";
    return {
      at: e.at,
      message: `jump loop in table ${table}: ${cycle}${lead}; the kernel refuses a loop a built-in chain can reach (RULE_APPEND failed: Too many links)`,
    };
  }
  return {
    at: e.at,
    message: `chain ${last} is ${path.length - 1} jumps deep in table ${table} (${path.join(" -> ")}); the kernel allows at most ${MAX_JUMP_LEVEL - 1} (RULE_APPEND failed: Too many links)`,
  };
}
