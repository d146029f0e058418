/**
 * The reference longest-prefix match: a scan over every prefix, keeping the longest one that
 * contains the address. O(N) per lookup and deliberately plain — it is the oracle the fast
 * implementation is checked against (test/conformance/lpm.test.ts), not something to optimise.
 */
import type { Lpm, LpmEntry } from "./lpm.js";
import { checkEntry } from "./lpm-check.js";

class LinearLpm implements Lpm {
  readonly size: number;
  private readonly nets: Uint32Array;
  private readonly masks: Uint32Array;
  private readonly lens: Uint8Array;
  private readonly values: Int32Array;

  constructor(entries: readonly LpmEntry[]) {
    const n = entries.length;
    this.size = n;
    this.nets = new Uint32Array(n);
    this.masks = new Uint32Array(n);
    this.lens = new Uint8Array(n);
    this.values = new Int32Array(n);
    entries.forEach((e, i) => {
      checkEntry(e, i);
      this.nets[i] = e.net;
      this.masks[i] = e.len === 0 ? 0 : 0xffffffff << (32 - e.len);
      this.lens[i] = e.len;
      this.values[i] = e.value;
    });
  }

  lookup(addr: number): number {
    let best = -1;
    let bestLen = -1;
    for (let i = 0; i < this.size; i++) {
      const len = this.lens[i]!;
      if (len > bestLen && ((addr & this.masks[i]!) >>> 0) === this.nets[i]!) {
        best = this.values[i]!;
        bestLen = len;
      }
    }
    return best;
  }

  bytes(): number {
    // Four typed arrays and the object itself, at roughly 200 and 64 bytes of V8 overhead.
    return 64 + 4 * 200 + this.nets.byteLength + this.masks.byteLength + this.lens.byteLength + this.values.byteLength;
  }
}

export function buildLinearLpm(entries: readonly LpmEntry[]): Lpm {
  return new LinearLpm(entries);
}
