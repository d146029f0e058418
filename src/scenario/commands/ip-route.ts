/**
 * `ip route add|replace|append` (also `ip r`, `ip ro`).
 *
 * Owns the syntax of iproute_modify as far as podpath models it:
 *   ip route add|replace|append [to] [TYPE] DST [via A] [dev|oif D] [src A]
 *     [metric|priority|preference N] [table T] [scope S] [proto|protocol P] [onlink]
 * Options come in any order; the first word that is no keyword is the destination (`default`,
 * `a.b.c.d/len`, or an address for /32), optionally preceded by a route type. The defaults are
 * iproute2's: table main (local for local/broadcast), proto boot, metric 0, scope link for a
 * unicast route without a gateway, host for local, global otherwise.
 */
import type { Ipv4, Prefix } from "../../core/ip.js";
import type { RouteType, Scope } from "../../netns/spec.js";
import { addRoute } from "../ops/route.js";
import {
  defaultRouteScope,
  defaultRouteTable,
  deviceNameText,
  intText,
  ipv4Text,
  METRIC_MAX,
  protoValue,
  routeDstText,
  routeTypeText,
  scopeText,
  tableValue,
} from "../values.js";
import type { Ctx, Plan } from "./plan.js";
import { argValue, Cursor, oneOf, Syn, unexpected, valueAt, type Token, keyword } from "./tokens.js";

const VERBS = ["add", "change", "replace", "prepend", "append", "test", "delete", "list", "show", "flush", "get", "save", "restore"] as const;
const OPTS = ["via", "dev", "src", "metric", "table", "scope", "proto", "onlink"];
const UNMODELLED_TYPES = new Set(["multicast", "anycast", "nat"]);

export function parseIpRoute(c: Cursor, ctx: Ctx, object: Token): Plan | Syn {
  const v = keyword(c, object, "a verb", "ip route", VERBS, ["add", "replace", "append"]);
  if (v instanceof Syn) return v;
  const verb = v.word;
  const fields: Record<string, Token> = {};
  let dst: Prefix | undefined;
  let type: RouteType = "unicast";
  let via: Ipv4 | undefined;
  let dev: string | undefined;
  let src: Ipv4 | undefined;
  let metric = 0;
  let table: number | undefined;
  let scope: Scope | undefined;
  let proto = "boot";
  let onlink = false;
  for (let t = c.next(); t !== undefined; t = c.next()) {
    switch (t.text) {
      case "via": {
        const v = argValue(c, t, "a gateway address", ipv4Text);
        if (v instanceof Syn) return v;
        via = v.value;
        fields["via"] = v.token;
        continue;
      }
      case "dev":
      case "oif": {
        const v = argValue(c, t, "a device name", deviceNameText);
        if (v instanceof Syn) return v;
        dev = v.value;
        fields["dev"] = v.token;
        continue;
      }
      case "src": {
        const v = argValue(c, t, "a source address", ipv4Text);
        if (v instanceof Syn) return v;
        src = v.value;
        fields["src"] = v.token;
        continue;
      }
      case "metric":
      case "priority":
      case "preference": {
        const v = argValue(c, t, "a metric", (x) => intText(x, 0, METRIC_MAX, "metric"));
        if (v instanceof Syn) return v;
        metric = v.value;
        continue;
      }
      case "table": {
        const v = argValue(c, t, "a table (main, local, default or a number)", tableValue);
        if (v instanceof Syn) return v;
        table = v.value;
        continue;
      }
      case "scope": {
        const v = argValue(c, t, "a scope (global, link, host)", scopeText);
        if (v instanceof Syn) return v;
        scope = v.value;
        fields["scope"] = v.token;
        continue;
      }
      case "onlink":
        onlink = true;
        fields["onlink"] = t;
        continue;
    }
    if (t.text.length >= 5 && "protocol".startsWith(t.text)) {
      const v = argValue(c, t, "a protocol (boot, static, dhcp, kernel or a number)", protoValue);
      if (v instanceof Syn) return v;
      proto = v.value;
      continue;
    }
    // Not a keyword: [to] [TYPE] DST, as iproute_modify's default branch reads it.
    let d: Token = t;
    if (d.text === "to") {
      const n = c.arg(d, "a destination");
      if (n instanceof Syn) return n;
      d = n;
    }
    const asType = routeTypeText(d.text);
    if (asType !== undefined || UNMODELLED_TYPES.has(d.text)) {
      if (asType === undefined) return new Syn("unexpected-token", `route type "${d.text}" is not modelled; expected ${oneOf(["unicast", "local", "broadcast", "unreachable", "blackhole", "prohibit", "throw"])}`, d.start);
      type = asType;
      fields["type"] = d;
      const n = c.arg(d, "a destination");
      if (n instanceof Syn) return n;
      d = n;
    }
    if (dst !== undefined) return unexpected(d, `${oneOf(OPTS)} (the destination is already given)`);
    const v = valueAt(d, routeDstText(d.text));
    if (v instanceof Syn) return v;
    dst = v;
    fields["dst"] = d;
  }
  if (dst === undefined) return new Syn("missing-argument", `"ip route ${verb}" needs a destination (a prefix or "default")`, c.end);
  const route = {
    table: table ?? defaultRouteTable(type),
    type,
    dst: dst.addr,
    len: dst.len,
    metric,
    scope: scope ?? defaultRouteScope(type, via !== undefined),
    proto,
    onlink,
    at: ctx.at,
    ...(via !== undefined ? { via } : {}),
    ...(dev !== undefined ? { dev } : {}),
    ...(src !== undefined ? { src } : {}),
  };
  return { fields, apply: (w) => addRoute(w, ctx.ns, route, verb) };
}
