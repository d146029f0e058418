/**
 * `bridge fdb add|append|replace …` and `bridge link set dev PORT hairpin on|off`.
 *
 * Owns the syntax of fdb_modify and brlink_modify as far as podpath models it:
 *   bridge fdb add|append|replace MAC dev D [dst A] [self] [master] [permanent|static|local|dynamic]
 *   bridge link set dev PORT hairpin on|off
 * Without `self`/`master` the entry goes where docs/scenario-format.md puts it (self on vxlan,
 * master on a bridge port), and is permanent; `static` counts as permanent here.
 */
import type { Ipv4, Mac } from "../../core/ip.js";
import { addFdb } from "../ops/fdb.js";
import { setHairpin } from "../ops/link.js";
import { deviceNameText, ipv4Text, macText } from "../values.js";
import type { Ctx, Plan } from "./plan.js";
import { argValue, Cursor, matches, oneOf, Syn, unexpected, valueAt, type Token, keyword } from "./tokens.js";

const OBJECTS = ["link", "fdb", "mdb", "vlan", "vni", "monitor"] as const;
const FDB_VERBS = ["add", "append", "replace", "delete", "show"] as const;
const LINK_VERBS = ["set", "change", "show"] as const;
const FDB_OPTS = ["dev", "dst", "self", "master", "permanent", "static", "local", "dynamic"];

export function parseBridge(c: Cursor, ctx: Ctx, cmd: Token): Plan | Syn {
  const o = keyword(c, cmd, "an object", "bridge", OBJECTS, ["fdb", "link"]);
  if (o instanceof Syn) return o;
  return o.word === "fdb" ? parseFdb(c, ctx, o.token) : parseLink(c, ctx, o.token);
}

function parseFdb(c: Cursor, ctx: Ctx, objTok: Token): Plan | Syn {
  const v = keyword(c, objTok, "a verb", "bridge fdb", FDB_VERBS, ["add", "append", "replace"]);
  if (v instanceof Syn) return v;
  const verb = v.word;
  const fields: Record<string, Token> = {};
  let mac: Mac | undefined;
  let dev: string | undefined;
  let dst: Ipv4 | undefined;
  let self: boolean | undefined;
  let master: boolean | undefined;
  let permanent = true;
  for (let t = c.next(); t !== undefined; t = c.next()) {
    if (t.text === "dev") {
      const v = argValue(c, t, "a device name", deviceNameText);
      if (v instanceof Syn) return v;
      dev = v.value;
      fields["dev"] = v.token;
    } else if (t.text === "local" || t.text === "static" || t.text === "temp") {
      permanent = true;
    } else if (t.text === "dynamic") {
      permanent = false;
    } else if (matches(t.text, "permanent")) {
      permanent = true;
    } else if (matches(t.text, "self")) {
      self = true;
      fields["self"] = t;
    } else if (matches(t.text, "master")) {
      master = true;
      fields["master"] = t;
    } else if (matches(t.text, "dst")) {
      const v = argValue(c, t, "a remote address", ipv4Text);
      if (v instanceof Syn) return v;
      dst = v.value;
      fields["dst"] = v.token;
    } else {
      const a = t.text === "to" ? c.arg(t, "a MAC address") : t;
      if (a instanceof Syn) return a;
      if (mac !== undefined) return unexpected(a, `${oneOf(FDB_OPTS)} (the MAC is already given)`);
      const v = valueAt(a, macText(a.text));
      if (v instanceof Syn) return v;
      mac = v;
      fields["mac"] = a;
    }
  }
  if (mac === undefined || dev === undefined) return new Syn("missing-argument", `Device and address are required arguments: expected "MAC dev D"`, c.end);
  const f = {
    mac,
    dev,
    permanent,
    at: ctx.at,
    ...(dst !== undefined ? { dst } : {}),
    ...(self !== undefined ? { self } : {}),
    ...(master !== undefined ? { master } : {}),
  };
  return { fields, apply: (w) => addFdb(w, ctx.ns, f, verb) };
}

function parseLink(c: Cursor, ctx: Ctx, objTok: Token): Plan | Syn {
  const v = keyword(c, objTok, "a verb", "bridge link", LINK_VERBS, ["set", "change"], ["set"]);
  if (v instanceof Syn) return v;
  const fields: Record<string, Token> = {};
  let dev: string | undefined;
  let hairpin: boolean | undefined;
  for (let t = c.next(); t !== undefined; t = c.next()) {
    if (t.text === "dev") {
      const v = argValue(c, t, "a bridge port name", deviceNameText);
      if (v instanceof Syn) return v;
      dev = v.value;
      fields["dev"] = v.token;
    } else if (t.text === "hairpin") {
      const v = c.arg(t, `"on" or "off"`);
      if (v instanceof Syn) return v;
      if (v.text !== "on" && v.text !== "off") return unexpected(v, `"on" or "off"`);
      hairpin = v.text === "on";
    } else {
      return unexpected(t, oneOf(["dev", "hairpin"]));
    }
  }
  if (dev === undefined) return new Syn("missing-argument", `"bridge link set" needs "dev PORT"`, c.end);
  if (hairpin === undefined) return new Syn("missing-argument", `"bridge link set dev ${dev}" needs "hairpin on|off"`, c.end);
  const port = dev;
  const on = hairpin;
  return { fields, apply: (w) => setHairpin(w, ctx.ns, port, on) };
}
