/**
 * `--probability` text: Go's `%0.10f` of 1/n, half-to-even on exact decimal ties (where JS
 * toFixed rounds up), anchored on upstream's unit-test values (research/kube-proxy.md §4).
 */
import { describe, expect, it } from "vitest";
import { formatFixedHalfEven, probability } from "../../../src/k8s/kube-proxy/probability.js";

describe("kube-proxy probabilities", () => {
  it.each([
    [1, "1.0000000000"],
    [2, "0.5000000000"],
    [3, "0.3333333333"],
    [4, "0.2500000000"],
    [6, "0.1666666667"],
    [7, "0.1428571429"],
    [10, "0.1000000000"],
    [100, "0.0100000000"],
    [1000, "0.0010000000"],
    [10000, "0.0001000000"],
    [100000, "0.0000100000"],
    [100001, "0.0000099999"],
  ])("1/%i → %s", (n, text) => {
    expect(probability(n)).toBe(text);
  });

  it("n = 2048 is a true tie (1/2048 = 0.00048828125 exactly): Go rounds to even, toFixed rounds up", () => {
    expect(probability(2048)).toBe("0.0004882812");
    expect((1 / 2048).toFixed(10)).toBe("0.0004882813");
  });

  it("n = 10240 and 51200 are not ties (1/n is not a float64 with a finite decimal 5 there): Go and toFixed agree", () => {
    // research/kube-proxy.md §4 lists them as ties; their float64 values lie just above the midpoint.
    expect(probability(10240)).toBe("0.0000976563");
    expect(probability(51200)).toBe("0.0000195313");
  });

  it("for n = 1 … 100000, 2048 is the only n where Go's text differs from toFixed", () => {
    const differ: number[] = [];
    for (let n = 1; n <= 100000; n++) if (probability(n) !== (1 / n).toFixed(10)) differ.push(n);
    expect(differ).toEqual([2048]);
  });

  it("a non-tie just above half rounds up (1/3 to 1 digit is 0.3, 2/3 is 0.7) and ties go to even both ways", () => {
    expect(formatFixedHalfEven(2 / 3, 1)).toBe("0.7");
    expect(formatFixedHalfEven(0.125, 2)).toBe("0.12");
    expect(formatFixedHalfEven(0.375, 2)).toBe("0.38");
    expect(formatFixedHalfEven(2.5, 0)).toBe("2");
    expect(formatFixedHalfEven(3.5, 0)).toBe("4");
  });

  it("strictly increases as n falls from 100000 to 2 (upstream's property test)", () => {
    let prev = probability(100000);
    for (let n = 99999; n >= 2; n--) {
      const p = probability(n);
      expect(Number(p) > Number(prev) || p > prev).toBe(true);
      prev = p;
    }
  });

  it("refuses n < 1 (a caller bug, not user input)", () => {
    expect(() => probability(0)).toThrow(RangeError);
  });
});
