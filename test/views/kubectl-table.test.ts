/**
 * kubectl's layout helpers (views/kubectl-table.ts): duration.HumanDuration() at every boundary
 * of k8s.io/apimachinery's rules, tabwriter with kubectl's settings, labels.FormatLabels().
 */
import { describe, expect, it } from "vitest";
import { formatLabels, humanDuration, tabwrite } from "../../src/views/kubectl-table.js";

const MIN = 60;
const HOUR = 3_600;
const DAY = 86_400;
const YEAR = 365 * DAY;

describe("humanDuration (apimachinery duration.HumanDuration)", () => {
  it.each([
    // A clock up to two seconds behind is "now"; further back is invalid.
    [-2, "<invalid>"],
    [-1.9, "0s"],
    [-1, "0s"],
    [0, "0s"],
    [0.9, "0s"],
    // Seconds up to 2 minutes.
    [45, "45s"],
    [119, "119s"],
    [119.99, "119s"],
    // Minutes with seconds below 10 minutes, plain minutes below 3 hours.
    [2 * MIN, "2m"],
    [2 * MIN + 1, "2m1s"],
    [9 * MIN + 59, "9m59s"],
    [10 * MIN, "10m"],
    [10 * MIN + 59, "10m"],
    [60 * MIN, "60m"],
    [3 * HOUR - 1, "179m"],
    // Hours with minutes below 8 hours, plain hours below 48.
    [3 * HOUR, "3h"],
    [3 * HOUR + 5 * MIN, "3h5m"],
    [8 * HOUR - 1, "7h59m"],
    [8 * HOUR, "8h"],
    [48 * HOUR - 1, "47h"],
    // Days with hours below 8 days, plain days below 2 years.
    [48 * HOUR, "2d"],
    [2 * DAY + 3 * HOUR, "2d3h"],
    [8 * DAY - 1, "7d23h"],
    [8 * DAY, "8d"],
    [25 * DAY + 3 * HOUR, "25d"],
    [2 * YEAR - 1, "729d"],
    // Years with days below 8 years, plain years after.
    [2 * YEAR, "2y"],
    [2 * YEAR + 15 * DAY, "2y15d"],
    [8 * YEAR - 1, "7y364d"],
    [8 * YEAR, "8y"],
    [8 * YEAR + 15 * DAY, "8y"],
  ])("%s s is %s", (seconds, text) => {
    expect(humanDuration(seconds)).toBe(text);
  });
});

describe("tabwrite (tabwriter: minwidth 6, padding 3)", () => {
  it("pads every cell but the last to its column's widest cell plus 3, at least 6", () => {
    expect(
      tabwrite([
        ["NAME", "A", "X"],
        ["kubia", "BB", "last cell not padded"],
      ]),
    ).toBe("NAME    A     X\nkubia   BB    last cell not padded\n");
  });

  it("counts runes, not UTF-16 units", () => {
    expect(tabwrite([["né", "x"], ["abcd", "y"]])).toBe("né     x\nabcd   y\n");
  });
});

describe("formatLabels (labels.FormatLabels)", () => {
  it("sorts by key and joins k=v with commas; nothing is <none>", () => {
    expect(formatLabels({ tier: "web", app: "kubia" })).toBe("app=kubia,tier=web");
    expect(formatLabels({})).toBe("<none>");
    expect(formatLabels(undefined)).toBe("<none>");
  });
});
