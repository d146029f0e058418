/**
 * `ip neigh add|replace` (also `ip n`, `ip neighbour`, `ip neighbor`).
 *
 * Owns the syntax of ipneigh_modify as far as podpath models it:
 *   ip neigh add|replace [to] A lladdr MAC dev D [nud permanent|noarp|reachable|stale]
 * `nud` defaults to permanent, as iproute2 sends for add/replace. The kernel refuses an entry
 * without a link-layer address ("No link layer address given").
 */
import type { Ipv4, Mac } from "../../core/ip.js";
import type { NeighState } from "../../netns/spec.js";
import { addNeigh } from "../ops/neigh.js";
import { deviceNameText, ipv4Text, macText, nudText } from "../values.js";
import type { Ctx, Plan } from "./plan.js";
import { argValue, Cursor, oneOf, Syn, unexpected, valueAt, type Token, keyword } from "./tokens.js";

const VERBS = ["add", "delete", "change", "replace", "show", "list", "flush", "get"] as const;
const OPTS = ["lladdr", "dev", "nud"];

export function parseIpNeigh(c: Cursor, ctx: Ctx, object: Token): Plan | Syn {
  const v = keyword(c, object, "a verb", "ip neigh", VERBS, ["add", "replace"]);
  if (v instanceof Syn) return v;
  const verb = v.word;
  const fields: Record<string, Token> = {};
  let ip: Ipv4 | undefined;
  let mac: Mac | undefined;
  let dev: string | undefined;
  let state: NeighState = "permanent";
  for (let t = c.next(); t !== undefined; t = c.next()) {
    if (t.text.length > 1 && "lladdr".startsWith(t.text)) {
      const v = argValue(c, t, "a MAC address", macText);
      if (v instanceof Syn) return v;
      mac = v.value;
    } else if (t.text === "dev") {
      const v = argValue(c, t, "a device name", deviceNameText);
      if (v instanceof Syn) return v;
      dev = v.value;
      fields["dev"] = v.token;
    } else if (t.text === "nud") {
      const v = argValue(c, t, "a state", nudText);
      if (v instanceof Syn) return v;
      state = v.value;
    } else {
      const a = t.text === "to" ? c.arg(t, "an address") : t;
      if (a instanceof Syn) return a;
      if (ip !== undefined) return unexpected(a, `${oneOf(OPTS)} (the address is already given)`);
      const v = valueAt(a, ipv4Text(a.text));
      if (v instanceof Syn) return v;
      ip = v;
      fields["ip"] = a;
    }
  }
  if (ip === undefined || dev === undefined) return new Syn("missing-argument", `Device and destination are required arguments: expected "A lladdr MAC dev D"`, c.end);
  if (mac === undefined) return new Syn("missing-lladdr", `No link layer address given: expected "lladdr MAC"`, c.end);
  const n = { ip, dev, mac, state, at: ctx.at };
  return { fields, apply: (w) => addNeigh(w, ctx.ns, n, verb) };
}
