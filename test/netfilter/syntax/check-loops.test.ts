/**
 * checkJumpLoops(): nf_tables' depth limit and loop refusal, on graphs built by hand.
 */
import { describe, expect, test } from "vitest";
import type { Position } from "../../../src/core/issue.js";
import { checkJumpLoops } from "../../../src/netfilter/syntax/check-loops.js";

const at = (line: number): Position => ({ file: "f", line, column: 1 });
const chainOf = (n: number): { from: string; to: string; at: Position }[] =>
  Array.from({ length: n }, (_, i) => ({ from: i === 0 ? "INPUT" : `C${i}`, to: `C${i + 1}`, at: at(i + 10) }));

describe("depth", () => {
  test("15 nested user chains are allowed, the 16th is not", () => {
    expect(checkJumpLoops("filter", ["INPUT"], chainOf(15))).toBeUndefined();
    const p = checkJumpLoops("filter", ["INPUT"], chainOf(16));
    expect(p?.at.line).toBe(25);
    expect(p?.message).toBe(
      "chain C16 is 16 jumps deep in table filter (INPUT -> C1 -> C2 -> C3 -> C4 -> C5 -> C6 -> C7 -> C8 -> C9 -> C10 -> C11 -> C12 -> C13 -> C14 -> C15 -> C16); the kernel allows at most 15 (RULE_APPEND failed: Too many links)",
    );
  });

  test("depth counts from any built-in chain, and only from them", () => {
    expect(checkJumpLoops("filter", ["INPUT"], chainOf(16).slice(1))).toBeUndefined();
    const fromOutput = [...chainOf(16).slice(1), { from: "OUTPUT", to: "C1", at: at(99) }];
    expect(checkJumpLoops("filter", ["INPUT", "OUTPUT"], fromOutput)?.at.line).toBe(99);
  });
});

describe("loops", () => {
  test("a loop nothing reaches is accepted", () => {
    expect(checkJumpLoops("filter", ["INPUT"], [{ from: "A", to: "B", at: at(1) }, { from: "B", to: "A", at: at(2) }, { from: "S", to: "S", at: at(3) }])).toBeUndefined();
  });

  test("the rule whose addition (in file order) first breaks the table is blamed", () => {
    const edges = [
      { from: "A", to: "B", at: at(1) },
      { from: "B", to: "A", at: at(2) },
      { from: "INPUT", to: "A", at: at(3) },
    ];
    expect(checkJumpLoops("filter", ["INPUT"], edges)).toEqual({
      at: at(3),
      message: "jump loop in table filter: A -> B -> A, reached from INPUT -> A; the kernel refuses a loop a built-in chain can reach (RULE_APPEND failed: Too many links)",
    });
  });

  test("a self loop", () => {
    const p = checkJumpLoops("nat", ["PREROUTING"], [{ from: "PREROUTING", to: "X", at: at(1) }, { from: "X", to: "X", at: at(2) }]);
    expect(p?.message).toBe("jump loop in table nat: X -> X, reached from PREROUTING -> X; the kernel refuses a loop a built-in chain can reach (RULE_APPEND failed: Too many links)");
  });

  test("a wide DAG is no loop and is checked in linear time", () => {
    const edges: { from: string; to: string; at: Position }[] = [];
    for (let i = 0; i < 2000; i++) {
      edges.push({ from: "PREROUTING", to: `SVC${i}`, at: at(i) });
      for (let j = 0; j < 3; j++) edges.push({ from: `SVC${i}`, to: `SEP${i}-${j}`, at: at(i) }, { from: `SEP${i}-${j}`, to: "MARK", at: at(i) });
    }
    const t0 = Date.now();
    expect(checkJumpLoops("nat", ["PREROUTING"], edges)).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
