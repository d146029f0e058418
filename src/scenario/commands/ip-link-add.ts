/**
 * `ip link add …` (also `ip l add`): one device, or both ends of a veth.
 *
 * Owns the syntax of iplink_parse for `add` as far as podpath models it:
 *   ip link add [name|dev] NAME [address MAC] [mtu N] [master BR] [up] type KIND [ARGS]
 *     veth:   peer [name] PEER [address MAC] [mtu N] [netns NS]
 *     bridge: (none)
 *     vxlan:  id|vni N [local A] [dev D] [dstport P] [nolearning|learning]
 *     nic:    segment SEG            (podpath's stand-in for a physical / VirtualBox NIC)
 * A device made here is down until `ip link set NAME up` (unless `up` was given), as on a host.
 */
import type { Mac } from "../../core/ip.js";
import { addDevice, type NewDevice, type VxlanParams } from "../ops/link.js";
import {
  deviceMacText,
  deviceNameText,
  dstportValue,
  intText,
  ipv4Text,
  mtuValue,
  netnsNameText,
  VNI_MAX,
  vniValue,
  VXLAN_DEFAULT_PORT,
  type Value,
} from "../values.js";
import type { Ctx, Plan } from "./plan.js";
import { argValue, Cursor, oneOf, Syn, unexpected, valueAt, type Token } from "./tokens.js";

const KINDS = ["veth", "bridge", "vxlan", "nic"] as const;

const mtuText = (t: string): Value<number> => {
  const n = intText(t, 0, Number.MAX_SAFE_INTEGER, "mtu");
  return n.ok ? mtuValue(n.value, false) : n;
};
const deviceName = (t: string): Value<string> => deviceNameText(t);

/** Device options that may precede `type` in `ip link add`, and follow `peer`. */
interface Common {
  name?: Token;
  mac?: Mac;
  mtu?: number;
  netns?: Token;
}

/** One common option at `t`; returns false when `t` is not one of them. */
function common(c: Cursor, t: Token, o: Common, fields: Record<string, Token>, prefix: string): true | false | Syn {
  switch (t.text) {
    case "name":
    case "dev": {
      const v = argValue(c, t, "a device name", deviceName);
      if (v instanceof Syn) return v;
      if (o.name !== undefined) return unexpected(t, `one name only (already ${JSON.stringify(o.name.text)})`);
      o.name = v.token;
      return true;
    }
    case "address": {
      const v = argValue(c, t, "a MAC address", deviceMacText);
      if (v instanceof Syn) return v;
      o.mac = v.value;
      fields[`${prefix}mac`] = v.token;
      return true;
    }
    case "mtu": {
      const v = argValue(c, t, "an MTU", mtuText);
      if (v instanceof Syn) return v;
      o.mtu = v.value;
      fields[`${prefix}mtu`] = v.token;
      return true;
    }
    case "netns": {
      const v = argValue(c, t, "a namespace name", netnsNameText);
      if (v instanceof Syn) return v;
      o.netns = v.token;
      fields[`${prefix}netns`] = v.token;
      return true;
    }
    default:
      return false;
  }
}

export function parseLinkAdd(c: Cursor, ctx: Ctx): Plan | Syn {
  const fields: Record<string, Token> = {};
  const o: Common = {};
  let up = false;
  let master: string | undefined;
  let typeTok: Token | undefined;
  const before = ["name", "address", "mtu", "master", "up", "type"];
  while (typeTok === undefined) {
    const t = c.next();
    if (t === undefined) {
      return new Syn("missing-argument", `"ip link add" needs "type TYPE" (${oneOf(KINDS)})`, c.end);
    }
    const r = common(c, t, o, fields, "");
    if (r instanceof Syn) return r;
    if (r) continue;
    if (t.text === "up") up = true;
    else if (t.text === "master") {
      const v = argValue(c, t, "a bridge name", deviceName);
      if (v instanceof Syn) return v;
      master = v.value;
      fields["master"] = v.token;
    } else if (t.text === "type") typeTok = t;
    else if (o.name === undefined) {
      const v = valueAt(t, deviceNameText(t.text));
      if (v instanceof Syn) return v;
      o.name = t;
    } else return unexpected(t, oneOf(before));
  }
  if (o.netns !== undefined) return unexpected(o.netns, `"netns" only on the veth peer ("peer name P netns NS") in podpath`);
  if (o.name === undefined) return new Syn("missing-argument", `"ip link add" needs a device name`, typeTok.start);
  const name = o.name;
  fields["name"] = name;
  const kindTok = c.arg(typeTok, `a device type (${oneOf(KINDS)})`);
  if (kindTok instanceof Syn) return kindTok;
  const kind = KINDS.find((k) => k === kindTok.text);
  if (kind === undefined) {
    return new Syn("bad-value", `unknown device type ${JSON.stringify(kindTok.text)}; expected ${oneOf(KINDS)}`, kindTok.start);
  }
  const base = {
    name: name.text,
    kind,
    up,
    at: ctx.at,
    ...(o.mac !== undefined ? { mac: o.mac } : {}),
    ...(o.mtu !== undefined ? { mtu: o.mtu } : {}),
    ...(master !== undefined ? { master } : {}),
  };
  const creates = [{ ns: ctx.ns, name: name.text }];
  let dev: NewDevice | Syn;
  switch (kind) {
    case "bridge": {
      const extra = c.next();
      dev = extra === undefined ? base : unexpected(extra, "the end of the line (a bridge takes no options here)");
      break;
    }
    case "nic":
      dev = parseNic(c, kindTok, base, fields);
      break;
    case "vxlan":
      dev = parseVxlan(c, kindTok, base, fields);
      break;
    case "veth":
      dev = parseVeth(c, kindTok, base, fields, ctx, creates);
      break;
  }
  if (dev instanceof Syn) return dev;
  const d = dev;
  return { apply: (w) => addDevice(w, ctx.ns, d), fields, creates };
}

