/**
 * The shape of a low-level scenario file (docs/scenario-format.md), as zod schemas.
 *
 * Owns what each mapping may contain and the type of each value. Scalars that need parsing
 * (addresses, MACs, ranges) reuse values.ts through `fromText`/`fromNumber`, so a bad address is
 * reported with the same code and message as in a command line. Containers (the top level, a
 * namespace) list their children as `unknown` because structured.ts parses each child on its
 * own: one broken route must not hide the problems of the next one.
 */
import * as z from "zod";
import { OUTCOMES } from "../netns/spec.js";
import type { Value } from "./values.js";
import {
  deviceMacText,
  dstportValue,
  ifaddrText,
  ipv4Text,
  macText,
  metricValue,
  mtuValue,
  NEIGH_STATES,
  portValue,
  protoValue,
  ROUTE_TYPES,
  routeDstText,
  scopeText,
  tableValue,
  vniValue,
  intInRange,
} from "./values.js";

/** Custom issues carry our issue code in `params.code`; zod-issues.ts reads it back. */
function push(ctx: { issues: unknown[] }, v: { code: string; message: string }, input: unknown): void {
  (ctx.issues as z.core.$ZodRawIssue[]).push({ code: "custom", message: v.message, input, params: { code: v.code } });
}

export function fromText<T>(parse: (text: string) => Value<T>) {
  return z.string().transform((text, ctx) => {
    const v = parse(text);
    if (v.ok) return v.value;
    push(ctx, v, text);
    return z.NEVER;
  });
}

export function fromNumber(check: (n: number) => Value<number>) {
  return z.number().transform((n, ctx) => {
    const v = check(n);
    if (v.ok) return v.value;
    push(ctx, v, n);
    return z.NEVER;
  });
}

/** A value that may be written as text or as a number (`table: 100`, `proto: 4`, `seed: 7`). */
function textOrNumber<T>(parse: (v: string | number) => Value<T>) {
  return z.union([z.string(), z.number()], { error: () => "expected a string or a number" }).transform((v, ctx) => {
    const r = parse(v);
    if (r.ok) return r.value;
    push(ctx, r, v);
    return z.NEVER;
  });
}

/** A strict mapping whose "unknown key" message lists the keys it does accept. */
export function strict<S extends z.ZodRawShape>(shape: S) {
  const keys = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? `expected one of: ${keys}` : undefined),
  });
}

export const ipv4 = fromText(ipv4Text);
export const ifaddr = fromText(ifaddrText);
export const mac = fromText(macText);
export const deviceMac = fromText(deviceMacText);
export const name = z.string();

const mtu = fromNumber((n) => mtuValue(n, false));
const loMtu = fromNumber((n) => mtuValue(n, true));

const common = { mac: deviceMac.optional(), mtu: mtu.optional(), up: z.boolean().optional() };

export const nicSchema = strict({ type: z.literal("nic"), ...common, master: name.optional(), segment: name });
export const vethSchema = strict({ type: z.literal("veth"), ...common, master: name.optional(), peer: name });
export const bridgeSchema = strict({ type: z.literal("bridge"), ...common, hairpin: z.array(name).optional() });
export const vxlanSchema = strict({
  type: z.literal("vxlan"),
  ...common,
  master: name.optional(),
  id: fromNumber(vniValue),
  local: ipv4.optional(),
  dev: name.optional(),
  dstport: fromNumber(dstportValue).optional(),
  learning: z.boolean().optional(),
});
export const loopbackSchema = strict({ type: z.literal("loopback"), mtu: loMtu.optional(), up: z.boolean().optional() });

export const DEVICE_TYPES = ["nic", "veth", "bridge", "vxlan", "loopback"] as const;
export const deviceSchema = z.discriminatedUnion("type", [nicSchema, vethSchema, bridgeSchema, vxlanSchema, loopbackSchema]);
export type DeviceInput = z.output<typeof deviceSchema>;

const addressObject = strict({ addr: ifaddr, brd: z.string().optional(), scope: fromText(scopeText).optional() });
/** One address: `10.0.0.1/24`, read as `{ addr: 10.0.0.1/24 }`, or `{ addr, brd, scope }`. */
export const addressEntrySchema = z.preprocess((v) => (typeof v === "string" ? { addr: v } : v), addressObject);
/** A device's addresses: a list, or a single entry written without the list. */
export const addressListSchema = z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(z.unknown()));

export const routeSchema = strict({
  dst: fromText(routeDstText),
  via: ipv4.optional(),
  dev: name.optional(),
  src: ipv4.optional(),
  metric: fromNumber(metricValue).optional(),
  table: textOrNumber(tableValue).optional(),
  type: z.enum(ROUTE_TYPES as [string, ...string[]]).optional(),
  scope: fromText(scopeText).optional(),
  proto: textOrNumber(protoValue).optional(),
  onlink: z.boolean().optional(),
});
export type RouteInput = z.output<typeof routeSchema>;

export const neighbourSchema = strict({
  ip: ipv4,
  dev: name,
  mac,
  state: z.enum(NEIGH_STATES as [string, ...string[]]).optional(),
});

export const fdbSchema = strict({
  mac,
  dev: name,
  dst: ipv4.optional(),
  self: z.boolean().optional(),
  master: z.boolean().optional(),
  permanent: z.boolean().optional(),
});

export const listenerSchema = strict({
  kind: z.enum(["http", "tcp", "udp"]),
  port: fromNumber(portValue),
  addr: ipv4.optional(),
  body: z.string().optional(),
});

/** sysctl values are strings in the spec; numbers are what people write. */
export const sysctlValueSchema = textOrNumber((v) => ({ ok: true, value: String(v) }) as const);


const substrings = z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.string()));
export const probeSchema = strict({
  name: z.string(),
  from: name,
  run: z.string(),
  expect: strict({
    exit: fromNumber((n) => intInRange(n, 0, 255, "exit status")).optional(),
    stdout: substrings.optional(),
    stderr: substrings.optional(),
    outcome: z.enum(OUTCOMES).optional(),
  }).optional(),
  kernel: z.boolean().optional(),
});

/** Top level and namespace: children are parsed one by one by structured.ts. */
export const topShape = {
  name: z.string(),
  seed: textOrNumber((v) => ({ ok: true, value: String(v) }) as const).optional(),
  segments: z.array(z.unknown()).optional(),
  namespaces: z.record(z.string(), z.unknown()).optional(),
  probes: z.array(z.unknown()).optional(),
};

export const namespaceShape = {
  devices: z.record(z.string(), z.unknown()).optional(),
  addresses: z.record(z.string(), z.unknown()).optional(),
  routes: z.array(z.unknown()).optional(),
  neighbours: z.array(z.unknown()).optional(),
  fdb: z.array(z.unknown()).optional(),
  sysctls: z.record(z.string(), z.unknown()).optional(),
  listeners: z.array(z.unknown()).optional(),
  commands: z.array(z.unknown()).optional(),
  /** A path or the ruleset itself; rules.ts tells them apart and reports its own type errors. */
  rules: z.unknown().optional(),
};
