/**
 * `-m comment --comment TEXT` (iptables extensions/libxt_comment.c, kernel xt_comment): text
 * only, never a test. Saved through xtables_save_string(): bare when it is only letters,
 * digits, `_` and `-`, otherwise double-quoted with `"`, `\` and `'` backslash-escaped.
 */
import type { Match } from "../../rule.js";
import type { Instance, MatchExt } from "../module.js";

type Comment = Extract<Match, { module: "comment" }>;

/** The kernel's XT_MAX_COMMENT_LEN is 256 bytes including the terminating NUL. */
const MAX_COMMENT = 255;

/** xtables_save_string(). */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return ` ${value}`;
  return ` "${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

export const commentMatch: MatchExt = {
  name: "comment",
  options: [{ name: "comment", id: "comment", arg: true, mand: true }],
  create(): Instance<Match> {
    let text: string | undefined;
    return {
      parse(_id, args) {
        const arg = args[0];
        if (!arg) return;
        // Longer text is cut to 255 bytes without a word, as strncpy() into the kernel blob does.
        const bytes = Buffer.from(arg.text, "utf8");
        text = bytes.length > MAX_COMMENT ? bytes.subarray(0, MAX_COMMENT).toString("utf8") : arg.text;
      },
      finish() {
        return text === undefined ? undefined : { module: "comment", text };
      },
    };
  },
};

export function saveComment(m: Comment): string {
  return ` --comment${saveString(m.text)}`;
}

export function printComment(m: Comment): string {
  return ` /* ${m.text} */`;
}
