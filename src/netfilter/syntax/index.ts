/**
 * iptables-save text <-> typed Ruleset (src/netfilter/rule.ts): the parser mirrors
 * `iptables-restore -c` 1.8.9 (nf_tables), the printer `iptables-save [-c]` of the same
 * version, and the view helpers in src/views/ reuse the per-extension printers for
 * `iptables -S` and `iptables -L`.
 */
export { parseIptablesSave } from "./restore.js";
export { formatRule, printIptablesSave, saveTable, SAVE_TABLE_ORDER } from "./save.js";
export type { SaveOptions } from "./save.js";
export { formatProbability, probabilityToFixed } from "./matches/statistic.js";
