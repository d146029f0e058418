/**
 * What one iptables extension (a `-m` match or a `-j` target) looks like to the parser and the
 * printers, after libxtables' `struct xtables_match` / `struct xtables_target`:
 *
 *  - `options`: its long options, with the x6 option flags libxtables checks for it
 *    (XTOPT_INVERT, XTOPT_MULTI, XTOPT_MAND, `excl`, `also`); options.ts runs those checks;
 *  - `create()`: a fresh instance per `-m name` / `-j NAME` (the kernel blob it fills);
 *  - each extension file also exports its save (iptables-save text, each piece with its
 *    leading space as the C code prints it) and print (`iptables -L -n` text) functions, which
 *    matches/index.ts and targets/index.ts dispatch on.
 *
 * Extensions report problems through ParseCtx and never throw.
 */
import type { Position } from "../../core/issue.js";
import type { Match, ProtoMatch, TableName, Target } from "../rule.js";

export interface Tok {
  readonly text: string;
  readonly at: Position;
}

export interface OptionSpec {
  /** Long option name without the leading `--`. */
  readonly name: string;
  /** Logical option; aliases (`--dport`, `--destination-port`) share one id. */
  readonly id: string;
  readonly arg: boolean;
  /** Takes a second argument too (`--tcp-flags MASK COMP`). */
  readonly arg2?: boolean;
  /** XTOPT_INVERT: `! --opt` is allowed. */
  readonly invert?: boolean;
  /** XTOPT_MULTI: may be given more than once. */
  readonly multi?: boolean;
  /** XTOPT_MAND: must be given. */
  readonly mand?: boolean;
  /** Ids that may not be combined with this one. */
  readonly excl?: readonly string[];
  /** Ids this one needs. */
  readonly also?: readonly string[];
}

export interface ParseCtx {
  /** Records a problem at `at`; `code` is stable, `message` says what was expected. */
  issue(code: string, message: string, at: Position): void;
  readonly table: TableName;
  readonly chain: string;
  /** The rule's `-p` as parsed so far (extensions that check it at option time see only what came before). */
  proto(): ProtoMatch | undefined;
}

export interface Instance<T> {
  /** Called once per occurrence, after the generic x6 checks passed; `args` holds 0, 1 or 2 arguments. */
  parse(id: string, args: readonly Tok[], invert: boolean, opt: Tok): void;
  /** After the whole rule was read (x6_fcheck / final_check): the value, or undefined after an issue. */
  finish(at: Position): T | undefined;
}

export interface MatchExt {
  readonly name: string;
  readonly options: readonly OptionSpec[];
  create(ctx: ParseCtx): Instance<Match>;
}

export interface TargetExt {
  readonly name: string;
  readonly options: readonly OptionSpec[];
  create(ctx: ParseCtx): Instance<Target>;
}
