/**
 * `--iface-regex` patterns are Go RE2 (regexp.Compile), matched unanchored with MatchString.
 * RE2 and JavaScript agree on what people write there (`enp0s[0-9]+`, `192\.168\.56\.\d+`);
 * this turns the RE2-only spellings into JavaScript and refuses what RE2 refuses, with the
 * text regexp/syntax gives (`error parsing regexp: <code>: \`<expr>\``).
 */
export type GoRegexp = { readonly ok: true; readonly re: RegExp } | { readonly ok: false; readonly error: string };

const err = (code: string, expr: string): GoRegexp => ({ ok: false, error: `error parsing regexp: ${code}: \`${expr}\`` });

export function compileGoRegexp(src: string): GoRegexp {
  let body = src;
  let flags = "";
  // A leading (?i) / (?s) applies to the whole pattern, which JS spells as flags.
  const lead = /^\(\?([is]+)\)/.exec(body);
  if (lead) {
    flags = [...new Set(lead[1]!)].join("");
    body = body.slice(lead[0].length);
  }
  const look = /\(\?<?[=!]/.exec(body);
  if (look) return err("invalid or unsupported Perl syntax", look[0]);
  const backref = /\\[1-9]/.exec(body);
  if (backref) return err("invalid escape sequence", backref[0]);
  body = body.replace(/\(\?P</g, "(?<").replace(/\\A/g, "^").replace(/\\z/g, "$(?![\\s\\S])");
  try {
    return { ok: true, re: new RegExp(body, flags) };
  } catch {
    // The usual mistakes, in RE2's words; the rest keeps RE2's prefix with a plain reason.
    const open = body.lastIndexOf("[");
    if (open >= 0 && body.indexOf("]", open + 1) < 0) return err("missing closing ]", src.slice(src.length - (body.length - open)));
    const depth = [...body.replace(/\\./g, "")].reduce((d, c) => (c === "(" ? d + 1 : c === ")" ? d - 1 : d), 0);
    if (depth > 0) return err("missing closing )", src);
    if (depth < 0) return err("unexpected )", src);
    const rep = /(^|[(|])([*+?])/.exec(body);
    if (rep) return err("missing argument to repetition operator", rep[2]!);
    return err("invalid syntax", src);
  }
}
