/**
 * getopt_long() as glibc implements it, for tools whose option handling shows through in what
 * they print (iptables, iptables-save, conntrack): short options from an optstring (`t:` takes an
 * argument, `L::` an optional one that must be glued on: `-LINPUT`), clusters (`-nvL`), long
 * options with `--name value` or `--name=value` (optional arguments only with `=`), and long
 * names abbreviated to any prefix that is unambiguous (or whose candidates all mean the same
 * option). Non-options are returned in place, in argv order (the optstring's leading `-` mode;
 * the tools here never rely on permutation), and the caller may take following words itself
 * through `optind`, as iptables does for `-L CHAIN RULENUM`.
 *
 * Problems are returned as events, never printed: each tool words them its own way.
 */

export interface LongOption {
  readonly name: string;
  /** 0 none, 1 required, 2 optional (`--name=value` only). */
  readonly hasArg: 0 | 1 | 2;
  /** The short letter (or any key) it stands for. */
  readonly val: string;
}

export type GetoptEvent =
  | { readonly kind: "option"; readonly val: string; readonly arg?: string; readonly word: string }
  | { readonly kind: "nonoption"; readonly text: string }
  /** `-Q`, `--bogus`, or an ambiguous abbreviation; `letter` for a short option. */
  | { readonly kind: "unknown"; readonly word: string; readonly letter?: string; readonly long: boolean }
  | { readonly kind: "missing-argument"; readonly val: string; readonly word: string; readonly long: boolean; readonly name: string }
  | { readonly kind: "unexpected-argument"; readonly val: string; readonly word: string; readonly name: string };

export class Getopt {
  /** Index of the next argv word to look at (argv[0] is the program). */
  optind = 1;
  /** Position inside a cluster of short options (0: not inside one). */
  private nextChar = 0;
  private readonly shorts = new Map<string, 0 | 1 | 2>();

  constructor(
    readonly argv: readonly string[],
    optstring: string,
    private readonly longs: readonly LongOption[],
  ) {
    const spec = optstring.replace(/^[-+]?:?/, "");
    for (let i = 0; i < spec.length; i++) {
      const c = spec[i]!;
      let has: 0 | 1 | 2 = 0;
      if (spec[i + 1] === ":") {
        has = spec[i + 2] === ":" ? 2 : 1;
        i += has;
      }
      this.shorts.set(c, has);
    }
  }

  /** The word at `optind`, if it can be a value (does not start with `-` or `!`): iptables' xs_has_arg(). */
  peekValue(): string | undefined {
    const w = this.argv[this.optind];
    return w !== undefined && !w.startsWith("-") && !w.startsWith("!") ? w : undefined;
  }

  /** Takes the word at `optind`. */
  take(): string | undefined {
    return this.argv[this.optind++];
  }

  next(): GetoptEvent | undefined {
    if (this.nextChar > 0) return this.shortAt();
    const w = this.argv[this.optind];
    if (w === undefined) return undefined;
    if (w === "--") {
      this.optind++;
      return this.next();
    }
    if (w.startsWith("--")) {
      this.optind++;
      return this.long(w);
    }
    if (w.startsWith("-") && w.length > 1) {
      this.nextChar = 1;
      return this.shortAt();
    }
    this.optind++;
    return { kind: "nonoption", text: w };
  }

  private long(word: string): GetoptEvent {
    const eq = word.indexOf("=");
    const name = eq >= 0 ? word.slice(2, eq) : word.slice(2);
    const inline = eq >= 0 ? word.slice(eq + 1) : undefined;
    let opt = this.longs.find((o) => o.name === name);
    if (opt === undefined && name.length > 0) {
      const candidates = this.longs.filter((o) => o.name.startsWith(name));
      const first = candidates[0];
      if (first !== undefined && candidates.every((o) => o.val === first.val && o.hasArg === first.hasArg)) opt = first;
    }
    if (opt === undefined) return { kind: "unknown", word, long: true };
    if (opt.hasArg === 0) {
      if (inline !== undefined) return { kind: "unexpected-argument", val: opt.val, word, name: opt.name };
      return { kind: "option", val: opt.val, word };
    }
    if (inline !== undefined) return { kind: "option", val: opt.val, arg: inline, word };
    if (opt.hasArg === 2) return { kind: "option", val: opt.val, word };
    const arg = this.argv[this.optind];
    if (arg === undefined) return { kind: "missing-argument", val: opt.val, word, long: true, name: opt.name };
    this.optind++;
    return { kind: "option", val: opt.val, arg, word };
  }

  private shortAt(): GetoptEvent {
    const word = this.argv[this.optind]!;
    const c = word[this.nextChar]!;
    this.nextChar++;
    const atEnd = this.nextChar >= word.length;
    const finishWord = (): void => {
      this.nextChar = 0;
      this.optind++;
    };
    const has = this.shorts.get(c);
    if (has === undefined) {
      if (atEnd) finishWord();
      return { kind: "unknown", word, letter: c, long: false };
    }
    if (has === 0) {
      if (atEnd) finishWord();
      return { kind: "option", val: c, word };
    }
    const glued = atEnd ? undefined : word.slice(this.nextChar);
    finishWord();
    if (glued !== undefined) return { kind: "option", val: c, arg: glued, word };
    if (has === 2) return { kind: "option", val: c, word };
    const arg = this.argv[this.optind];
    if (arg === undefined) return { kind: "missing-argument", val: c, word, long: false, name: c };
    this.optind++;
    return { kind: "option", val: c, arg, word };
  }
}
