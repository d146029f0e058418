/**
 * YAML text → plain value, plus a way back from any path in that value to `file:line:column`.
 *
 * Owns parsing with the `yaml` package and `SourceMap`, which turns offsets into line/column
 * from the text's own line starts (yaml's LineCounter skips lines inside scalars once the
 * parser is recovering from an error, so its positions drift after the first syntax error), and
 * walks the document's node tree along a path (map keys, list indices) to the node that
 * was written there. Issues found later — by the schema, by cross-reference checks, by a
 * refused command — are placed with it. A path that runs out (a missing key) resolves to the
 * deepest node that exists, i.e. the mapping that should have held the key.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import type { Position } from "../core/issue.js";
import { IssueSink } from "./issues.js";
import { scalarOffsets } from "./scalar-offsets.js";

export type PathSeg = string | number;
export type Path = readonly PathSeg[];

interface Found {
  /** The node at the end of the path, or the deepest one that exists. */
  readonly node: Node | null;
  /** The key node when the last step was a map key that exists. */
  readonly key: Node | null;
  readonly complete: boolean;
}

export class SourceMap {
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly doc: Document,
  ) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  private walk(path: Path): Found {
    let node: Node | null = (this.doc.contents as Node | null) ?? null;
    let key: Node | null = null;
    for (const seg of path) {
      if (node !== null && isAlias(node)) node = (node.resolve(this.doc) as Node | undefined) ?? node;
      let next: Node | null | undefined;
      let nextKey: Node | null = null;
      if (node !== null && isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair !== undefined) {
          nextKey = pair.key as Node;
          // `key:` with nothing after it: point at the key.
          next = (pair.value as Node | null) ?? nextKey;
        }
      } else if (node !== null && isSeq(node) && typeof seg === "number") {
        next = (node.items[seg] as Node | undefined) ?? undefined;
      }
      if (next === undefined || next === null) return { node, key, complete: false };
      node = next;
      key = nextKey;
    }
    return { node, key, complete: true };
  }

  /** Where the value at `path` was written; `part: "key"` points at its map key instead. */
  at(path: Path, part: "value" | "key" = "value"): Position {
    const f = this.walk(path);
    const target = part === "key" && f.complete && f.key !== null ? f.key : f.node;
    return this.position(target?.range?.[0] ?? 0);
  }

  /**
   * For a string scalar at `path`: value index → position, so a token inside a command line can
   * be pointed at exactly. Undefined when the path does not end at a scalar.
   */
  scalarLocator(path: Path): ((index: number) => Position) | undefined {
    const f = this.walk(path);
    if (!f.complete || f.node === null || !isScalar(f.node)) return undefined;
    const offsets = scalarOffsets(this.text, f.node);
    return (index) => this.position(offsets[Math.max(0, Math.min(index, offsets.length - 1))] ?? 0);
  }
}

export interface ParsedYaml {
  readonly value: unknown;
  readonly source: SourceMap;
  /** Syntax errors make the tree unreliable; only duplicate keys leave it usable. */
  readonly usable: boolean;
}

export function parseYaml(text: string, file: string, sink: IssueSink): ParsedYaml {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const source = new SourceMap(file, text, doc);
  let usable = true;
  const syntaxLines = new Set<number>();
  for (const e of doc.errors) {
    const at = source.position(e.pos[0]);
    if (e.code === "DUPLICATE_KEY") {
      // The error spans only the key's first character; read the whole key from there.
      const keyText = /^("[^"]*"|'[^']*'|[^:,{}[\]\n]*[^:,{}[\]\s])/.exec(text.slice(e.pos[0]))?.[1] ?? "key";
      sink.add("duplicate-key", `duplicate key ${JSON.stringify(keyText)}: each key may appear once in a mapping`, at);
    } else {
      usable = false;
      // The parser's recovery often reports every following token on the same line; one is enough.
      if (!syntaxLines.has(at.line)) sink.add("yaml-syntax", `YAML syntax error: ${e.message}`, at);
      syntaxLines.add(at.line);
    }
  }
  // Aliases are expanded when converting; the bound guards against "billion laughs" input,
  // and going over it is the file's problem, reported like any other.
  let value: unknown;
  if (usable) {
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      usable = false;
      sink.add("yaml-syntax", `YAML error: ${e instanceof Error ? e.message : String(e)}`, source.position(0));
    }
  }
  return { value, source, usable };
}