function parseNic(c: Cursor, kindTok: Token, base: NewDevice, fields: Record<string, Token>): NewDevice | Syn {
  let segment: Token | undefined;
  for (let t = c.next(); t !== undefined; t = c.next()) {
    if (t.text !== "segment") return unexpected(t, `"segment SEG"`);
    const s = c.arg(t, "a segment name");
    if (s instanceof Syn) return s;
    segment = s;
  }
  if (segment === undefined) return new Syn("missing-argument", `"type nic" needs "segment SEG" (a name from "segments")`, c.end > kindTok.start ? c.end : kindTok.start);
  fields["segment"] = segment;
  return { ...base, segment: segment.text };
}

const VXLAN_OPTS = ["id", "vni", "local", "dev", "dstport", "nolearning", "learning"];

function parseVxlan(c: Cursor, kindTok: Token, base: NewDevice, fields: Record<string, Token>): NewDevice | Syn {
  let vni: number | undefined;
  let params: Omit<VxlanParams, "vni"> = { dstport: VXLAN_DEFAULT_PORT, learning: true };
  for (let t = c.next(); t !== undefined; t = c.next()) {
    switch (t.text) {
      case "id":
      case "vni": {
        const v = argValue(c, t, "a VNI", (x) => {
          const n = intText(x, 0, Number.MAX_SAFE_INTEGER, "VNI");
          return n.ok ? vniValue(n.value) : n;
        });
        if (v instanceof Syn) return v;
        vni = v.value;
        fields["id"] = v.token;
        break;
      }
      case "local": {
        const v = argValue(c, t, "an IPv4 address", ipv4Text);
        if (v instanceof Syn) return v;
        params = { ...params, local: v.value };
        break;
      }
      case "dev": {
        const v = argValue(c, t, "the underlay device", deviceName);
        if (v instanceof Syn) return v;
        params = { ...params, dev: v.value };
        fields["dev"] = v.token;
        break;
      }
      case "dstport": {
        const v = argValue(c, t, "a UDP port", (x) => {
          const n = intText(x, 0, 65535, "dstport");
          return n.ok ? dstportValue(n.value) : n;
        });
        if (v instanceof Syn) return v;
        params = { ...params, dstport: v.value };
        break;
      }
      case "nolearning":
        params = { ...params, learning: false };
        break;
      case "learning":
        params = { ...params, learning: true };
        break;
      default:
        return unexpected(t, oneOf(VXLAN_OPTS));
    }
  }
  if (vni === undefined) return new Syn("missing-argument", `"type vxlan" needs "id VNI" (0–${VNI_MAX})`, Math.max(c.end, kindTok.start));
  return { ...base, vxlan: { ...params, vni } };
}

function parseVeth(
  c: Cursor,
  kindTok: Token,
  base: NewDevice,
  fields: Record<string, Token>,
  ctx: Ctx,
  creates: { ns: string; name: string }[],
): NewDevice | Syn {
  const peerTok = c.next();
  if (peerTok === undefined) return new Syn("missing-argument", `"type veth" needs "peer name PEER"`, Math.max(c.end, kindTok.start));
  if (peerTok.text !== "peer") return unexpected(peerTok, `"peer name PEER"`);
  const p: Common = {};
  for (let t = c.next(); t !== undefined; t = c.next()) {
    const r = common(c, t, p, fields, "peer-");
    if (r instanceof Syn) return r;
    if (r) continue;
    if (p.name === undefined) {
      const v = valueAt(t, deviceNameText(t.text));
      if (v instanceof Syn) return v;
      p.name = t;
    } else return unexpected(t, oneOf(["name", "address", "mtu", "netns"]));
  }
  if (p.name === undefined) return new Syn("missing-argument", `"peer" needs "name PEER"`, c.end);
  fields["peer"] = p.name;
  if (p.netns !== undefined) fields["netns"] = p.netns;
  const netns = p.netns?.text ?? ctx.ns;
  creates.push({ ns: netns, name: p.name.text });
  return {
    ...base,
    peer: {
      netns,
      name: p.name.text,
      up: false,
      ...(p.mac !== undefined ? { mac: p.mac } : {}),
      ...(p.mtu !== undefined ? { mtu: p.mtu } : {}),
    },
  };
}

