/** The `LpmEntry` contract, checked the same way by every LPM implementation when it is built. */
import type { LpmEntry } from "./lpm.js";

/** Throws RangeError on an entry that breaks the `LpmEntry` contract (a caller bug, not user input). */
export function checkEntry(e: LpmEntry, at: number): void {
  const ok =
    Number.isInteger(e.len) && e.len >= 0 && e.len <= 32 &&
    Number.isInteger(e.net) && e.net >= 0 && e.net <= 0xffffffff &&
    (e.len === 32 || e.net % 2 ** (32 - e.len) === 0) &&
    Number.isInteger(e.value) && e.value >= 0 && e.value <= 0x7fffffff;
  if (!ok) throw new RangeError(`lpm entry ${at}: invalid prefix ${e.net}/${e.len} -> ${e.value}`);
}
