/**
 * What the components do to iptables rules a person changed by hand, when they next look.
 *
 *  - kube-proxy (iptables mode) writes its chains with `iptables-restore --noflush`: every chain
 *    it declares is flushed and rewritten, so a rule typed into KUBE-SERVICES or a KUBE-SEP-…
 *    chain is gone after its next sync, and a chain it owns that was flushed comes back whole.
 *    Its jumps from the built-in chains are kept by `EnsureRule(Prepend)`: when one is missing it
 *    is put back first in its chain; rules typed into built-in chains (or chains it does not
 *    own) are left alone. Simplification: every sync is modelled as a full one (since 1.28 a
 *    partial sync rewrites only the Services that changed; the jumps are ensured on full syncs).
 *  - flanneld (`--iptables-resync`, 5 s) checks that each of its rules exists; if one is missing
 *    it deletes all of its rules and appends them again, so they end up last in their chains.
 */
import type { Chain, Rule, Ruleset, Table } from "../../netfilter/rule.js";
import { saveOrder } from "../../netfilter/rule.js";
import { formatRule } from "../../netfilter/syntax/save.js";

/** kube-proxy's BoundedFrequencyRunner runs a sync at least this often, even with no change. */
export const KUBE_PROXY_MAX_SYNC_INTERVAL_S = 3600;
/** flanneld's --iptables-resync default. */
export const FLANNEL_IPTABLES_RESYNC_S = 5;

const same = (chain: string, a: Rule, b: Rule): boolean => formatRule(chain, a) === formatRule(chain, b);

function tableOf(rs: Ruleset, name: Table["name"]): Table | undefined {
  return rs.tables.find((t) => t.name === name);
}

function withTable(rs: Ruleset, t: Table): Ruleset {
  return rs.tables.some((x) => x.name === t.name) ? { tables: rs.tables.map((x) => (x.name === t.name ? t : x)) } : { tables: [...rs.tables, t] };
}


/** The ruleset after a kube-proxy sync over `current`, with `own` being what kube-proxy writes. */
export function kubeProxySync(current: Ruleset, own: Ruleset): Ruleset {
  let out = current;
  for (const ot of own.tables) {
    const cur = tableOf(out, ot.name) ?? { name: ot.name, chains: [] };
    const chains = new Map(cur.chains.map((c) => [c.name, c] as const));
    for (const oc of ot.chains) {
      const have = chains.get(oc.name);
      if (!oc.builtin) {
        chains.set(oc.name, { ...(have ?? oc), rules: oc.rules });
        continue;
      }
      const base: Chain = have ?? { ...oc, rules: [] };
      // The missing jumps go first, in the order a fresh node has them.
      const missing = oc.rules.filter((r) => !base.rules.some((x) => same(oc.name, x, r)));
      chains.set(oc.name, { ...base, rules: [...missing, ...base.rules] });
    }
    out = withTable(out, { ...cur, chains: saveOrder(ot.name, chains.values()) });
  }
  return out;
}

/** The ruleset after flanneld's check: unchanged if all its rules are there, else its rules moved to the end. */
export function flannelResync(current: Ruleset, own: Ruleset): Ruleset {
  const present = own.tables.every((ot) => ot.chains.every((oc) => {
    const cur = tableOf(current, ot.name)?.chains.find((c) => c.name === oc.name);
    return cur !== undefined && oc.rules.every((r) => cur.rules.some((x) => same(oc.name, x, r)));
  }));
  if (present) return current;
  let out = current;
  for (const ot of own.tables) {
    const cur = tableOf(out, ot.name) ?? { name: ot.name, chains: [] };
    const chains = new Map(cur.chains.map((c) => [c.name, c] as const));
    for (const oc of ot.chains) {
      const have = chains.get(oc.name) ?? { ...oc, rules: [] };
      const kept = have.rules.filter((x) => !oc.rules.some((r) => same(oc.name, x, r)));
      chains.set(oc.name, { ...have, rules: [...kept, ...oc.rules] });
    }
    out = withTable(out, { ...cur, chains: saveOrder(ot.name, chains.values()) });
  }
  return out;
}
