/**
 * The structured form of a namespace: `addresses`, `routes`, `neighbours`, `fdb`, `sysctls`,
 * `listeners`, and collecting `commands` for the runner (`devices` are in structured-devices.ts).
 *
 * Owns turning each YAML item into the same operation a command line would perform (ops/), so
 * both forms share the kernel's rules and give the same state. Each item is parsed and applied
 * on its own: a bad one is reported and skipped, the rest still load. Order:
 *   1. devices of every namespace in file order, except vxlan (structured-devices.ts);
 *   2. vxlan devices (their underlay `dev` now exists);
 *   3. masters and hairpin (validate.ts), once every bridge exists;
 *   4. per namespace: addresses, routes, neighbours, fdb, sysctls — then commands (load.ts);
 *   5. listeners, after commands, since they bind to addresses.
 */
import type { Ipv4, Prefix } from "../core/ip.js";
import type { RouteType } from "../netns/spec.js";
import type { Builder } from "./builder.js";
import { addAddress } from "./ops/addr.js";
import { addFdb } from "./ops/fdb.js";
import { addListener } from "./ops/listener.js";
import { addNeigh } from "./ops/neigh.js";
import { addRoute } from "./ops/route.js";
import { setSysctl } from "./ops/sysctl.js";
import type { CommandLine } from "./commands/run.js";
import {
  addressEntrySchema,
  addressListSchema,
  fdbSchema,
  listenerSchema,
  neighbourSchema,
  routeSchema,
  sysctlValueSchema,
} from "./schema.js";
import { brdText, defaultAddrScope, defaultRouteScope, defaultRouteTable } from "./values.js";
import type { Path } from "./yaml-positions.js";
import { check, describeFound } from "./zod-issues.js";

/** One namespace entry of the file: its name, where it is, and its (shape-checked) sections. */
export interface NsInput {
  readonly name: string;
  readonly path: Path;
  readonly sections: {
    readonly devices?: Record<string, unknown>;
    readonly addresses?: Record<string, unknown>;
    readonly routes?: readonly unknown[];
    readonly neighbours?: readonly unknown[];
    readonly fdb?: readonly unknown[];
    readonly sysctls?: Record<string, unknown>;
    readonly listeners?: readonly unknown[];
    readonly commands?: readonly unknown[];
    /** `rules:` (rules.ts). */
    readonly rules?: unknown;
  };
}

function applyAddresses(b: Builder, ns: NsInput): void {
  for (const [dev, raw] of Object.entries(ns.sections.addresses ?? {})) {
    const path: Path = [...ns.path, "addresses", dev];
    const list = check(addressListSchema, raw, path, b.src, b.sink) ?? [];
    list.forEach((entry, i) => {
      const p: Path = Array.isArray(raw) ? [...path, i] : path;
      const e = check(addressEntrySchema, entry, p, b.src, b.sink);
      if (e === undefined) return;
      const prefix: Prefix = e.addr;
      let broadcast: Ipv4 | undefined;
      if (e.brd !== undefined) {
        const v = brdText(e.brd, prefix);
        if (!v.ok) return b.sink.add(v.code, `"brd": ${v.message}`, b.src.at([...p, "brd"]));
        broadcast = v.value;
      }
      const a = {
        dev,
        addr: prefix.addr,
        len: prefix.len,
        scope: e.scope ?? defaultAddrScope(prefix.addr),
        at: b.src.at(p),
        ...(broadcast !== undefined ? { broadcast } : {}),
      };
      b.apply(ns.name, p, (w) => addAddress(w, ns.name, a, "add"), { dev: { path, part: "key", absolute: true }, addr: { path: [] } });
    });
  }
}

