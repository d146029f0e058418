/**
 * One command line of a restore file (`-A CHAIN …`, `-I CHAIN [n] …`, `-N CHAIN`,
 * `-X CHAIN`, `-P CHAIN POLICY`) read as iptables 1.8.9 reads it: do_parse() in
 * iptables/xshared.c driving getopt_long() over the base options and every extension loaded
 * so far. What it mirrors, because real rulesets depend on it:
 *
 *  - options are read left to right; `!` inverts the next option only, and only options
 *    that allow it (`! -m`, `! -j`, `! ! x` are errors); the old `--opt ! value` form is
 *    gone in 1.8.9 ("Bad argument");
 *  - a long option goes to the most recently loaded extension that has it (xtables_merge_options()
 *    puts new options first), so `-m tcp -p tcp -d X --dport 80` works in any order;
 *  - an option nobody knows, with `-p tcp|udp|icmp` given, loads that protocol's match once
 *    (command_default(): the implicit `-m tcp`), in the position where it was needed;
 *  - long options may be abbreviated to a unique prefix, and take `--opt=value`;
 *  - the checks do_parse() makes after the loop: DROP in nat, `-o` with INPUT/PREROUTING,
 *    `-i` with OUTPUT/POSTROUTING, chain-name length.
 *
 * Whether a jumped-to chain exists, and the kernel's table/hook checks, are the restore
 * loop's business (restore.ts, check-hooks.ts). Not modelled: address lists and host names,
 * clustered short options (`-fv`), `-c` counters (use the `[p:b]` prefix), and the commands
 * that make no sense in a saved ruleset (-D -R -C -L -S -F -Z -E).
 */
import type { Position } from "../../core/issue.js";
import type { AddrMatch, Counters, IfaceMatch, Match, ProtoMatch, Rule, TableName, Target } from "../rule.js";
import { BASE_LONG, COMMAND_NAMES, protoMatch, readAddr, SHORT_NO_ARG, SHORT_WITH_ARG } from "./base-options.js";
import { KNOWN_UNMODELLED_MATCHES, MATCHES } from "./matches/index.js";
import type { MatchExt, OptionSpec, ParseCtx, Tok } from "./module.js";
import type { Candidate } from "./options.js";
import { ExtSlot, resolveLong } from "./options.js";
import { parseProtocol } from "./protocols.js";
import { KNOWN_TARGET_NAMES, STANDARD_VERDICTS, TARGETS } from "./targets/index.js";
import { parseInterface } from "./values.js";

export type Command =
  | { readonly kind: "append"; readonly chain: Tok; readonly rule: Rule; readonly jump?: Tok }
  | { readonly kind: "insert"; readonly chain: Tok; readonly index: number; readonly indexAt: Position; readonly rule: Rule; readonly jump?: Tok }
  | { readonly kind: "new-chain"; readonly chain: Tok }
  | { readonly kind: "delete-chain"; readonly chain: Tok }
  | { readonly kind: "policy"; readonly chain: Tok; readonly policy: Tok };

export interface IssueSink {
  issue(code: string, message: string, at: Position): void;
}

/** XT_EXTENSION_MAXNAMELEN is 29: names must be shorter. */
export const MAX_CHAIN_NAME = 28;

type Owner = "base" | ExtSlot<Match> | ExtSlot<Target>;

interface State {
  command?: { letter: string; at: Tok };
  chain?: Tok;
  extra?: Tok; // -I rulenum, -P policy
  src?: AddrMatch;
  dst?: AddrMatch;
  proto?: ProtoMatch;
  protoSeen?: Tok;
  inIface?: IfaceMatch;
  outIface?: IfaceMatch;
  fragment?: { neg: boolean };
  seen: Set<string>;
  matches: ExtSlot<Match>[];
  /** Matches and the target in the order they were loaded. */
  loaded: (ExtSlot<Match> | ExtSlot<Target>)[];
  protoUsed: boolean;
  target?: ExtSlot<Target>;
  jump?: { name: Tok; goto: boolean };
}

function isHasArg(tokens: readonly Tok[], i: number): boolean {
  const t = tokens[i];
  return t !== undefined && !t.text.startsWith("-") && !t.text.startsWith("!");
}

/**
 * Reads one command line. `tokens` are the arguments after any `[p:b]` counters; `lineAt`
 * is where the line starts (for issues about the line as a whole).
 */
