/**
 * A line diff for failure messages: what the kernel printed against what the simulator printed,
 * with invisible characters made visible so a stray `\r` or trailing space cannot hide.
 */

export function visible(line: string): string {
  return line.replace(/\r/g, "\\r").replace(/\t/g, "\\t").replace(/ +$/, (s) => "·".repeat(s.length));
}

/** Unified-style diff of two texts by lines (LCS); `-` lines are `a` only, `+` lines `b` only. */
export function lineDiff(a: string, b: string, aLabel = "kernel", bLabel = "simulator"): string {
  const x = a.split("\n");
  const y = b.split("\n");
  const n = x.length;
  const m = y.length;
  // lcs[i][j] = length of the LCS of x[i..] and y[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [`--- ${aLabel}`, `+++ ${bLabel}`];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      out.push(`  ${visible(x[i]!)}`);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push(`+ ${visible(y[j]!)}`);
      j++;
    } else {
      out.push(`- ${visible(x[i]!)}`);
      i++;
    }
  }
  return out.join("\n");
}
