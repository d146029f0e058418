/**
 * One routing table (`ip route show table N`): longest-prefix match over the table's prefixes,
 * then, among the routes of one prefix, the lowest metric whose nexthop is acceptable.
 *
 * Mirrors fib_table_lookup() in net/ipv4/fib_trie.c, including its backtracking: when no route
 * at the longest matching prefix is acceptable (e.g. an output lookup bound to another
 * device), the search goes on at the next shorter prefix that covers the address.
 * Tables are immutable; a change builds a new table (cheap at the sizes namespaces have).
 */
import { maskOf } from "../core/ip.js";
import type { Lpm } from "./lpm.js";
import { buildFastLpm } from "./lpm.js";
import type { Route } from "./route.js";

interface Slot {
  readonly dst: number;
  readonly len: number;
  /** Routes of this prefix, lowest metric first (insertion order breaks ties, as the kernel appends). */
  readonly routes: readonly Route[];
  /** Index of the longest shorter prefix covering this one, or -1. */
  readonly parent: number;
}

export class RouteTable {
  private readonly slots: Slot[];
  private readonly lpm: Lpm;

  constructor(
    readonly id: number,
    readonly routes: readonly Route[],
  ) {
    const byKey = new Map<string, Route[]>();
    for (const r of routes) {
      const key = `${r.dst}/${r.len}`;
      const list = byKey.get(key);
      if (list) list.push(r);
      else byKey.set(key, [r]);
    }
    const keys = [...byKey.keys()];
    const index = new Map<string, number>(keys.map((k, i) => [k, i]));
    this.slots = keys.map((k) => {
      const list = byKey.get(k)!;
      const { dst, len } = list[0]!;
      let parent = -1;
      for (let l = len - 1; l >= 0 && parent < 0; l--) {
        parent = index.get(`${(dst & maskOf(l)) >>> 0}/${l}`) ?? -1;
      }
      return { dst, len, routes: [...list].sort((a, b) => a.metric - b.metric), parent };
    });
    this.lpm = buildFastLpm(this.slots.map((s, i) => ({ net: s.dst, len: s.len, value: i })));
  }

  /** The first acceptable route for `addr`, longest prefix first, backtracking to shorter ones. */
  lookup(addr: number, accept: (r: Route) => boolean = () => true): Route | undefined {
    let s = this.lpm.lookup(addr);
    while (s >= 0) {
      const slot = this.slots[s]!;
      for (const r of slot.routes) if (accept(r)) return r;
      s = slot.parent;
    }
    return undefined;
  }
}
