/**
 * How kubectl (v1.30) lays out what it prints, independent of any resource:
 *
 *  - `tabwrite()`: text/tabwriter as cli-runtime's printers.GetNewTabWriter() configures it
 *    (minwidth 6, tabwidth 4, padding 3, pad char ' '): every cell but a line's last is padded
 *    to its column's width, which is the widest cell plus 3, and never less than 6; the last
 *    cell is written as it is, so lines carry no trailing blanks;
 *  - `humanDuration()`: duration.HumanDuration() of k8s.io/apimachinery (the AGE column), which
 *    keeps two or three significant figures: `45s`, `119s`, `2m`, `9m59s`, `179m`, `3h5m`,
 *    `47h`, `2d3h`, `25d`, `2y15d`, `8y`;
 *  - `formatLabels()`: labels.FormatLabels(), the SELECTOR column.
 */

/** printers.GetNewTabWriter(): tabwriter.NewWriter(out, 6, 4, 3, ' ', …). */
const MIN_WIDTH = 6;
const PADDING = 3;

/** Width as tabwriter counts it: one per UTF-8 rune. */
function runeCount(s: string): number {
  return [...s].length;
}

/**
 * Rows of cells (each row one line) aligned as tabwriter aligns tab-terminated cells. All rows
 * of one table have the same number of cells, so every column is one block spanning all lines.
 */
export function tabwrite(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) {
      widths[c] = Math.max(widths[c] ?? MIN_WIDTH, runeCount(row[c]!) + PADDING);
    }
  }
  let out = "";
  for (const row of rows) {
    let line = "";
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]!;
      line += c < row.length - 1 ? cell + " ".repeat(widths[c]! - runeCount(cell)) : cell;
    }
    out += `${line}\n`;
  }
  return out;
}

/**
 * duration.HumanDuration() for a duration in seconds (fractions allowed). Go truncates toward
 * zero at every step (`int(d.Seconds())`, `d / time.Minute`), and tolerates a clock up to two
 * seconds behind: -1.9 s is `0s`, -2 s is `<invalid>`.
 */
export function humanDuration(seconds: number): string {
  const s = Math.trunc(seconds);
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 60 * 2) return `${s}s`;
  const minutes = Math.trunc(s / 60);
  if (minutes < 10) {
    const rest = s % 60;
    return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(s / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** labels.FormatLabels(): `k=v` pairs sorted by key, joined by commas; `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort(byteOrder);
  if (keys.length === 0) return "<none>";
  return keys.map((k) => `${k}=${labels![k]}`).join(",");
}

/** Go's string comparison: by UTF-16 code unit, which for the ASCII names here is byte order. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
