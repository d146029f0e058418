/**
 * Where the kernel lets each target and match be used, checked the way nf_tables does for
 * iptables-nft's xt extensions (nft_target_init()/nft_target_validate(),
 * nft_match_init() in net/netfilter/nft_compat.c, on top of xt_check_target()/xt_check_match()
 * in net/netfilter/x_tables.c):
 *
 *  - a target tied to a table (`.table`) is refused in any other table, in any chain, when
 *    the rule is added: DNAT, SNAT, MASQUERADE, REDIRECT only in nat; REJECT only in filter;
 *    CT and NOTRACK only in raw;
 *  - a target tied to hooks (`.hooks`) is refused when any built-in chain of another hook
 *    can reach it through jumps/gotos (validated from every base chain): DNAT and REDIRECT
 *    in PREROUTING/OUTPUT, SNAT in POSTROUTING/INPUT, MASQUERADE in POSTROUTING, REJECT in
 *    INPUT/FORWARD/OUTPUT; a user chain nothing reaches is not checked;
 *  - the hook checks inside a match's checkentry run only with the hook of the chain the rule
 *    is in, i.e. only in built-in chains: addrtype --limit-iface-in (PREROUTING, INPUT,
 *    FORWARD) and --limit-iface-out (POSTROUTING, OUTPUT, FORWARD); physdev --physdev-out /
 *    --physdev-is-out without --physdev-is-bridged (not in OUTPUT).
 *
 * The real tool reports these as "RULE_APPEND failed (Invalid argument)"; the issues here say
 * what is wrong and where it is reached from.
 */
import type { Position } from "../../core/issue.js";
import type { BuiltinChain, Match, Rule, TableName, Target } from "../rule.js";

export interface HookProblem {
  readonly at: Position;
  readonly code: string;
  readonly message: string;
}

const TARGET_TABLE: Partial<Record<Target["kind"], TableName>> = {
  DNAT: "nat", SNAT: "nat", MASQUERADE: "nat", REDIRECT: "nat", REJECT: "filter", CT: "raw", NOTRACK: "raw",
};

const TARGET_HOOKS: Partial<Record<Target["kind"], readonly BuiltinChain[]>> = {
  DNAT: ["PREROUTING", "OUTPUT"],
  REDIRECT: ["PREROUTING", "OUTPUT"],
  SNAT: ["POSTROUTING", "INPUT"],
  MASQUERADE: ["POSTROUTING"],
  REJECT: ["INPUT", "FORWARD", "OUTPUT"],
};

/** Per match, the hooks its checkentry refuses, or undefined. */
function matchForbids(m: Match): { readonly hooks: readonly BuiltinChain[]; readonly what: string } | undefined {
  if (m.module === "addrtype") {
    if (m.limitIfaceIn) return { hooks: ["OUTPUT", "POSTROUTING"], what: "addrtype --limit-iface-in is only valid in PREROUTING, INPUT and FORWARD" };
    if (m.limitIfaceOut) return { hooks: ["PREROUTING", "INPUT"], what: "addrtype --limit-iface-out is only valid in POSTROUTING, OUTPUT and FORWARD" };
  }
  if (m.module === "physdev" && (m.physdevOut !== undefined || (m.isOut !== undefined && m.isOut !== false)) && (m.isBridged === undefined || m.isBridged === "neg" || m.isBridged === false)) {
    return { hooks: ["OUTPUT"], what: "--physdev-out and --physdev-is-out are only supported in FORWARD and POSTROUTING with bridged traffic" };
  }
  return undefined;
}

/** The chain a rule jumps or goes to, if any. */
function jumpOf(r: Rule): string | undefined {
  return r.target?.kind === "jump" ? r.target.chain : undefined;
}

/**
 * Checks one table whose chains are given with their rules; `builtins` are its base chains.
 * For each chain, finds the base chains that reach it and the first path, so a problem can
 * say "reached from nat OUTPUT via KUBE-X".
 */
export function checkHooks(
  table: TableName,
  builtins: readonly BuiltinChain[],
  chains: ReadonlyMap<string, readonly Rule[]>,
): HookProblem[] {
  const problems: HookProblem[] = [];
  // Table restrictions: at rule-add time, whatever chain.
  for (const rules of chains.values()) {
    for (const r of rules) {
      const t = r.target;
      if (!t || !r.at) continue;
      const want = TARGET_TABLE[t.kind];
      if (want !== undefined && want !== table) {
        problems.push({
          at: r.at,
          code: "target-wrong-table",
          message: `${t.kind} is only valid in the ${want} table, not ${table} (the kernel refuses it: RULE_APPEND failed, Invalid argument)`,
        });
      }
    }
  }
  // Reachability: which base chains reach which chain, with one path each.
  const reach = new Map<string, Map<BuiltinChain, string[]>>();
  for (const base of builtins) {
    const queue: string[][] = [[base]];
    const seen = new Set<string>([base]);
    while (queue.length > 0) {
      const path = queue.shift()!;
      const chain = path[path.length - 1]!;
      let byHook = reach.get(chain);
      if (!byHook) reach.set(chain, (byHook = new Map()));
      if (!byHook.has(base)) byHook.set(base, path);
      for (const r of chains.get(chain) ?? []) {
        const next = jumpOf(r);
        if (next === undefined || seen.has(next) || !chains.has(next)) continue;
        seen.add(next);
        queue.push([...path, next]);
      }
    }
  }
  for (const [chain, rules] of chains) {
    const hooks = reach.get(chain);
    for (const r of rules) {
      if (!r.at) continue;
      const t = r.target;
      const allowed = t ? TARGET_HOOKS[t.kind] : undefined;
      if (t && allowed && TARGET_TABLE[t.kind] === table && hooks) {
        for (const [hook, path] of hooks) {
          if (allowed.includes(hook)) continue;
          const via = path.length > 1 ? ` (reached from ${hook} via ${path.slice(1).join(" -> ")})` : "";
          problems.push({
            at: r.at,
            code: "target-wrong-hook",
            message: `${t.kind} is only valid in ${allowed.join(" and ")}, not ${hook}${via}; the kernel refuses it (RULE_APPEND failed: Invalid argument)`,
          });
          break;
        }
      }
      if (!(builtins as readonly string[]).includes(chain)) continue;
      for (const m of r.matches) {
        const f = matchForbids(m);
        if (f && f.hooks.includes(chain as BuiltinChain)) {
          problems.push({ at: r.at, code: "match-wrong-hook", message: `${f.what}, not ${chain} (the kernel refuses it: RULE_APPEND failed, Invalid argument)` });
        }
      }
    }
  }
  return problems;
}
