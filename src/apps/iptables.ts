/**
 * `iptables` 1.8.9 (nf_tables) as a read-only tool on a simulated host: `-S [CHAIN [N]]`,
 * `-L [CHAIN [N]] -n [-v] [-x] [--line-numbers]`, `-t TABLE`, `-V`. The text comes from the
 * views (src/views/iptables-list.ts); this file owns the command line as do_parse() in
 * iptables/xshared.c reads it — getopt_long with the optstring and long options of
 * iptables-standalone, `-L`/`-S` taking a chain and a rule number from the following words
 * (xs_has_arg()), add_command()'s "Cannot use -L with -S", generic_opt_check()'s
 * commands_v_options table ("Illegal option `-p' with this command"), parse_rulenumber(), the
 * table check of the nft backend — and the exit codes: 2 for a parameter problem, 3 for an
 * unknown table, 1 for a chain that does not exist.
 *
 * Not simulated, each said so: any command that changes rules (-A -I -D -R -F -Z -N -X -E -P)
 * is refused with exit 4, the code iptables gives when the kernel refuses a change
 * ("Permission denied (you must be root)"), because a simulated host's rules come from its
 * scenario file; `-C`, `-h`, `-L` without `-n` (the real tool resolves names through DNS and
 * /etc/services) and the `security` table exit 1 with a podpath message.
 */
import type { App } from "./app.js";
import type { AppIo } from "./app.js";
import { Getopt, type LongOption } from "./getopt.js";
import { readOnlyMessage, rulesetOf } from "./netfilter-state.js";
import type { TableName } from "../netfilter/rule.js";
import { TABLE_NAMES } from "../netfilter/rule.js";
import { ViewExit, runView } from "../views/common.js";
import { iptablesList, iptablesListRules } from "../views/iptables-list.js";

const PROG = "iptables v1.8.9 (nf_tables)";
const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n";

/** iptables-standalone's optstring: commands, rule options, then the rest. */
const OPTSTRING = "-:A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46";

const LONG: readonly LongOption[] = [
  { name: "append", hasArg: 1, val: "A" },
  { name: "delete", hasArg: 1, val: "D" },
  { name: "check", hasArg: 1, val: "C" },
  { name: "insert", hasArg: 1, val: "I" },
  { name: "replace", hasArg: 1, val: "R" },
  { name: "list", hasArg: 2, val: "L" },
  { name: "list-rules", hasArg: 2, val: "S" },
  { name: "flush", hasArg: 2, val: "F" },
  { name: "zero", hasArg: 2, val: "Z" },
  { name: "new-chain", hasArg: 1, val: "N" },
  { name: "delete-chain", hasArg: 2, val: "X" },
  { name: "rename-chain", hasArg: 1, val: "E" },
  { name: "policy", hasArg: 1, val: "P" },
  { name: "source", hasArg: 1, val: "s" },
  { name: "destination", hasArg: 1, val: "d" },
  { name: "src", hasArg: 1, val: "s" },
  { name: "dst", hasArg: 1, val: "d" },
  { name: "protocol", hasArg: 1, val: "p" },
  { name: "in-interface", hasArg: 1, val: "i" },
  { name: "jump", hasArg: 1, val: "j" },
  { name: "table", hasArg: 1, val: "t" },
  { name: "match", hasArg: 1, val: "m" },
  { name: "numeric", hasArg: 0, val: "n" },
  { name: "out-interface", hasArg: 1, val: "o" },
  { name: "verbose", hasArg: 0, val: "v" },
  { name: "wait", hasArg: 2, val: "w" },
  { name: "wait-interval", hasArg: 2, val: "W" },
  { name: "exact", hasArg: 0, val: "x" },
  { name: "fragments", hasArg: 0, val: "f" },
  { name: "version", hasArg: 0, val: "V" },
  { name: "help", hasArg: 2, val: "h" },
  { name: "line-numbers", hasArg: 0, val: "0" },
  { name: "modprobe", hasArg: 1, val: "M" },
  { name: "set-counters", hasArg: 1, val: "c" },
  { name: "goto", hasArg: 1, val: "g" },
  { name: "ipv4", hasArg: 0, val: "4" },
  { name: "ipv6", hasArg: 0, val: "6" },
];

/** Commands that would change the ruleset. */
const CHANGING = new Set(["A", "D", "R", "I", "F", "Z", "N", "X", "E", "P"]);

/** generic_opt_check()'s option order (optflags[]) and what -L and -S allow of them. */
const OPTFLAGS = ["n", "s", "d", "p", "j", "v", "x", "i", "o", "0", "c", "f"] as const;
const LEGAL: Readonly<Record<"L" | "S", ReadonlySet<string>>> = {
  L: new Set(["n", "v", "x", "0"]),
  S: new Set(["v"]),
};

function problem(msg: string): ViewExit {
  return new ViewExit(2, `${PROG}: ${msg}\n${TRY}`);
}

function podpathRefusal(what: string): ViewExit {
  return new ViewExit(1, `iptables: podpath: ${what}\n`);
}

/** parse_rulenumber(): 1 … INT_MAX. */
function ruleNumber(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 0x7fffffff) throw problem(`Invalid rule number \`${text}'`);
  return n;
}

interface Parsed {
  readonly command: "L" | "S";
  readonly table: string;
  readonly chain?: string;
  readonly rulenum?: number;
  readonly options: ReadonlySet<string>;
  readonly verbose: boolean;
}