export function parseRuleLine(
  tokens: readonly Tok[],
  table: TableName,
  counters: Counters,
  sink: IssueSink,
  lineAt: Position,
): Command | undefined {
  let failed = false;
  const issue = (code: string, message: string, at: Position): void => {
    failed = true;
    sink.issue(code, message, at);
  };
  const st: State = { seen: new Set(), matches: [], loaded: [], protoUsed: false };
  const ctx: ParseCtx = {
    issue,
    table,
    get chain() {
      return st.chain?.text ?? "";
    },
    proto: () => st.proto ?? (st.protoSeen ? { proto: 0, neg: false } : undefined),
  };

  const loadMatch = (ext: MatchExt, at: Position): void => {
    const slot = new ExtSlot<Match>(ext, at, ctx);
    st.matches.push(slot);
    st.loaded.push(slot);
  };

  /** Every long option known right now, newest extension first (xtables_merge_options()). */
  const candidates = (): Candidate<Owner>[] => {
    const list: Candidate<Owner>[] = BASE_LONG.map(([name, id, arg]) => ({ name, id, arg, owner: "base" as const }));
    for (let k = st.loaded.length - 1; k >= 0; k--) {
      const e = st.loaded[k]!;
      for (const o of e.options) list.push({ name: o.name, id: o.id, arg: o.arg, owner: e });
    }
    return list;
  };

  let invert = false;
  let invertAt: Position | undefined;
  let i = 0;
  outer: while (i < tokens.length) {
    const tok = tokens[i]!;
    i += 1;
    const text = tok.text;

    if (text === "!") {
      if (invert) {
        issue("bad-invert", "multiple consecutive ! not allowed", tok.at);
        return undefined;
      }
      invert = true;
      invertAt = tok.at;
      continue;
    }
    if (!text.startsWith("-") || text === "-") {
      issue("bad-argument", `Bad argument \`${text}'`, tok.at);
      return undefined;
    }

    // Resolve the option: short letter, or long name (with `=value`), possibly loading the protocol match.
    let letter: string | undefined;
    let spec: OptionSpec | undefined;
    let slot: ExtSlot<Match> | ExtSlot<Target> | undefined;
    let inlineArg: string | undefined;
    let hasArg: boolean;
    if (text.startsWith("--")) {
      const eq = text.indexOf("=");
      const name = eq < 0 ? text.slice(2) : text.slice(2, eq);
      if (eq >= 0) inlineArg = text.slice(eq + 1);
      for (;;) {
        const hit = name === "" ? undefined : resolveLong(name, candidates());
        if (hit !== undefined && hit !== "ambiguous") {
          if (hit.owner === "base") letter = hit.id;
          else {
            slot = hit.owner;
            spec = hit.owner.options.find((o) => o.name === hit.name);
          }
          hasArg = hit.arg;
          break;
        }
        // command_default(): load `-p`'s match once, then look again.
        const protoExt = st.protoUsed ? undefined : protoMatch(st.proto);
        if (protoExt !== undefined) {
          st.protoUsed = true;
          loadMatch(protoExt, tok.at);
          continue;
        }
        issue("unknown-option", `unknown option "${text}"`, tok.at);
        return undefined;
      }
    } else {
      const l = text.slice(1);
      if (l.length !== 1 || (!SHORT_WITH_ARG.has(l) && !SHORT_NO_ARG.has(l))) {
        issue("unknown-option", l.length > 1 && SHORT_WITH_ARG.has(l[0] ?? "") ? `attached option arguments (\`${text}') are not modelled; write \`-${l[0]} ${l.slice(1)}'` : `unknown option "${text}"`, tok.at);
        return undefined;
      }
      letter = l;
      hasArg = SHORT_WITH_ARG.has(l);
    }

    // Fetch the argument(s).
    const args: Tok[] = [];
    if (hasArg) {
      if (inlineArg !== undefined) args.push({ text: inlineArg, at: { ...tok.at, column: tok.at.column + text.indexOf("=") + 1 } });
      else {
        const a = tokens[i];
        if (a === undefined) {
          issue("missing-argument", `option "${text}" requires an argument`, tok.at);
          return undefined;
        }
        args.push(a);
        i += 1;
      }
      if (spec?.arg2) {
        if (!isHasArg(tokens, i)) {
          issue("missing-argument", `${text} requires two args.`, tok.at);
          return undefined;
        }
        args.push(tokens[i]!);
        i += 1;
      }
    } else if (inlineArg !== undefined) {
      issue("unexpected-argument", `option "${text}" doesn't allow an argument`, tok.at);
      return undefined;
    }
    const neg = invert;
    invert = false;

    if (slot !== undefined && spec !== undefined) {
      slot.option(spec, tok, args, neg);
      // Like the real tool, a line stops at its first problem.
      if (failed) return undefined;
      continue;
    }

    const arg = args[0];
    const single = (name: string, display: string): boolean => {
      if (st.seen.has(name)) {
        issue("option-repeated", `multiple -${display} flags not allowed`, tok.at);
        return false;
      }
      st.seen.add(name);
      return true;
    };
    const noInvert = (display: string): boolean => {
      if (neg) issue("bad-invert", `cannot have ! before -${display}`, invertAt ?? tok.at);
      return !neg;
    };

    switch (letter) {
      case "A": case "I": case "N": case "X": case "P":
      case "D": case "R": case "C": case "L": case "S": case "F": case "Z": case "E": {
        if (neg) {
          issue("bad-invert", "unexpected '!' flag", invertAt ?? tok.at);
          return undefined;
        }
        if (st.command) {
          issue("bad-command", `Cannot use -${letter} with -${st.command.letter}`, tok.at);
          return undefined;
        }
        st.command = { letter, at: tok };
        if (!"AINXP".includes(letter)) {
          issue("not-modelled", `-${letter} (--${COMMAND_NAMES[letter] ?? letter}) is not modelled in a restore file: podpath reads -A, -I, -N, -X and -P`, tok.at);
          return undefined;
        }
        if (letter === "X") {
          // -X takes its chain only as a following word (xs_has_arg()).
          if (!isHasArg(tokens, i)) {
            issue("not-modelled", "-X without a chain name (delete every user chain) is not modelled", tok.at);
            return undefined;
          }
          st.chain = tokens[i]!;
          i += 1;
        } else if (arg) st.chain = arg;
        if (letter === "I" && isHasArg(tokens, i)) {
          st.extra = tokens[i]!;
          i += 1;
        }
        if (letter === "P") {
          if (!isHasArg(tokens, i)) {
            issue("missing-argument", "-P requires a chain and a policy", tok.at);
            return undefined;
          }
          st.extra = tokens[i]!;
          i += 1;
        }
        continue;
      }
      case "p": {
        if (!single("p", "p") || !arg) return undefined;
        const proto = parseProtocol(arg.text);
        if (proto === undefined) {
          issue("bad-protocol", `unknown protocol "${arg.text.toLowerCase()}" specified`, arg.at);
          return undefined;
        }
        if (proto === 0 && neg) {
          issue("bad-protocol", "rule would never match protocol", tok.at);
          return undefined;
        }
        st.protoSeen = arg;
        if (proto !== 0) st.proto = { proto, neg };
        continue;
      }
      case "s":
      case "d": {
        if (!single(letter, letter) || !arg) return undefined;
        const a = readAddr(arg, neg, issue);
        if (a === null) return undefined;
        if (a !== undefined) {
          if (letter === "s") st.src = a;
          else st.dst = a;
        }
        continue;
      }
      case "i":
      case "o": {
        if (!arg) return undefined;
        if (arg.text === "") {
          issue("bad-interface", "Empty interface is likely to be undesired", arg.at);
          return undefined;
        }
        if (!single(letter, letter)) return undefined;
        const r = parseInterface(arg.text);
        if (!r.ok) {
          issue("bad-interface", r.message, arg.at);
          return undefined;
        }
        const m: IfaceMatch = { name: r.name, wildcard: r.wildcard, neg };
        if (letter === "i") st.inIface = m;
        else st.outIface = m;
        continue;
      }
      case "f":
        if (!single("f", "f")) return undefined;
        st.fragment = { neg };
        continue;
      case "m": {
        if (neg) {
          issue("bad-invert", "unexpected ! flag before --match", invertAt ?? tok.at);
          return undefined;
        }
        if (!arg) return undefined;
        const ext = MATCHES.get(arg.text);
        if (ext === undefined) {
          issue(
            KNOWN_UNMODELLED_MATCHES.has(arg.text) ? "not-modelled" : "unknown-match",
            KNOWN_UNMODELLED_MATCHES.has(arg.text) ? `match \`${arg.text}' is not modelled by podpath` : `Couldn't load match \`${arg.text}':No such file or directory`,
            arg.at,
          );
          return undefined;
        }
        loadMatch(ext, arg.at);
        continue;
      }
      case "j":
      case "g": {
        if (!noInvert("j")) return undefined;
        if (!single("j", "j") || !arg) return undefined;
        const name = arg.text;
        if (name.length === 0) {
          issue("bad-target", "Invalid target name (too short)", arg.at);
          return undefined;
        }
        if (name.length > MAX_CHAIN_NAME) {
          issue("bad-target", `Invalid target name \`${name}' (${MAX_CHAIN_NAME} chars max)`, arg.at);
          return undefined;
        }
        const ext = letter === "j" ? TARGETS.get(name) : undefined;
        if (ext !== undefined) {
          st.target = new ExtSlot<Target>(ext, arg.at, ctx);
          st.loaded.push(st.target);
        }
        else if (letter === "j" && (name === "QUEUE" || (KNOWN_TARGET_NAMES.has(name) && !STANDARD_VERDICTS.has(name)))) {
          issue("not-modelled", `target \`${name}' is not modelled by podpath`, arg.at);
          return undefined;
        } else st.jump = { name: arg, goto: letter === "g" };
        continue;
      }
      case "t":
        issue("bad-option", "The -t option cannot be used in iptables-restore.", tok.at);
        return undefined;
      default:
        issue("not-modelled", `option "${text}" is not modelled in a restore line`, tok.at);
        break outer;
    }
  }
  if (failed) return undefined;
  if (invert) {
    issue("bad-invert", "nothing appropriate following !", invertAt ?? lineAt);
    return undefined;
  }

  // xtables_option_mfcall() / tfcall(): every extension's final checks, in load order.
  const matches: Match[] = [];
  for (const m of st.matches) {
    const v = m.finish();
    if (v !== undefined) matches.push(v);
  }
  let target: Target | undefined;
  if (st.target) target = st.target.finish();
  else if (st.jump) {
    const n = st.jump.name.text;
    target = STANDARD_VERDICTS.has(n) && !st.jump.goto
      ? ({ kind: n as "ACCEPT" | "DROP" | "RETURN" })
      : { kind: "jump", chain: n, goto: st.jump.goto };
  }
  if (failed) return undefined;

  const cmd = st.command;
  if (!cmd) {
    issue("no-command", "no command specified", lineAt);
    return undefined;
  }
  const chain = st.chain;
  if (!chain) return undefined;
  if (chain.text.length > MAX_CHAIN_NAME) {
    issue("bad-chain", `chain name \`${chain.text}' too long (must be under ${MAX_CHAIN_NAME + 1} chars)`, chain.at);
    return undefined;
  }
  const ruleSpecGiven = st.seen.size > 0 || st.matches.length > 0 || st.target !== undefined || st.jump !== undefined;

  if (cmd.letter === "N" || cmd.letter === "X" || cmd.letter === "P") {
    if (ruleSpecGiven) {
      issue("bad-option", `Illegal option with -${cmd.letter}: it takes a chain name only`, cmd.at.at);
      return undefined;
    }
    if (cmd.letter === "N") return { kind: "new-chain", chain };
    if (cmd.letter === "X") return { kind: "delete-chain", chain };
    if (!st.extra) return undefined;
    if (table === "nat" && st.extra.text === "DROP") {
      issue("nat-drop", 'The "nat" table is not intended for filtering, the use of DROP is therefore inhibited.', st.extra.at);
      return undefined;
    }
    return { kind: "policy", chain, policy: st.extra };
  }

  // The checks after do_parse()'s loop.
  if (table === "nat" && target?.kind === "DROP") {
    issue("nat-drop", 'The "nat" table is not intended for filtering, the use of DROP is therefore inhibited.', st.jump?.name.at ?? lineAt);
    return undefined;
  }
  if ((chain.text === "PREROUTING" || chain.text === "INPUT") && st.outIface) {
    issue("bad-interface", `Can't use -o with ${chain.text}`, chain.at);
    return undefined;
  }
  if ((chain.text === "POSTROUTING" || chain.text === "OUTPUT") && st.inIface) {
    issue("bad-interface", `Can't use -i with ${chain.text}`, chain.at);
    return undefined;
  }

  const rule: Rule = {
    ...(st.src ? { src: st.src } : {}),
    ...(st.dst ? { dst: st.dst } : {}),
    ...(st.proto ? { proto: st.proto } : {}),
    ...(st.inIface ? { inIface: st.inIface } : {}),
    ...(st.outIface ? { outIface: st.outIface } : {}),
    ...(st.fragment ? { fragment: st.fragment } : {}),
    matches,
    ...(target ? { target } : {}),
    counters,
    at: lineAt,
  };
  const jump = target?.kind === "jump" ? st.jump?.name : undefined;
  if (cmd.letter === "A") return { kind: "append", chain, rule, ...(jump ? { jump } : {}) };
  let index = 1;
  let indexAt = chain.at;
  if (st.extra) {
    const n = /^[0-9]+$/.test(st.extra.text) ? Number(st.extra.text) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 0x7fffffff) {
      issue("bad-rule-number", `Invalid rule number \`${st.extra.text}'`, st.extra.at);
      return undefined;
    }
    index = n;
    indexAt = st.extra.at;
  }
  return { kind: "insert", chain, index, indexAt, rule, ...(jump ? { jump } : {}) };
}
