/**
 * A small JSON reader that keeps where each value was written, so a bad net-conf.json is
 * reported at its line and column (JSON.parse gives neither reliably). Objects keep every
 * member in order: Go's decoder lets the last of duplicate keys win and matches names
 * case-insensitively, and the caller decides that.
 */
import type { Position } from "../../core/issue.js";

export type JsonNode =
  | { readonly kind: "object"; readonly members: readonly { readonly key: string; readonly keyAt: number; readonly value: JsonNode }[]; readonly at: number }
  | { readonly kind: "array"; readonly items: readonly JsonNode[]; readonly at: number }
  | { readonly kind: "string"; readonly value: string; readonly at: number }
  | { readonly kind: "number"; readonly value: number; readonly text: string; readonly at: number }
  | { readonly kind: "bool"; readonly value: boolean; readonly at: number }
  | { readonly kind: "null"; readonly at: number };

export type JsonParse = { readonly ok: true; readonly node: JsonNode } | { readonly ok: false; readonly message: string; readonly at: number };

class Fail {
  constructor(
    readonly message: string,
    readonly at: number,
  ) {}
}

export function parseJson(text: string): JsonParse {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const what = () => (i >= text.length ? "end of input" : JSON.stringify(text[i]));
  const value = (): JsonNode => {
    ws();
    const at = i;
    const c = text[i];
    if (c === "{") {
      i++;
      const members: { key: string; keyAt: number; value: JsonNode }[] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { kind: "object", members, at };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Fail(`expected a double-quoted member name, found ${what()}`, i);
        const keyAt = i;
        const key = str();
        ws();
        if (text[i] !== ":") throw new Fail(`expected ':' after member name, found ${what()}`, i);
        i++;
        members.push({ key, keyAt, value: value() });
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return { kind: "object", members, at };
        }
        throw new Fail(`expected ',' or '}' after a member, found ${what()}`, i);
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { kind: "array", items, at };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return { kind: "array", items, at };
        }
        throw new Fail(`expected ',' or ']' after an element, found ${what()}`, i);
      }
    }
    if (c === '"') return { kind: "string", value: str(), at };
    const word = /^(true|false|null)/.exec(text.slice(i));
    if (word) {
      i += word[0].length;
      return word[0] === "null" ? { kind: "null", at } : { kind: "bool", value: word[0] === "true", at };
    }
    const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return { kind: "number", value: Number(num[0]), text: num[0], at };
    }
    throw new Fail(`expected a JSON value, found ${what()}`, i);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) throw new Fail("control character inside a string", i);
      i++;
    }
    if (i >= text.length) throw new Fail("unterminated string", start);
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw new Fail("bad escape in string", start);
    }
  };
  try {
    const node = value();
    ws();
    if (i < text.length) throw new Fail(`unexpected ${what()} after the JSON value`, i);
    return { ok: true, node };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, message: e.message, at: e.at };
    throw e;
  }
}

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number, file: string): Position {
  const before = text.slice(0, offset).split("\n");
  return { file, line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Go's decoder: every key that equals the field name ignoring case sets it, so the last such key wins. */
export function member(node: JsonNode, name: string): { readonly value: JsonNode; readonly keyAt: number; readonly key: string } | undefined {
  if (node.kind !== "object") return undefined;
  const list = node.members.filter((m) => m.key.toLowerCase() === name.toLowerCase());
  return list[list.length - 1];
}
