/**
 * DIR-24-8 (the DPDK rte_lpm layout), used by the LPM benchmark only as a calibration row: it is
 * the structure research/performance.md §2 measured at ~83 M lookups/s at 1 M prefixes on this
 * machine, which is where the fast table's 50 M/s target comes from. Running it in the same
 * session shows how today's machine compares with that measurement: a lookup is one random read
 * in 64 MiB, so the suite's memory probe (random reads over 64 MiB) is its ceiling. It is not a
 * candidate for the simulator: every table costs 64 MiB (tbl24) however few routes it holds.
 *
 * tbl24 (Int32Array, 2^24): value + 1 for the top 24 bits, 0 for none, or -(group + 1) when
 * longer prefixes under that /24 live in a 256-entry tbl8 group. Built from prefixes sorted by
 * length, so longer ones overwrite shorter ones.
 */
import type { Lpm, LpmEntry } from "../src/route/lpm.js";

class Dir248 implements Lpm {
  declare readonly size: number;
  declare private readonly tbl24: Int32Array;
  declare private readonly tbl8: Int32Array;

  constructor(size: number, tbl24: Int32Array, tbl8: Int32Array) {
    this.size = size;
    this.tbl24 = tbl24;
    this.tbl8 = tbl8;
  }

  lookup(addr: number): number {
    const e = this.tbl24[addr >>> 8]!;
    return e >= 0 ? e - 1 : this.tbl8[((-e - 1) << 8) | (addr & 255)]! - 1;
  }

  bytes(): number {
    return this.tbl24.byteLength + this.tbl8.byteLength;
  }
}

export function buildDir248(entries: readonly LpmEntry[]): Lpm {
  const tbl24 = new Int32Array(1 << 24);
  let tbl8 = new Int32Array(256 * 16);
  let groups = 0;
  const byLength = [...entries].sort((a, b) => a.len - b.len);
  for (const e of byLength) {
    const i24 = e.net >>> 8;
    if (e.len <= 24) {
      // Overwrites shorter prefixes. No tbl8 group exists yet: longer prefixes come later.
      tbl24.fill(e.value + 1, i24, i24 + 2 ** (24 - e.len));
      continue;
    }
    let cur = tbl24[i24]!;
    if (cur >= 0) {
      if ((groups + 1) * 256 > tbl8.length) {
        const grown = new Int32Array(tbl8.length * 2);
        grown.set(tbl8);
        tbl8 = grown;
      }
      tbl8.fill(cur, groups * 256, (groups + 1) * 256);
      cur = -(groups + 1);
      tbl24[i24] = cur;
      groups++;
    }
    const from = (-cur - 1) * 256 + (e.net & 255);
    tbl8.fill(e.value + 1, from, from + 2 ** (32 - e.len));
  }
  return new Dir248(entries.length, tbl24, tbl8.slice(0, groups * 256));
}
