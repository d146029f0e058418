/**
 * zod issues → podpath issues.
 *
 * Owns the translation from a zod issue (a code and a path relative to the value that was
 * checked) to an `Issue` placed in the file: the path is prefixed with where that value sits in
 * the document and resolved through the SourceMap. Messages are rewritten in the project's
 * terms (what was found, what was expected); codes become IssueCodes. Also owns `parseFields`,
 * the partial parse used for containers so that one bad child never hides another.
 */
import * as z from "zod";
import type { IssueCode, IssueSink } from "./issues.js";
import type { Path, SourceMap } from "./yaml-positions.js";

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  int: "a whole number",
};

export function describeFound(v: unknown): string {
  if (v === null || v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

function label(path: Path): string {
  const last = path.at(-1);
  return typeof last === "string" ? `"${last}": ` : "";
}

function one(iss: z.core.$ZodIssue, base: Path, src: SourceMap, sink: IssueSink): void {
  const path: Path = [...base, ...(iss.path as PropertyKey[]).filter((p): p is string | number => typeof p !== "symbol")];
  const input = (iss as { input?: unknown }).input;
  switch (iss.code) {
    case "custom": {
      const code = ((iss.params as { code?: IssueCode } | undefined)?.code ?? "bad-value") as IssueCode;
      sink.add(code, `${label(path)}${iss.message}`, src.at(path));
      return;
    }
    case "unrecognized_keys":
      for (const k of iss.keys) sink.add("unknown-key", `unknown key ${JSON.stringify(k)}; ${iss.message}`, src.at([...path, k], "key"));
      return;
    case "invalid_type": {
      const expected = TYPE_NAMES[iss.expected] ?? iss.expected;
      if (input === undefined) {
        const key = path.at(-1);
        sink.add("missing-key", `missing required key ${JSON.stringify(String(key))} (${expected})`, src.at(path));
      } else {
        sink.add("wrong-type", `${label(path)}expected ${expected}, found ${describeFound(input)}`, src.at(path));
      }
      return;
    }
    case "invalid_union": {
      const du = iss as { discriminator?: string; options?: readonly unknown[] };
      if (du.discriminator !== undefined) {
        const given = (input as Record<string, unknown> | undefined)?.[du.discriminator];
        const options = (du.options ?? []).map(String).join(", ");
        if (given === undefined) {
          sink.add("missing-key", `missing required key ${JSON.stringify(du.discriminator)} (one of: ${options})`, src.at(path.slice(0, -1)));
        } else {
          sink.add("bad-value", `${label(path)}${describeFound(given)} is not one of: ${options}`, src.at(path));
        }
        return;
      }
      // A plain union: report the message given to it, or fall back to the first branch's issues.
      if (!iss.message.startsWith("Invalid input")) {
        sink.add("wrong-type", `${label(path)}${iss.message}, found ${describeFound(input)}`, src.at(path));
      } else {
        for (const branch of iss.errors.slice(0, 1)) for (const sub of branch) one(sub, path, src, sink);
      }
      return;
    }
    case "invalid_value":
      sink.add(
        "bad-value",
        `${label(path)}${describeFound(input)} is not one of: ${iss.values.map(String).join(", ")}`,
        src.at(path),
      );
      return;
    case "too_big":
    case "too_small":
      sink.add("out-of-range", `${label(path)}${iss.message}`, src.at(path));
      return;
    default:
      sink.add("bad-value", `${label(path)}${iss.message}`, src.at(path));
  }
}

/** Runs `schema` on `value` (which sits at `path`); issues go to the sink. Undefined on failure. */
export function check<T extends z.ZodType>(schema: T, value: unknown, path: Path, src: SourceMap, sink: IssueSink): z.output<T> | undefined {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  for (const iss of r.error.issues) one(iss, path, src, sink);
  return undefined;
}

/**
 * A mapping checked key by key: unknown keys are reported (with the keys expected), each known
 * key is parsed on its own, and whatever parsed is returned even when a sibling failed. An
 * empty value (`key:` with nothing after it) counts as an empty mapping, and optional children
 * written empty count as absent.
 */
export function parseFields<S extends Record<string, z.ZodType>>(
  shape: S,
  value: unknown,
  path: Path,
  src: SourceMap,
  sink: IssueSink,
  what: string,
): { [K in keyof S]?: Exclude<z.output<S[K]>, undefined> } | undefined {
  if (value === null || value === undefined) value = {};
  if (typeof value !== "object" || Array.isArray(value)) {
    sink.add("wrong-type", `${what}: expected a mapping, found ${describeFound(value)}`, src.at(path));
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const expected = Object.keys(shape).join(", ");
  for (const k of Object.keys(obj)) {
    if (!(k in shape)) sink.add("unknown-key", `unknown key ${JSON.stringify(k)} in ${what}; expected one of: ${expected}`, src.at([...path, k], "key"));
  }
  for (const [k, schema] of Object.entries(shape)) {
    let v = obj[k];
    if (v === null && schema.safeParse(undefined).success) v = undefined;
    const parsed = check(schema, v, [...path, k], src, sink);
    if (parsed !== undefined) out[k] = parsed;
  }
  return out as { [K in keyof S]?: Exclude<z.output<S[K]>, undefined> };
}
