/**
 * `ip addr add|replace` (also `ip a`, `ip address`).
 *
 * Owns the syntax of ipaddr_modify as far as podpath models it:
 *   ip addr add|replace [local] A[/L] [brd|broadcast +|-|A] [scope S] dev D
 * A bare address is /32. Without `scope`, iproute2 picks host for 127.0.0.0/8, global otherwise.
 */
import type { Prefix } from "../../core/ip.js";
import { addAddress } from "../ops/addr.js";
import type { Scope } from "../../netns/spec.js";
import { brdText, defaultAddrScope, deviceNameText, ifaddrText, scopeText } from "../values.js";
import type { Ctx, Plan } from "./plan.js";
import { argValue, Cursor, oneOf, Syn, unexpected, valueAt, type Token, keyword } from "./tokens.js";

const VERBS = ["add", "change", "replace", "delete", "flush", "show", "list"] as const;
const OPTS = ["dev", "brd", "broadcast", "scope", "local"];

export function parseIpAddr(c: Cursor, ctx: Ctx, object: Token): Plan | Syn {
  const v = keyword(c, object, "a verb", "ip addr", VERBS, ["add", "replace"]);
  if (v instanceof Syn) return v;
  const verb = v.word;
  const fields: Record<string, Token> = {};
  let prefix: Prefix | undefined;
  let brd: Token | undefined;
  let scope: Scope | undefined;
  let dev: string | undefined;
  for (let t = c.next(); t !== undefined; t = c.next()) {
    if (t.text === "dev") {
      const v = argValue(c, t, "a device name", deviceNameText);
      if (v instanceof Syn) return v;
      dev = v.value;
      fields["dev"] = v.token;
    } else if (t.text === "brd" || (t.text.length > 1 && "broadcast".startsWith(t.text))) {
      const b = c.arg(t, "+, - or an address");
      if (b instanceof Syn) return b;
      brd = b;
    } else if (t.text === "scope") {
      const v = argValue(c, t, "a scope (global, link, host)", scopeText);
      if (v instanceof Syn) return v;
      scope = v.value;
    } else if (t.text === "peer" || t.text === "label" || t.text === "remote") {
      return new Syn("unexpected-token", `"${t.text}" is not modelled; expected ${oneOf(OPTS)}`, t.start);
    } else {
      const at = t.text === "local" ? c.arg(t, "an address") : t;
      if (at instanceof Syn) return at;
      if (prefix !== undefined) return unexpected(at, `${oneOf(OPTS)} (the address is already given)`);
      const v = valueAt(at, ifaddrText(at.text));
      if (v instanceof Syn) return v;
      prefix = v;
      fields["addr"] = at;
    }
  }
  if (prefix === undefined) return new Syn("missing-argument", `"ip addr ${verb}" needs an address like 10.0.0.1/24`, c.end);
  if (dev === undefined) return new Syn("missing-argument", `Not enough information: "dev" argument is required`, c.end);
  let broadcast;
  if (brd !== undefined) {
    const v = valueAt(brd, brdText(brd.text, prefix));
    if (v instanceof Syn) return v;
    broadcast = v;
  }
  const a = {
    dev,
    addr: prefix.addr,
    len: prefix.len,
    scope: scope ?? defaultAddrScope(prefix.addr),
    at: ctx.at,
    ...(broadcast !== undefined ? { broadcast } : {}),
  };
  return { fields, apply: (w) => addAddress(w, ctx.ns, a, verb) };
}