/** do_parse() for the read-only subset; throws ViewExit for everything else. */
function parse(argv: readonly string[], io: AppIo): Parsed | "done" {
  const g = new Getopt(argv, OPTSTRING, LONG);
  let command: "L" | "S" | undefined;
  let table = "filter";
  let chain: string | undefined;
  let rulenum: number | undefined;
  let invert = false;
  let verbose = 0;
  let ruleOptions = false;
  const options = new Set<string>();
  const setOption = (o: string): void => {
    if (options.has(o)) throw problem(`multiple -${o} flags not allowed`);
    options.add(o);
  };
  for (let e = g.next(); e !== undefined; e = g.next()) {
    if (e.kind === "nonoption") {
      if (e.text === "!") {
        if (invert) throw problem("multiple consecutive ! not allowed");
        invert = true;
        continue;
      }
      throw new ViewExit(2, `Bad argument \`${e.text}'\n${TRY}`);
    }
    if (e.kind === "missing-argument") throw problem(`option "${e.word}" requires an argument`);
    if (e.kind === "unknown" || e.kind === "unexpected-argument") {
      // Options of a match or target extension (`-p tcp --dport 80`) belong to a rule
      // specification, which -L and -S refuse below; other unknown words are errors.
      if (ruleOptions && e.kind === "unknown" && e.long) {
        if (g.peekValue() !== undefined) g.take();
        continue;
      }
      throw problem(`unknown option "${e.word}"`);
    }
    const v = e.val;
    if (CHANGING.has(v)) throw new ViewExit(4, readOnlyMessage("iptables", `iptables -${v}`, io.ns));
    switch (v) {
      case "L":
      case "S": {
        if (invert) throw problem("unexpected '!' flag");
        if (command !== undefined) throw problem(`Cannot use -${v} with -${command}`);
        command = v;
        if (e.arg !== undefined) chain = e.arg;
        else if (g.peekValue() !== undefined) chain = g.take();
        if (g.peekValue() !== undefined) rulenum = ruleNumber(g.take() ?? "");
        break;
      }
      case "C":
        throw podpathRefusal("iptables -C (check for a rule) is not simulated; iptables -S shows the rules as the kernel holds them");
      case "V":
        io.out(invert ? `Not ${PROG} ;-)\n` : `${PROG}\n`);
        return "done";
      case "h":
        throw podpathRefusal("iptables -h is not simulated; see iptables(8)");
      case "t":
        if (invert) throw problem("unexpected ! flag before --table");
        table = e.arg ?? "";
        break;
      case "n":
      case "x":
      case "0":
        setOption(v);
        break;
      case "v":
        if (verbose === 0) options.add("v");
        verbose++;
        break;
      case "s":
      case "d":
      case "p":
      case "j":
      case "i":
      case "o":
      case "f":
        setOption(v);
        ruleOptions = true;
        break;
      case "g":
        setOption("j");
        ruleOptions = true;
        break;
      case "c":
        setOption("c");
        if (g.peekValue() === undefined) throw problem("-c requires packet and byte counter");
        g.take();
        break;
      case "m":
        ruleOptions = true;
        break;
      case "6":
        throw new ViewExit(2, TRY);
      default:
        // -w, -W, -M, -4, -b: accepted, nothing to do in a simulation.
        break;
    }
    invert = false;
  }
  if (command === undefined) throw problem("no command specified");
  if (invert) throw problem("nothing appropriate following !");
  for (const o of OPTFLAGS) if (options.has(o) && !LEGAL[command].has(o)) throw problem(`Illegal option \`-${o}' with this command`);
  return { command, table, ...(chain !== undefined ? { chain } : {}), ...(rulenum !== undefined ? { rulenum } : {}), options, verbose: verbose > 0 };
}

function tableName(name: string): TableName {
  if ((TABLE_NAMES as readonly string[]).includes(name)) return name as TableName;
  if (name === "security") throw podpathRefusal("the security table is not simulated");
  throw new ViewExit(3, `${PROG}: table '${name}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`);
}

/** `-L CHAIN N`: the rule line alone, as print_firewall() prints it without the headers. */
function listOne(text: string, rulenum: number): string {
  const line = text.split("\n")[1 + rulenum];
  return line === undefined || line === "" ? "" : `${line}\n`;
}

export const iptablesApp: App = (argv, io) =>
  runView(io, () => {
    const p = parse(argv, io);
    if (p === "done") return 0;
    const table = tableName(p.table);
    const rs = rulesetOf(io.ns);
    if (p.command === "S") {
      io.out(iptablesListRules(rs, { table, ...(p.chain !== undefined ? { chain: p.chain } : {}), ...(p.rulenum !== undefined ? { rulenum: p.rulenum } : {}), verbose: p.verbose }));
      return 0;
    }
    if (!p.options.has("n")) {
      throw podpathRefusal("iptables -L prints names (DNS, /etc/services) unless given -n; podpath prints numeric output only: add -n");
    }
    const opts = {
      table,
      ...(p.chain !== undefined ? { chain: p.chain } : {}),
      verbose: p.verbose,
      exact: p.options.has("x"),
      lineNumbers: p.options.has("0"),
    };
    const text = iptablesList(rs, opts);
    io.out(p.rulenum !== undefined ? listOne(text, p.rulenum) : text);
    return 0;
  });