function applyRoutes(b: Builder, ns: NsInput): void {
  (ns.sections.routes ?? []).forEach((raw, i) => {
    const p: Path = [...ns.path, "routes", i];
    const r = check(routeSchema, raw, p, b.src, b.sink);
    if (r === undefined) return;
    const type = (r.type ?? "unicast") as RouteType;
    const route = {
      table: r.table ?? defaultRouteTable(type),
      type,
      dst: r.dst.addr,
      len: r.dst.len,
      metric: r.metric ?? 0,
      scope: r.scope ?? defaultRouteScope(type, r.via !== undefined),
      proto: r.proto ?? "boot",
      onlink: r.onlink ?? false,
      at: b.src.at(p),
      ...(r.via !== undefined ? { via: r.via } : {}),
      ...(r.dev !== undefined ? { dev: r.dev } : {}),
      ...(r.src !== undefined ? { src: r.src } : {}),
    };
    b.apply(ns.name, p, (w) => addRoute(w, ns.name, route, "add"));
  });
}

function applyNeighbours(b: Builder, ns: NsInput): void {
  (ns.sections.neighbours ?? []).forEach((raw, i) => {
    const p: Path = [...ns.path, "neighbours", i];
    const n = check(neighbourSchema, raw, p, b.src, b.sink);
    if (n === undefined) return;
    const entry = { ip: n.ip, dev: n.dev, mac: n.mac, state: (n.state ?? "permanent") as "permanent", at: b.src.at(p) };
    b.apply(ns.name, p, (w) => addNeigh(w, ns.name, entry, "add"));
  });
}

/** Entries are appended: listing one MAC twice with two `dst`s is how a vxlan floods to two peers. */
function applyFdb(b: Builder, ns: NsInput): void {
  (ns.sections.fdb ?? []).forEach((raw, i) => {
    const p: Path = [...ns.path, "fdb", i];
    const f = check(fdbSchema, raw, p, b.src, b.sink);
    if (f === undefined) return;
    const entry = {
      mac: f.mac,
      dev: f.dev,
      permanent: f.permanent ?? true,
      at: b.src.at(p),
      ...(f.dst !== undefined ? { dst: f.dst } : {}),
      ...(f.self !== undefined ? { self: f.self } : {}),
      ...(f.master !== undefined ? { master: f.master } : {}),
    };
    b.apply(ns.name, p, (w) => addFdb(w, ns.name, entry, "append"));
  });
}

function applySysctls(b: Builder, ns: NsInput): void {
  for (const [key, raw] of Object.entries(ns.sections.sysctls ?? {})) {
    const p: Path = [...ns.path, "sysctls", key];
    const v = check(sysctlValueSchema, raw, p, b.src, b.sink);
    if (v !== undefined) b.apply(ns.name, p, (w) => setSysctl(w, ns.name, key, v));
  }
}

/** Step 4 without the commands. */
export function applyState(b: Builder, ns: NsInput): void {
  applyAddresses(b, ns);
  applyRoutes(b, ns);
  applyNeighbours(b, ns);
  applyFdb(b, ns);
  applySysctls(b, ns);
}

/** Step 5. */
export function applyListeners(b: Builder, ns: NsInput): void {
  (ns.sections.listeners ?? []).forEach((raw, i) => {
    const p: Path = [...ns.path, "listeners", i];
    const l = check(listenerSchema, raw, p, b.src, b.sink);
    if (l === undefined) return;
    const entry = { kind: l.kind, port: l.port, body: l.body ?? "", at: b.src.at(p), ...(l.addr !== undefined ? { addr: l.addr } : {}), ...(l.zone !== undefined ? { zone: l.zone } : {}) };
    b.apply(ns.name, p, (w) => addListener(w, ns.name, entry));
  });
}

/** The `commands:` strings, each with a locator into its YAML scalar. */
export function commandLines(b: Builder, ns: NsInput): CommandLine[] {
  const out: CommandLine[] = [];
  (ns.sections.commands ?? []).forEach((raw, i) => {
    const p: Path = [...ns.path, "commands", i];
    if (typeof raw !== "string") {
      const hint = raw !== null && typeof raw === "object" ? ` (a command containing ": " must be quoted)` : "";
      b.sink.add("wrong-type", `expected a command line as a string, found ${describeFound(raw)}${hint}`, b.src.at(p));
      return;
    }
    out.push({ text: raw, at: b.src.scalarLocator(p) ?? (() => b.src.at(p)) });
  });
  return out;
}
