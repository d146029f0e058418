/**
 * `-m recent` revision 1 (iptables extensions/libxt_recent.c, kernel net/netfilter/xt_recent.c):
 * one of `--set`, `--rcheck`, `--update`, `--remove` (each may carry the match's `!`), with
 * `--seconds`, `--reap` (needs `--seconds`), `--hitcount`, `--rttl`, `--name` (default
 * "DEFAULT"), `--mask` (default 255.255.255.255, any dotted mask), `--rsource` (default) or
 * `--rdest` (the last one given wins).
 *
 * The kernel's recent_mt_check() also refuses `--set`/`--remove` combined with `--seconds`,
 * `--hitcount` or `--reap`, and list names that are empty, 200 bytes or longer, or not usable
 * as a /proc/net/xt_recent file name.
 */
import type { Ipv4 } from "../../../core/ip.js";
import { formatIpv4, parseIpv4 } from "../../../core/ip.js";
import type { Match } from "../../rule.js";
import type { Instance, MatchExt } from "../module.js";
import { badValue, strtoui } from "../values.js";

type Recent = Extract<Match, { module: "recent" }>;
type Cmd = Recent["cmd"];

const CMDS = ["set", "rcheck", "update", "remove"] as const;
const others = (c: string): string[] => CMDS.filter((x) => x !== c);

export const recentMatch: MatchExt = {
  name: "recent",
  options: [
    { name: "seconds", id: "seconds", arg: true },
    { name: "reap", id: "reap", arg: false, also: ["seconds"] },
    { name: "hitcount", id: "hitcount", arg: true },
    { name: "set", id: "set", arg: false, invert: true, excl: others("set") },
    { name: "rcheck", id: "rcheck", arg: false, invert: true, excl: others("rcheck") },
    { name: "update", id: "update", arg: false, invert: true, excl: others("update") },
    { name: "remove", id: "remove", arg: false, invert: true, excl: others("remove") },
    { name: "rttl", id: "rttl", arg: false, excl: ["set", "remove"] },
    { name: "name", id: "name", arg: true },
    { name: "mask", id: "mask", arg: true },
    { name: "rsource", id: "rsource", arg: false, multi: true },
    { name: "rdest", id: "rdest", arg: false, multi: true },
  ],
  create(ctx): Instance<Match> {
    let cmd: Cmd | undefined;
    let neg = false;
    let seconds: number | undefined;
    let hitcount: number | undefined;
    let reap = false;
    let rttl = false;
    let name = "DEFAULT";
    let mask = 0xffffffff as Ipv4;
    let side: "rsource" | "rdest" = "rsource";
    return {
      parse(id, args, invert) {
        const arg = args[0];
        switch (id) {
          case "set":
          case "rcheck":
          case "update":
          case "remove":
            cmd = id;
            neg = invert;
            return;
          case "reap":
            reap = true;
            return;
          case "rttl":
            rttl = true;
            return;
          case "rsource":
          case "rdest":
            side = id;
            return;
          case "seconds":
          case "hitcount": {
            if (!arg) return;
            const n = strtoui(arg.text, id === "seconds" ? 1 : 0, 0xffffffff);
            if (n === undefined) ctx.issue("bad-number", badValue("recent", id, id === "seconds" ? 1 : 0, 0xffffffff), arg.at);
            else if (id === "seconds") seconds = n;
            else hitcount = n;
            return;
          }
          case "name":
            if (arg) name = arg.text;
            return;
          default: {
            if (!arg) return;
            const m = parseIpv4(arg.text);
            if (m === undefined) ctx.issue("bad-address", `host/network \`${arg.text}' not found`, arg.at);
            else mask = m;
          }
        }
      },
      finish(at): Recent | undefined {
        if (cmd === undefined) {
          ctx.issue("option-required", "recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'", at);
          return undefined;
        }
        if ((cmd === "set" || cmd === "remove") && (seconds !== undefined || (hitcount ?? 0) > 0 || reap)) {
          ctx.issue("kernel-refuses", `recent: --${cmd} cannot take --seconds, --hitcount or --reap (the kernel refuses it: RULE_APPEND failed, Invalid argument)`, at);
          return undefined;
        }
        if (name === "" || Buffer.byteLength(name) >= 200 || name.includes("/") || name === "." || name === "..") {
          ctx.issue("kernel-refuses", `recent: list name "${name}" is not usable (the kernel refuses it: RULE_APPEND failed, Invalid argument)`, at);
          return undefined;
        }
        return {
          module: "recent", cmd, name, reap, rttl, side, mask, neg,
          ...(seconds !== undefined ? { seconds } : {}),
          ...(hitcount !== undefined && hitcount > 0 ? { hitcount } : {}),
        };
      },
    };
  },
};

const CMD_SAVE: Readonly<Record<Cmd, string>> = { set: "--set", rcheck: "--rcheck", update: "--update", remove: "--remove" };
const CMD_PRINT: Readonly<Record<Cmd, string>> = { set: "SET", rcheck: "CHECK", update: "UPDATE", remove: "REMOVE" };

export function saveRecent(m: Recent): string {
  let s = `${m.neg ? " !" : ""} ${CMD_SAVE[m.cmd]}`;
  if (m.seconds) s += ` --seconds ${m.seconds}`;
  if (m.reap) s += " --reap";
  if (m.hitcount) s += ` --hitcount ${m.hitcount}`;
  if (m.rttl) s += " --rttl";
  s += ` --name ${m.name} --mask ${formatIpv4(m.mask)} --${m.side}`;
  return s;
}

export function printRecent(m: Recent): string {
  let s = `${m.neg ? " !" : ""} recent: ${CMD_PRINT[m.cmd]}`;
  if (m.seconds) s += ` seconds: ${m.seconds}`;
  if (m.reap) s += " reap";
  if (m.hitcount) s += ` hit_count: ${m.hitcount}`;
  if (m.rttl) s += " TTL-Match";
  s += ` name: ${m.name} side: ${m.side === "rsource" ? "source" : "dest"} mask: ${formatIpv4(m.mask)}`;
  return s;
}
