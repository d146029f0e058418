/**
 * Splits one rule line into arguments the way iptables-restore does (add_param_to_argv() in
 * iptables/xshared.c, 1.8.9): spaces, tabs and newlines separate arguments; a double quote
 * opens a quoted run in which `\x` stands for `x` and only the closing quote ends it; a
 * closing quote also ends the argument, so `ab"c d"e` is the two arguments `abc d` and `e`;
 * outside quotes a backslash is an ordinary character; an unterminated quote runs to the end
 * of the line. Each argument keeps the 1-based column where it started, for issues.
 */
import type { Tok } from "./module.js";

export function tokenizeLine(line: string, file: string, lineNo: number, startColumn = 1): Tok[] {
  const out: Tok[] = [];
  let buf = "";
  let has = false; // an argument is open (it may still be empty: `""`)
  let start = 0;
  let quoteOpen = false;
  let escaped = false;
  const emit = (): void => {
    out.push({ text: buf, at: { file, line: lineNo, column: startColumn + start } });
    buf = "";
    has = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? "";
    if (quoteOpen) {
      if (escaped) {
        buf += c;
        escaped = false;
      } else if (c === "\\") escaped = true;
      else if (c === '"') {
        quoteOpen = false;
        emit();
      } else buf += c;
      continue;
    }
    if (c === '"') {
      if (!has) {
        has = true;
        start = i;
      }
      quoteOpen = true;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n") {
      if (has && buf.length > 0) emit();
      continue;
    }
    if (!has) {
      has = true;
      start = i;
    }
    buf += c;
  }
  // add_param_to_argv() keeps a trailing argument only if it has characters.
  if (has && buf.length > 0) emit();
  return out;
}
