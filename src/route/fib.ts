/**
 * The forwarding information base of one namespace: its tables and the policy rules that order
 * them. Mirrors fib_lookup() with the default rules (`ip rule`: 0 local, 32766 main, 32767
 * default) and the route types of fib_props[] in net/ipv4/fib_semantics.c, which decide the
 * errno a failed lookup gives a sender.
 */
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN } from "../netns/spec.js";
import type { Route } from "./route.js";
import { RouteTable } from "./table.js";

export const DEFAULT_RULES: readonly { readonly pref: number; readonly table: number }[] = [
  { pref: 0, table: TABLE_LOCAL },
  { pref: 32766, table: TABLE_MAIN },
  { pref: 32767, table: TABLE_DEFAULT },
];

/** errno for a lookup that ends on a route of this type (fib_props[].error). */
export const ROUTE_TYPE_ERRNO: Readonly<Record<string, string>> = {
  unreachable: "EHOSTUNREACH",
  blackhole: "EINVAL",
  prohibit: "EACCES",
};

const HAS_NEXTHOP = new Set(["unicast", "local", "broadcast"]);

export type FibResult =
  | { readonly ok: true; readonly route: Route }
  | { readonly ok: false; readonly errno: string; readonly route?: Route };

export class Fib {
  readonly tables: ReadonlyMap<number, RouteTable>;

  constructor(routes: readonly Route[]) {
    const byTable = new Map<number, Route[]>();
    for (const r of routes) {
      const list = byTable.get(r.table);
      if (list) list.push(r);
      else byTable.set(r.table, [r]);
    }
    this.tables = new Map([...byTable].map(([id, list]) => [id, new RouteTable(id, list)]));
  }

  /**
   * Walks the rules in order. `throw` routes end the search in their table only; the error
   * types (unreachable, blackhole, prohibit) end it with their errno; nothing found anywhere is
   * ENETUNREACH, which is what `connect()` and `ip route get` report.
   */
  lookup(dst: number, accept?: (r: Route) => boolean): FibResult {
    // Error and throw routes end the search before any nexthop check (fib_table_lookup).
    const acc = accept ? (r: Route) => !HAS_NEXTHOP.has(r.type) || accept(r) : undefined;
    for (const rule of DEFAULT_RULES) {
      const table = this.tables.get(rule.table);
      if (!table) continue;
      const route = table.lookup(dst, acc);
      if (!route || route.type === "throw") continue;
      const errno = ROUTE_TYPE_ERRNO[route.type];
      if (errno) return { ok: false, errno, route };
      return { ok: true, route };
    }
    return { ok: false, errno: "ENETUNREACH" };
  }
}
