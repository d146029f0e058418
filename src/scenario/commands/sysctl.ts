/**
 * `sysctl -w KEY=VALUE …` (also without `-w`, and with `-q`/`-e`, which change only output).
 *
 * Owns the syntax: one or more KEY=VALUE words; keys may be written as /proc/sys paths. Reading
 * a sysctl (`sysctl KEY`) sets nothing and is refused with a hint.
 */
import { setSysctl } from "../ops/sysctl.js";
import type { Ctx, Plan } from "./plan.js";
import { Cursor, Syn, type Token } from "./tokens.js";

export function parseSysctl(c: Cursor, ctx: Ctx, cmd: Token): Plan | Syn {
  const pairs: { key: string; value: string }[] = [];
  for (let t = c.next(); t !== undefined; t = c.next()) {
    if (t.text.startsWith("-")) {
      if (!/^-[wqe]+$/.test(t.text)) return new Syn("unexpected-token", `unexpected option ${JSON.stringify(t.text)}; expected -w (optionally with -q or -e)`, t.start);
      continue;
    }
    const eq = t.text.indexOf("=");
    if (eq <= 0) {
      return new Syn("unexpected-token", `expected KEY=VALUE, found ${JSON.stringify(t.text)} (reading a sysctl sets nothing)`, t.start);
    }
    pairs.push({ key: t.text.slice(0, eq), value: t.text.slice(eq + 1) });
  }
  if (pairs.length === 0) return new Syn("missing-argument", `"sysctl" needs KEY=VALUE, e.g. sysctl -w net.ipv4.ip_forward=1`, Math.max(c.end, cmd.start));
  return {
    fields: {},
    apply: (w) => {
      for (const p of pairs) setSysctl(w, ctx.ns, p.key, p.value);
      return undefined;
    },
  };
}
