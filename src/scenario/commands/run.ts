/**
 * Runs a namespace's `commands:` in order against the world.
 *
 * Owns dispatch (`[sudo] ip [-4] OBJECT …`, `bridge …`, `sysctl …`, `iptables …`; objects matched the way `ip`
 * matches them, so `ip a`, `ip r`, `ip n`, `ip l` work), and turning every problem into an Issue
 * placed on the exact token inside the YAML string. Each command is one transaction: a refused
 * command changes nothing and the next one still runs, so every problem is reported at once.
 */
import type { Position } from "../../core/issue.js";
import type { WorldSpec } from "../../netns/spec.js";
import type { IssueSink } from "../issues.js";
import { transact } from "../ops/world.js";
import { parseBridge } from "./bridge.js";
import { parseIptables } from "./iptables.js";
import { parseIpAddr } from "./ip-addr.js";
import { parseIpLink } from "./ip-link.js";
import { parseIpNeigh } from "./ip-neigh.js";
import { parseIpRoute } from "./ip-route.js";
import type { Ctx, Plan } from "./plan.js";
import { parseSysctl } from "./sysctl.js";
import { Cursor, oneOf, pick, Syn, tokenize, unexpected, type Token } from "./tokens.js";

/** One command string and how to place an index inside it in the file. */
export interface CommandLine {
  readonly text: string;
  readonly at: (index: number) => Position;
}

/** `ip`'s object table, in its order: the first object a word abbreviates wins (`ip r` = route). */
const IP_OBJECTS = [
  "address", "addrlabel", "maddress", "route", "rule", "neighbour", "neighbor", "ntable", "ntbl", "link",
  "l2tp", "fou", "ila", "macsec", "tunnel", "tunl", "tuntap", "tap", "token", "tcpmetrics", "tcp_metrics",
  "monitor", "xfrm", "mroute", "mrule", "netns", "netconf", "vrf", "sr", "nexthop", "mptcp", "ioam", "stats",
] as const;
const IP_MODELLED = ["link", "address", "route", "neigh"];

function parseIp(c: Cursor, ctx: Ctx, cmd: Token): Plan | Syn {
  let objTok = c.arg(cmd, `an object (${oneOf(IP_MODELLED)})`);
  while (!(objTok instanceof Syn) && objTok.text === "-4") objTok = c.arg(objTok, `an object (${oneOf(IP_MODELLED)})`);
  if (objTok instanceof Syn) return objTok;
  if (objTok.text.startsWith("-")) return unexpected(objTok, `an object (${oneOf(IP_MODELLED)}); of the options only -4 is accepted`);
  const obj = pick(objTok.text, IP_OBJECTS);
  switch (obj) {
    case "link":
      return parseIpLink(c, ctx, objTok);
    case "address":
      return parseIpAddr(c, ctx, objTok);
    case "route":
      return parseIpRoute(c, ctx, objTok);
    case "neighbour":
    case "neighbor":
      return parseIpNeigh(c, ctx, objTok);
    case undefined:
      return unexpected(objTok, `an object (${oneOf(IP_MODELLED)})`);
    default:
      return new Syn("unknown-command", `"ip ${obj}" is not modelled; expected ${oneOf(IP_MODELLED)}`, objTok.start);
  }
}

function parseLine(tokens: readonly Token[], length: number, ns: string, line: CommandLine): { plan: Plan | Syn; first?: Token } {
  const c = new Cursor(tokens, length);
  let first = c.next();
  if (first?.text === "sudo") first = c.next();
  if (first === undefined) return { plan: new Syn("missing-argument", `empty command; expected ip, bridge or sysctl`, 0) };
  const ctx: Ctx = { ns, at: line.at(first.start) };
  switch (first.text) {
    case "ip":
      return { plan: parseIp(c, ctx, first), first };
    case "bridge":
      return { plan: parseBridge(c, ctx, first), first };
    case "sysctl":
      return { plan: parseSysctl(c, ctx, first), first };
    case "iptables":
      return { plan: parseIptables(c, ctx, first), first };
    default:
      return {
        plan: new Syn("unknown-command", `unknown command ${JSON.stringify(first.text)}; expected ${oneOf(["ip", "bridge", "sysctl", "iptables"])}`, first.start),
        first,
      };
  }
}

/** `ip link add NAME …` that failed to parse: remember NAME so later lines do not echo it. */
function namedByLinkAdd(tokens: readonly Token[]): string | undefined {
  const words = tokens.map((t) => t.text).filter((w) => w !== "sudo" && w !== "-4");
  if (words[0] !== "ip" || pick(words[1] ?? "", IP_OBJECTS) !== "link" || pick(words[2] ?? "", ["add"]) !== "add") return undefined;
  const i = words[3] === "name" || words[3] === "dev" ? 4 : 3;
  return words[i];
}

export function runCommands(world: WorldSpec, ns: string, lines: readonly CommandLine[], sink: IssueSink): WorldSpec {
  for (const line of lines) {
    const tokens = tokenize(line.text);
    if (tokens instanceof Syn) {
      sink.add(tokens.code, tokens.message, line.at(tokens.index));
      continue;
    }
    const { plan, first } = parseLine(tokens, line.text.length, ns, line);
    if (plan instanceof Syn) {
      sink.add(plan.code, plan.message, line.at(plan.index));
      const name = namedByLinkAdd(tokens);
      if (name !== undefined) sink.markBroken(ns, name);
      continue;
    }
    const outcome = transact(world, plan.apply);
    world = outcome.world;
    const r = outcome.refusal;
    if (r === undefined) continue;
    for (const d of plan.creates ?? []) sink.markBroken(d.ns, d.name);
    if (sink.isEcho(ns, r)) continue;
    const token = (r.field !== undefined ? plan.fields[r.field] : undefined) ?? first;
    sink.add(r.code, r.message, line.at(token?.start ?? 0));
  }
  return world;
}
