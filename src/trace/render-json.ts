/**
 * Traces as JSON, from the same values the text renderer reads. The shape follows the trace
 * types one to one (trace → hops → steps, disposition), with a stable key order whatever order
 * the packet path built its objects in: a trace's keys in a fixed order; in steps and
 * dispositions `kind` first (and `at`), then the other keys alphabetically. A missing
 * disposition (still in flight) is `null`, so every trace has the same keys.
 */
import type { Disposition, Step, Trace } from "./types.js";

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export function traceToJson(t: Trace): Json {
  return {
    id: t.id,
    origin: t.origin,
    packet: t.packet,
    cause: t.cause ?? null,
    forkOf: t.forkOf ?? null,
    startMs: t.startMs,
    hops: t.hops.map((h) => ({ node: h.node, steps: h.steps.map(stepToJson) })),
    disposition: t.disposition ? dispositionToJson(t.disposition) : null,
  };
}

export function stepToJson(s: Step): Json {
  return ordered(s, ["kind"]);
}

export function dispositionToJson(d: Disposition): Json {
  const { at, ...rest } = d;
  return { kind: d.kind, at: { node: at.node, stage: at.stage }, ...(ordered(rest, ["kind"]) as Record<string, Json>) };
}

export function renderTracesJson(traces: readonly Trace[]): string {
  return JSON.stringify(traces.map(traceToJson), null, 2) + "\n";
}

/** A copy of a flat record with `first` keys leading and the rest sorted; undefined values dropped. */
function ordered(value: object, first: readonly string[]): Json {
  const rec = value as Record<string, unknown>;
  const keys = [...first.filter((k) => k in rec), ...Object.keys(rec).filter((k) => !first.includes(k)).sort()];
  const out: Record<string, Json> = {};
  for (const k of keys) {
    const v = rec[k];
    if (v !== undefined) out[k] = toJson(v);
  }
  return out;
}

function toJson(v: unknown): Json {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === "object") return ordered(v, []);
  return String(v);
}
