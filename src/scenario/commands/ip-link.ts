/**
 * `ip link set …` (also `ip link change`), and dispatch of `ip link add` to ip-link-add.ts.
 *
 * Owns the syntax of iplink_parse for `set` as far as podpath models it:
 *   ip link set [dev] NAME { up | down | master BR | nomaster | mtu N | address MAC | netns NS }…
 * Several options in one line are applied in do_setlink's order: netns, address, mtu, master,
 * then up/down — all or nothing, as one netlink request.
 */
import type { Mac } from "../../core/ip.js";
import type { Refusal } from "../issues.js";
import { moveToNetns, setMac, setMaster, setMtu, setUp } from "../ops/link.js";
import { deviceMacText, deviceNameText, intText, netnsNameText } from "../values.js";
import { parseLinkAdd } from "./ip-link-add.js";
import type { Ctx, Plan } from "./plan.js";
import { argValue, Cursor, oneOf, Syn, unexpected, valueAt, type Token, keyword } from "./tokens.js";

const VERBS = ["add", "set", "change", "delete", "show", "list"] as const;

export function parseIpLink(c: Cursor, ctx: Ctx, object: Token): Plan | Syn {
  const v = keyword(c, object, "a verb", "ip link", VERBS, ["add", "set", "change"], ["add", "set"]);
  if (v instanceof Syn) return v;
  return v.word === "add" ? parseLinkAdd(c, ctx) : parseSet(c, ctx);
}

const SET_OPTS = ["up", "down", "master", "nomaster", "mtu", "address", "netns"];

function parseSet(c: Cursor, ctx: Ctx): Plan | Syn {
  const fields: Record<string, Token> = {};
  let name: Token | undefined;
  let up: boolean | undefined;
  let master: string | null | undefined; // null = nomaster
  let mtu: number | undefined;
  let mac: Mac | undefined;
  let netns: string | undefined;
  for (let t = c.next(); t !== undefined; t = c.next()) {
    if (t.text === "up" || t.text === "down") {
      up = t.text === "up";
    } else if (t.text === "nomaster") {
      master = null;
    } else if (t.text === "master") {
      const v = argValue(c, t, "a bridge name", deviceNameText);
      if (v instanceof Syn) return v;
      master = v.value;
      fields["master"] = v.token;
    } else if (t.text === "mtu") {
      // The range depends on the device (lo has none), so the world checks it.
      const v = argValue(c, t, "an MTU", (x) => intText(x, 0, Number.MAX_SAFE_INTEGER, "mtu"));
      if (v instanceof Syn) return v;
      mtu = v.value;
      fields["mtu"] = v.token;
    } else if (t.text.length >= 4 && "address".startsWith(t.text)) {
      const v = argValue(c, t, "a MAC address", deviceMacText);
      if (v instanceof Syn) return v;
      mac = v.value;
    } else if (t.text === "netns") {
      const v = argValue(c, t, "a namespace name", netnsNameText);
      if (v instanceof Syn) return v;
      netns = v.value;
      fields["netns"] = v.token;
    } else if (name === undefined) {
      const nt = t.text === "dev" ? c.arg(t, "a device name") : t;
      if (nt instanceof Syn) return nt;
      const v = valueAt(nt, deviceNameText(nt.text));
      if (v instanceof Syn) return v;
      name = nt;
    } else {
      return unexpected(t, oneOf(SET_OPTS));
    }
  }
  if (name === undefined) return new Syn("missing-argument", `"ip link set" needs a device name`, c.end);
  const dev = name.text;
  fields["dev"] = name;
  if (up === undefined && master === undefined && mtu === undefined && mac === undefined && netns === undefined) {
    return new Syn("missing-argument", `"ip link set ${dev}" needs something to set (${oneOf(SET_OPTS)})`, c.end);
  }
  return {
    fields,
    apply: (w) => {
      let here = ctx.ns;
      const steps: (() => Refusal | undefined)[] = [];
      if (netns !== undefined) {
        const to = netns;
        steps.push(() => {
          const r = moveToNetns(w, here, dev, to);
          if (r === undefined) here = to;
          return r;
        });
      }
      if (mac !== undefined) steps.push(() => setMac(w, here, dev, mac));
      if (mtu !== undefined) steps.push(() => setMtu(w, here, dev, mtu));
      if (master !== undefined) steps.push(() => setMaster(w, here, dev, master ?? undefined));
      if (up !== undefined) steps.push(() => setUp(w, here, dev, up));
      for (const step of steps) {
        const r = step();
        if (r !== undefined) return r;
      }
      return undefined;
    },
  };
}
