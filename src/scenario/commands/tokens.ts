/**
 * Command lines as tokens, and the small vocabulary every command parser shares.
 *
 * Owns splitting a pasted line into words (spaces; '…' and "…" quoting as a shell would; a word
 * starting with # ends the line), keyword matching the way iproute2's `matches()` does (any
 * prefix of the keyword, first keyword in the table wins — so `ip a`, `ip r`, `ip n`, `ip l`
 * work), the cursor the parsers walk, and `Syn`, a syntax problem at an index in the line.
 * Commands are parsed, never executed.
 */
import type { IssueCode } from "../issues.js";
import type { Value } from "../values.js";

export interface Token {
  readonly text: string;
  /** Index in the command string of the token's first character. */
  readonly start: number;
}

/** A syntax problem at `index` in the command string (the caller maps it into the file). */
export class Syn {
  constructor(
    readonly code: IssueCode,
    readonly message: string,
    readonly index: number,
  ) {}
}

export function tokenize(line: string): Token[] | Syn {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length || line[i] === "#") break;
    const start = i;
    let text = "";
    while (i < line.length && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === "'" || c === '"') {
        const close = line.indexOf(c, i + 1);
        if (close < 0) return new Syn("unexpected-token", `unterminated ${c} quote; expected a closing ${c}`, i);
        text += line.slice(i + 1, close);
        i = close + 1;
      } else {
        text += c;
        i++;
      }
    }
    out.push({ text, start });
  }
  return out;
}

/** iproute2 `matches(word, keyword)`: word is a non-empty prefix of the keyword. */
export function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

/** The first keyword (in table order) that `word` abbreviates. */
export function pick<K extends string>(word: string, keywords: readonly K[]): K | undefined {
  return keywords.find((k) => matches(word, k));
}

export class Cursor {
  private i = 0;
  constructor(
    readonly tokens: readonly Token[],
    /** Length of the whole line: "missing argument" points just past the last token. */
    private readonly length: number,
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.i];
  }
  next(): Token | undefined {
    const t = this.tokens[this.i];
    if (t !== undefined) this.i++;
    return t;
  }
  get done(): boolean {
    return this.i >= this.tokens.length;
  }
  /** Where a missing word would go: one space after the last token. */
  get end(): number {
    const last = this.tokens.at(-1);
    return last === undefined ? 0 : Math.min(this.length, last.start + last.text.length + 1);
  }

  /** The argument after a keyword (`dev` → `eth0`), or a Syn saying what was expected. */
  arg(after: Token, what: string): Token | Syn {
    return this.next() ?? new Syn("missing-argument", `"${after.text}" needs ${what} after it`, this.end);
  }
}

export function unexpected(t: Token, expected: string): Syn {
  return new Syn("unexpected-token", `unexpected ${JSON.stringify(t.text)}; expected ${expected}`, t.start);
}

export function oneOf(words: readonly string[]): string {
  return `one of: ${words.join(", ")}`;
}

/**
 * The word after `prev` as one of the tool's `words` (abbreviations as iproute2 takes them),
 * accepted only if podpath models it: a missing word, an unknown one, and a known one that is
 * not modelled each get their own error. `command` is the command so far (`ip addr`); `shown`
 * the words the errors offer (default: the modelled ones).
 */
export function keyword<K extends string, M extends K>(
  c: Cursor,
  prev: Token,
  what: string,
  command: string,
  words: readonly K[],
  modelled: readonly M[],
  shown: readonly string[] = modelled,
): { readonly word: M; readonly token: Token } | Syn {
  const expected = shown.length === 1 ? `"${shown[0]}"` : oneOf(shown);
  const token = c.arg(prev, `${what} (${expected})`);
  if (token instanceof Syn) return token;
  const w = pick(token.text, words);
  const m = modelled.find((x) => x === w);
  if (m !== undefined) return { word: m, token };
  return w === undefined ? unexpected(token, expected) : new Syn("unknown-command", `"${command} ${w}" is not modelled; expected ${expected}`, token.start);
}

/** Turns a value parse into the value or a Syn at the token. */
export function valueAt<T>(t: Token, v: Value<T>): T | Syn {
  return v.ok ? v.value : new Syn(v.code, v.message, t.start);
}

/** `arg` then parse: the usual `keyword VALUE` pair. */
export function argValue<T>(c: Cursor, after: Token, what: string, parse: (text: string) => Value<T>): { value: T; token: Token } | Syn {
  const t = c.arg(after, what);
  if (t instanceof Syn) return t;
  const v = valueAt(t, parse(t.text));
  return v instanceof Syn ? v : { value: v, token: t };
}
