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
import type { Ipv4 } from "../core/ip.js";
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

/** A DNS name as a zone holds it: lower-case, without trailing dot, LDH labels of 1–63 octets. */
function dnsNameText(text: string): Value<string> {
  const name = text.toLowerCase().replace(/\.$/, "");
  const label = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;
  if (name !== "" && name.length <= 253 && name.split(".").every((l) => label.test(l))) return { ok: true, value: name };
  return { ok: false, code: "bad-value", message: `${JSON.stringify(text)} is not a DNS name (labels of letters, digits and hyphens, separated by dots)` };
}

const dnsName = fromText(dnsNameText);

/**
 * A dns listener's zone: `domain`, and `records` mapping each name to one address or a list.
 * Records are checked one by one, so every bad name and address is reported, not the first.
 */
export const dnsZoneSchema = strict({
  domain: dnsName,
  records: z.record(z.string(), z.unknown()),
}).transform((zone, ctx) => {
  const records: Record<string, Ipv4[]> = {};
  const issue = (path: (string | number)[], v: { code: string; message: string }, input: unknown) =>
    ctx.issues.push({ code: "custom", message: v.message, input, path: ["records", ...path], params: { code: v.code } });
  for (const [key, value] of Object.entries(zone.records)) {
    const n = dnsNameText(key);
    if (!n.ok) issue([key], n, key);
    else if (n.value !== zone.domain && !n.value.endsWith(`.${zone.domain}`)) issue([key], { code: "bad-value", message: `${JSON.stringify(key)} is not under the zone's domain ${zone.domain}` }, key);
    const list = Array.isArray(value) ? value : [value];
    const addrs: Ipv4[] = [];
    list.forEach((a, i) => {
      const path = Array.isArray(value) ? [key, i] : [key];
      const v = typeof a === "string" ? ipv4Text(a) : ({ ok: false, code: "wrong-type", message: `expected an IPv4 address, found ${JSON.stringify(a) ?? "nothing"}` } as const);
      if (v.ok) addrs.push(v.value);
      else issue(path, v, a);
    });
    if (n.ok) records[n.value] = [...(records[n.value] ?? []), ...addrs];
  }
  return { domain: zone.domain, records };
});

export const listenerSchema = strict({
  kind: z.enum(["http", "tcp", "udp", "dns"]),
  port: fromNumber(portValue),
  addr: ipv4.optional(),
  body: z.string().optional(),
  zone: dnsZoneSchema.optional(),
}).superRefine((l, ctx) => {
  // A name server needs to know its names; only a name server has a zone.
  if (l.kind === "dns" && l.zone === undefined) ctx.issues.push({ code: "custom", message: 'a dns listener needs a "zone" (domain and records)', input: l, path: [], params: { code: "missing-key" } });
  if (l.kind !== "dns" && l.zone !== undefined) ctx.issues.push({ code: "custom", message: `only a dns listener has a zone, not a ${l.kind} listener`, input: l.zone, path: ["zone"], params: { code: "bad-value" } });
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
