/**
 * Where each character of a YAML string value came from in the file.
 *
 * Owns the map from an index in a scalar's *value* to an offset in the *source*, so an error in
 * a command line ("unexpected token at column 31") points inside the YAML string even when the
 * string was quoted, escaped or folded over several lines. Flow scalars (plain, 'single',
 * "double") are scanned with YAML 1.2's folding and escape rules; block scalars, and anything the
 * scan does not reproduce exactly, fall back to matching the value's characters in order.
 */
import { Scalar } from "yaml";

const ESCAPES: Record<string, string> = {
  "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b",
  " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029",
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

interface Mapped {
  text: string;
  offsets: number[];
}

function isBreak(c: string | undefined): boolean {
  return c === "\n" || c === "\r";
}
function isBlank(c: string | undefined): boolean {
  return c === " " || c === "\t";
}

/** Scans a flow scalar's body [from, to) applying line folding, `''` and backslash escapes. */
function scanFlow(src: string, from: number, to: number, style: "plain" | "single" | "double"): Mapped {
  const out: Mapped = { text: "", offsets: [] };
  const emit = (s: string, at: number): void => {
    for (let k = 0; k < s.length; k++) out.offsets.push(at);
    out.text += s;
  };
  let pending: number[] = []; // blanks seen since the last content character: dropped before a line break
  let i = from;
  while (i < to) {
    const c = src[i]!;
    if (isBreak(c)) {
      pending = [];
      const at = i;
      let breaks = 0;
      while (i < to && (isBreak(src[i]) || isBlank(src[i]))) {
        if (src[i] === "\r" && src[i + 1] === "\n") i++;
        if (isBreak(src[i])) breaks++;
        i++;
      }
      emit(breaks === 1 ? " " : "\n".repeat(breaks - 1), at);
      continue;
    }
    if (isBlank(c)) {
      pending.push(i);
      i++;
      continue;
    }
    for (const p of pending) emit(src[p]!, p);
    pending = [];
    if (style === "single" && c === "'" && src[i + 1] === "'") {
      emit("'", i);
      i += 2;
    } else if (style === "double" && c === "\\") {
      const e = src[i + 1] ?? "";
      const digits = HEX_DIGITS[e];
      if (isBreak(e)) {
        // An escaped line break joins the lines with nothing in between.
        i += 1;
        while (i < to && (isBreak(src[i]) || isBlank(src[i]))) i++;
      } else if (digits !== undefined) {
        emit(String.fromCodePoint(parseInt(src.slice(i + 2, i + 2 + digits), 16)), i);
        i += 2 + digits;
      } else {
        emit(ESCAPES[e] ?? e, i);
        i += 2;
      }
    } else {
      emit(c, i);
      i++;
    }
  }
  for (const p of pending) emit(src[p]!, p);
  return out;
}

/** Fallback: find each value character, in order, in the source (a break may stand for a space). */
function alignInOrder(src: string, from: number, to: number, value: string): number[] | undefined {
  const offsets: number[] = [];
  let j = from;
  for (const c of value) {
    while (j < to && src[j] !== c && !(c === " " && isBreak(src[j]))) j++;
    if (j >= to) return undefined;
    for (let k = 0; k < c.length; k++) offsets.push(j);
    j++;
  }
  return offsets;
}

/**
 * Source offsets for value indices 0..value.length (the last entry is just past the value, for
 * "missing argument" positions). Never fails: when nothing matches, every index maps to the
 * scalar's start.
 */
export function scalarOffsets(src: string, node: Scalar): number[] {
  const value = typeof node.value === "string" ? node.value : String(node.value);
  const [start, valueEnd] = node.range ?? [0, 0];
  let offsets: number[] | undefined;
  if (node.type === Scalar.PLAIN || node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE) {
    const quoted = node.type !== Scalar.PLAIN;
    const from = quoted ? start + 1 : start;
    const to = quoted ? valueEnd - 1 : valueEnd;
    const style = node.type === Scalar.PLAIN ? "plain" : node.type === Scalar.QUOTE_SINGLE ? "single" : "double";
    const m = scanFlow(src, from, to, style);
    offsets = m.text === value ? m.offsets : alignInOrder(src, from, to, value);
    if (offsets !== undefined) offsets.push(m.text === value ? to : (offsets.at(-1) ?? from) + 1);
  } else {
    // Block scalar: skip the header line (`|`, `>-`, …), then align.
    const body = src.indexOf("\n", start);
    const from = body < 0 ? valueEnd : body + 1;
    offsets = alignInOrder(src, from, valueEnd, value);
    if (offsets !== undefined) offsets.push((offsets.at(-1) ?? from) + 1);
  }
  return offsets ?? new Array<number>(value.length + 1).fill(start);
}
