/**
 * flanneld's log lines as `kubectl logs` shows them: klog's header (klog/v2 formatHeader:
 * `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`, the thread id right-aligned in 7 columns)
 * and the few Go fmt verbs flannel's messages use (%v of a []string, %#v of a
 * map[string]string, strconv.Quote). Time and pid are inputs: nothing here reads a clock.
 */
import type { LogSite } from "./sites.js";

export type Severity = "I" | "W" | "E";

/** Where log lines get their time and pid: line i is stamped `startUs + i·stepUs` (µs since the epoch, UTC). */
export interface KlogClock {
  readonly pid: number;
  readonly startUs: number;
  readonly stepUs: number;
}

export interface LogEntry {
  readonly severity: Severity;
  readonly site: LogSite;
  readonly message: string;
}

const two = (n: number): string => String(n).padStart(2, "0");

export function klogHeader(severity: Severity, site: LogSite, us: number, pid: number): string {
  const d = new Date(Math.floor(us / 1000));
  const micros = String(((us % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, "0");
  const date = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${micros}`;
  return `${severity}${date} ${time} ${String(pid).padStart(7)} ${site.file}:${site.line}] `;
}

/** Stamps entries in order; `first` is the index of the first entry in the whole log. */
export function renderLog(entries: readonly LogEntry[], clock: KlogClock, first = 0): string[] {
  return entries.map((e, i) => klogHeader(e.severity, e.site, clock.startUs + (first + i) * clock.stepUs, clock.pid) + e.message);
}

/** strconv.Quote for the strings flannel prints: Go escapes, printable non-ASCII kept as is. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 11) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c >= 0x80 && c < 0xa0) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/** %v of a []string: `[a b]`, `[]` when empty. */
export function goSlice(items: readonly string[]): string {
  return `[${items.join(" ")}]`;
}

/** %#v of a map[string]string: fmt sorts the keys (internal/fmtsort, byte order). */
export function goMapLiteral(m: Readonly<Record<string, string>>): string {
  const keys = Object.keys(m).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(m[k]!)}`).join(", ")}}`;
}
