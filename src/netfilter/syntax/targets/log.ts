/**
 * `-j LOG` (iptables extensions/libxt_LOG.c, kernel net/netfilter/xt_LOG.c): `--log-prefix`
 * (at least one character; longer than 29 is cut to 29, as the fixed kernel buffer holds
 * it) and `--log-level` as a number 0..7 or a lower-case syslog name. Level 4 (warning) is
 * the default and is not printed by iptables-save. The `--log-tcp-*`, `--log-ip-options`,
 * `--log-uid` and `--log-macdecode` flags are known but not modelled.
 */
import type { Target } from "../../rule.js";
import type { Instance, TargetExt } from "../module.js";
import { saveString } from "../matches/comment.js";
import { strtoui } from "../values.js";

type Log = Extract<Target, { kind: "LOG" }>;

const DEFAULT_LEVEL = 4;
const MAX_PREFIX = 29;

/** The syslog level names xtables' XTTYPE_SYSLOGLEVEL knows. */
const LEVELS: ReadonlyMap<string, number> = new Map([
  ["alert", 1], ["crit", 2], ["debug", 7], ["emerg", 0], ["error", 3], ["info", 6], ["notice", 5], ["panic", 0], ["warning", 4],
]);

export const logTarget: TargetExt = {
  name: "LOG",
  options: [
    { name: "log-level", id: "level", arg: true },
    { name: "log-prefix", id: "prefix", arg: true },
    { name: "log-tcp-sequence", id: "flag", arg: false, multi: true },
    { name: "log-tcp-options", id: "flag", arg: false, multi: true },
    { name: "log-ip-options", id: "flag", arg: false, multi: true },
    { name: "log-uid", id: "flag", arg: false, multi: true },
    { name: "log-macdecode", id: "flag", arg: false, multi: true },
  ],
  create(ctx): Instance<Target> {
    let prefix: string | undefined;
    let level = DEFAULT_LEVEL;
    return {
      parse(id, args, _invert, opt) {
        const arg = args[0];
        if (id === "flag") {
          ctx.issue("not-modelled", `LOG: ${opt.text} is not modelled by podpath`, opt.at);
          return;
        }
        if (!arg) return;
        if (id === "level") {
          const n = strtoui(arg.text, 0, 7) ?? LEVELS.get(arg.text);
          if (n === undefined) ctx.issue("bad-log-level", `log level "${arg.text}" unknown`, arg.at);
          else level = n;
          return;
        }
        if (arg.text.length === 0) {
          ctx.issue("bad-log-prefix", "Argument must have a minimum length of 1 characters", arg.at);
          return;
        }
        prefix = arg.text.slice(0, MAX_PREFIX);
      },
      finish(): Log {
        return { kind: "LOG", ...(prefix !== undefined ? { prefix } : {}), ...(level !== DEFAULT_LEVEL ? { level } : {}) };
      },
    };
  },
};

export function saveLog(t: Log): string {
  let s = "";
  if (t.prefix) s += ` --log-prefix${saveString(t.prefix)}`;
  const level = t.level ?? DEFAULT_LEVEL;
  if (level !== DEFAULT_LEVEL) s += ` --log-level ${level}`;
  return s;
}

export function printLog(t: Log): string {
  return ` LOG flags 0 level ${t.level ?? DEFAULT_LEVEL}` + (t.prefix ? ` prefix "${t.prefix}"` : "");
}
