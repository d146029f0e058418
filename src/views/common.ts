/**
 * What the `ip` and `bridge` views share: iproute2's argument helpers (matches(), NEXT_ARG,
 * invarg(), duparg(), nodev()), its address parser (get_addr_ipv4 / get_prefix_1 in
 * lib/utils.c, which accepts `10`, `10.1`, hex and octal parts), and the way a command ends.
 *
 * Exit codes follow iproute2 6.1: `exit(-1)` is 255; a subcommand returning -1 or -2 makes
 * `ip` exit 1 or 2 (do_cmd negates it) and `bridge` exit 255 or 254 (it does not).
 */
import type { AppIo } from "../apps/app.js";
import type { Ipv4 } from "../core/ip.js";
import { inPrefix } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";

/** Thrown to end a view early with text on stderr; the dispatcher turns it into the exit. */
export class ViewExit extends Error {
  constructor(
    readonly code: number,
    readonly stderr: string,
  ) {
    super(stderr.trim());
  }
}

/** lib/utils.c matches(): `arg` is a non-empty prefix of `word`. */
export function matches(arg: string | undefined, word: string): boolean {
  return arg !== undefined && arg.length > 0 && word.startsWith(arg);
}

/** A cursor over argv that fails like NEXT_ARG() when a value is missing. */
export class Args {
  private i = 0;
  constructor(private readonly list: readonly string[]) {}

  get done(): boolean {
    return this.i >= this.list.length;
  }
  peek(): string | undefined {
    return this.list[this.i];
  }
  take(): string {
    const a = this.list[this.i++];
    if (a === undefined) throw incomplete();
    return a;
  }
  rest(): string[] {
    return this.list.slice(this.i);
  }
}

export function incomplete(): ViewExit {
  return new ViewExit(255, 'Command line is not complete. Try option "help"\n');
}

/** invarg(): `msg` carries its own trailing newline when the C string did. */
export function invarg(msg: string, arg: string): ViewExit {
  return new ViewExit(255, `Error: argument "${arg}" is wrong: ${msg}\n`);
}

export function duparg2(key: string, arg: string): ViewExit {
  return new ViewExit(255, `Error: either "${key}" is duplicate, or "${arg}" is a garbage.\n`);
}

/** Options and subcommands the real tool has but the simulator does not model. */
export function notSimulated(tool: string, what: string): ViewExit {
  return new ViewExit(255, `${tool}: "${what}" is not simulated by podpath\n`);
}

export interface ParsedPrefix {
  readonly addr: Ipv4;
  readonly len: number;
  /** `default`, `any`, `all`: matches every address, family left open. */
  readonly any: boolean;
}

function strtoulPart(s: string): number | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(s))) return parseInt(m[1]!, 16);
  if (/^0[0-7]*$/.test(s)) return parseInt(s, 8);
  if (/^[1-9][0-9]*$/.test(s)) return parseInt(s, 10);
  return undefined;
}

/** get_addr_ipv4(): one to four parts, missing parts are zero (`10` is 10.0.0.0). */
export function parseInetAddr(text: string): Ipv4 | undefined {
  const parts = text.split(".");
  if (parts.length < 1 || parts.length > 4) return undefined;
  const bytes = [0, 0, 0, 0];
  for (let i = 0; i < parts.length; i++) {
    const n = strtoulPart(parts[i]!);
    if (n === undefined || n > 255) return undefined;
    bytes[i] = n;
  }
  return (((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0) as Ipv4;
}

/** get_prefix_1() for IPv4: `A`, `A/LEN`, or `default|any|all`. */
export function parseInetPrefix(text: string): ParsedPrefix | undefined {
  if (text === "default" || text === "any" || text === "all") return { addr: 0 as Ipv4, len: 0, any: true };
  const slash = text.indexOf("/");
  const addr = parseInetAddr(slash < 0 ? text : text.slice(0, slash));
  if (addr === undefined) return undefined;
  if (slash < 0) return { addr, len: 32, any: false };
  const lenText = text.slice(slash + 1);
  const len = strtoulPart(lenText);
  if (len === undefined || len > 32) return undefined;
  return { addr, len, any: false };
}

/** The family a prefix is read in: family_name_verbose() of `-4`/`-6` or of an earlier address. */
export type PrefixFamily = "any valid" | "inet" | "inet6";

/** get_prefix(): exits 1 with iproute2's text when the word is not a prefix of `family`. */
export function getPrefix(text: string, family: PrefixFamily): ParsedPrefix {
  const p = parseInetPrefix(text);
  if (!p || (family === "inet6" && !p.any)) throw new ViewExit(1, `Error: ${family} prefix is expected rather than "${text}".\n`);
  return p;
}

/** inet_addr_match(): do the first `bits` bits agree? */
export function prefixMatch(a: number, b: number, bits: number): boolean {
  return inPrefix(a, b, bits);
}

/** Runs a view body, turning ViewExit into stderr text and the exit code. */
export function runView(io: AppIo, body: () => number): void {
  let code: number;
  try {
    code = body();
  } catch (e) {
    if (!(e instanceof ViewExit)) throw e;
    io.err(e.stderr);
    code = e.code;
  }
  io.exit(code);
}

/** printf("%-Ns ", s): padded to `width`, never cut, then one space. */
export function pad(s: string, width: number): string {
  return s.length >= width ? `${s} ` : `${s}${" ".repeat(width - s.length)} `;
}

/**
 * The global options of an iproute2 tool (ip.c / bridge.c main()): options come first, `--`
 * ends them, the first word that is not an option starts the command; `--opt` is read as `-opt`.
 */
export class GlobalOptions {
  private i = 1;
  constructor(private readonly argv: readonly string[]) {}

  /** The next option, or undefined when the options are over. */
  next(): string | undefined {
    const opt = this.argv[this.i];
    if (opt === undefined || !opt.startsWith("-")) return undefined;
    this.i++;
    if (opt === "--") return undefined;
    return opt[1] === "-" ? opt.slice(1) : opt;
  }

  /** The word after the option just read (undefined when there is none). */
  value(): string | undefined {
    return this.argv[this.i++];
  }

  /** The command words after the options. */
  get rest(): readonly string[] {
    return this.argv.slice(this.i);
  }
}

/** `-netns NAME`: netns_switch(), which runs even without a name and then prints "(null)". */
export function switchNetns(io: AppIo, name: string | undefined): Netns {
  const n = name ?? "(null)";
  const other = io.world.ns(n);
  if (!other) throw new ViewExit(255, `Cannot open network namespace "${n}": No such file or directory\n`);
  return other;
}
