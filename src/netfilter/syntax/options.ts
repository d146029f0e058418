/**
 * Option plumbing shared by every extension, mirroring libxtables (xtables.c) and glibc's
 * getopt_long() as iptables 1.8.9 drives them:
 *
 *  - resolveLong(): getopt_long's lookup — an exact name wins; otherwise a unique prefix
 *    (`--dpor` is `--dport`), and a prefix that fits two different options is no option at all
 *    (iptables runs with opterr = 0, so "ambiguous" surfaces as "unknown option");
 *  - ExtSlot: one loaded extension with the x6 checks of xtables_option_parse() (used once,
 *    cannot be inverted, requires an argument) and xtables_options_fcheck() (must be
 *    specified, also requires, cannot be used together), with libxtables' message texts.
 */
import type { Position } from "../../core/issue.js";
import type { Instance, OptionSpec, ParseCtx, Tok } from "./module.js";

export interface Candidate<O> {
  readonly name: string;
  readonly arg: boolean;
  /** Who handles it; two candidates with the same owner and id are the same option. */
  readonly owner: O;
  readonly id: string;
}

/** getopt_long(): exact match first, else a unique prefix; "ambiguous" when prefixes disagree. */
export function resolveLong<O>(name: string, table: readonly Candidate<O>[]): Candidate<O> | "ambiguous" | undefined {
  const exact = table.find((c) => c.name === name);
  if (exact) return exact;
  let found: Candidate<O> | undefined;
  for (const c of table) {
    if (!c.name.startsWith(name)) continue;
    if (found === undefined) found = c;
    else if (found.owner !== c.owner || found.id !== c.id || found.arg !== c.arg) return "ambiguous";
  }
  return found;
}

/** What ExtSlot needs of a match or target extension. */
export interface ExtDef<T> {
  readonly name: string;
  readonly options: readonly OptionSpec[];
  create(ctx: ParseCtx): Instance<T>;
}

/** One `-m name` / `-j NAME` occurrence in a rule: its instance plus the x6 bookkeeping. */
export class ExtSlot<T> {
  private readonly seen = new Map<string, Tok>();
  private failed = false;
  readonly instance: Instance<T>;
  readonly extName: string;
  readonly options: readonly OptionSpec[];

  constructor(
    ext: ExtDef<T>,
    readonly at: Position,
    private readonly ctx: ParseCtx,
  ) {
    this.extName = ext.name;
    this.options = ext.options;
    // The instance reports through a ctx that also marks this slot failed, so finish() knows.
    const slot = this;
    this.instance = ext.create({
      table: ctx.table,
      chain: ctx.chain,
      proto: () => ctx.proto(),
      issue(code, message, at) {
        slot.failed = true;
        ctx.issue(code, message, at);
      },
    });
  }

  private specName(id: string): string {
    return this.options.find((o) => o.id === id)?.name ?? id;
  }

  private issue(code: string, message: string, at: Position): void {
    this.failed = true;
    this.ctx.issue(code, message, at);
  }

  /** xtables_option_parse(): the generic checks, then the extension's own parser. */
  option(spec: OptionSpec, opt: Tok, args: readonly Tok[], invert: boolean): void {
    const name = this.specName(spec.id);
    if (!spec.multi && this.seen.has(spec.id)) {
      this.issue("option-repeated", `${this.extName}: option "--${name}" can only be used once.`, opt.at);
      return;
    }
    if (invert && !spec.invert) {
      this.issue("option-not-invertible", `${this.extName}: option "--${name}" cannot be inverted.`, opt.at);
      return;
    }
    this.seen.set(spec.id, opt);
    this.instance.parse(spec.id, args, invert, opt);
  }

  /**
   * The extension's own final check (x6_fcheck), then xtables_options_fcheck(), in the order
   * xtables_option_mfcall() runs them; undefined once anything failed.
   */
  finish(): T | undefined {
    if (this.failed) return undefined;
    const value = this.instance.finish(this.at);
    if (this.failed) return undefined;
    const firstOfId = new Set<string>();
    for (const spec of this.options) {
      if (firstOfId.has(spec.id)) continue;
      firstOfId.add(spec.id);
      if (spec.mand && !this.seen.has(spec.id)) {
        this.issue("option-required", `${this.extName}: option "--${spec.name}" must be specified`, this.at);
        return undefined;
      }
      const tok = this.seen.get(spec.id);
      if (tok === undefined) continue;
      for (const other of spec.also ?? []) {
        if (!this.seen.has(other)) {
          this.issue("option-needs", `${this.extName}: option "--${spec.name}" also requires "--${this.specName(other)}".`, tok.at);
          return undefined;
        }
      }
      for (const other of spec.excl ?? []) {
        if (this.seen.has(other)) {
          this.issue("option-conflict", `${this.extName}: option "--${spec.name}" cannot be used together with "--${this.specName(other)}".`, tok.at);
          return undefined;
        }
      }
    }
    if (value === undefined) this.issue("incomplete", `${this.extName}: incomplete options`, this.at);
    return value;
  }
}
