/** What walking one table at one hook decided (the NF_* verdict of ipt_do_table). */
export type TableVerdict =
  | { readonly kind: "accept" }
  | { readonly kind: "drop"; readonly rule: string }
  | { readonly kind: "reject"; readonly rule: string; readonly with: string };

export const TABLE_ACCEPT: TableVerdict = { kind: "accept" };

/** The probability as iptables-save prints the stored value: 11 decimals. */
export function formatProbability(p31: number): string {
  return (p31 / 0x80000000).toFixed(11);
}
