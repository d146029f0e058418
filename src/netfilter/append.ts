/**
 * Two components' rules on one host: what the tables hold after a second program appends its
 * rules (`iptables -A`, or `iptables-restore --noflush` of `-A` lines) to the first one's. Chains
 * the second declares are created (an existing one keeps its rules, as `-N` on an existing chain
 * fails and flannel's ClearChain only flushes its own); rules go after the existing ones; user
 * chains stay sorted by name, as iptables-save prints them.
 */
import type { Chain, Ruleset, Table } from "./rule.js";
import { saveOrder } from "./rule.js";

function appendTable(base: Table, extra: Table): Table {
  const chains: Chain[] = base.chains.map((c) => {
    const more = extra.chains.find((x) => x.name === c.name);
    return more ? { ...c, rules: [...c.rules, ...more.rules] } : c;
  });
  for (const c of extra.chains) if (!chains.some((x) => x.name === c.name)) chains.push(c);
  return { ...base, chains: saveOrder(base.name, chains) };
}

export function appendRuleset(base: Ruleset, extra: Ruleset): Ruleset {
  const tables: Table[] = base.tables.map((t) => {
    const more = extra.tables.find((x) => x.name === t.name);
    return more ? appendTable(t, more) : t;
  });
  for (const t of extra.tables) if (!tables.some((x) => x.name === t.name)) tables.push(t);
  return { tables };
}
