/**
 * Rule counters past 32 bits: the compiled records keep the low words of each rule's packet and
 * byte counts, the kernel's counters are 64-bit, so a carry array holds the rest (flat.ts countAt).
 */
import { describe, expect, it } from "vitest";
import { R_BYTES, R_PKTS, compileFlat, countAt, countedAt } from "../../src/netfilter/eval/flat.js";
import type { Chain } from "../../src/netfilter/rule.js";
import { ZERO_COUNTERS } from "../../src/netfilter/rule.js";
import { formatRule } from "../../src/netfilter/syntax/index.js";

const INPUT: Chain = { name: "INPUT", builtin: true, policy: "ACCEPT", counters: ZERO_COUNTERS, rules: [{ matches: [], target: { kind: "ACCEPT" }, counters: ZERO_COUNTERS }] };

describe("compiled rule counters", () => {
  it("count packets and bytes", () => {
    const t = compileFlat("filter", [INPUT], formatRule);
    countAt(t, 0, 84);
    countAt(t, 0, 60);
    expect(countedAt(t, 0)).toEqual([2, 144]);
  });

  it("carry past 2^32 bytes and packets, as the kernel's 64-bit counters do", () => {
    const t = compileFlat("filter", [INPUT], formatRule);
    // Just below the wrap of both low words.
    t.rec[R_PKTS] = 0xffffffff | 0;
    t.rec[R_BYTES] = (0xffffffff - 10) | 0;
    countAt(t, 0, 100);
    expect(countedAt(t, 0)).toEqual([0x100000000, 0xffffffff - 10 + 100]);
    countAt(t, 0, 100);
    expect(countedAt(t, 0)).toEqual([0x100000001, 0xffffffff - 10 + 200]);
  });
});
