/**
 * `cat FILE…` (GNU coreutils 9.1) reading a simulated host's files (`ns.files`, the scenario's
 * `files:` by absolute path): each file in turn, `-` or no operand is standard input, a
 * missing file is `cat: F: No such file or directory` and a directory (a path other files live
 * under) `cat: F: Is a directory`; cat goes on with the next file and exits 1 if any failed.
 * A relative path is read from `/`, the working directory of a simulated shell.
 *
 * Options other than `-u` (ignored by GNU cat too) and `--` are refused with a message saying
 * they are not simulated; an unknown one gets getopt's complaint, as cat prints it.
 */
import type { App } from "./app.js";
import { Getopt, type LongOption } from "./getopt.js";
import { ViewExit, runView } from "../views/common.js";

const LONG: readonly LongOption[] = [
  { name: "show-all", hasArg: 0, val: "A" },
  { name: "number-nonblank", hasArg: 0, val: "b" },
  { name: "show-ends", hasArg: 0, val: "E" },
  { name: "number", hasArg: 0, val: "n" },
  { name: "squeeze-blank", hasArg: 0, val: "s" },
  { name: "show-tabs", hasArg: 0, val: "T" },
  { name: "show-nonprinting", hasArg: 0, val: "v" },
  { name: "help", hasArg: 0, val: "h" },
  { name: "version", hasArg: 0, val: "V" },
];

const TRY = "Try 'cat --help' for more information.\n";

export const catApp: App = (argv, io) =>
  runView(io, () => {
    // "-" alone is an operand (stdin), which Getopt would take for an empty cluster; after
    // "--" every word is an operand.
    const dashes = argv.indexOf("--", 1);
    const words = (dashes < 0 ? argv : argv.slice(0, dashes)).map((w) => (w === "-" ? "\0stdin" : w));
    const g = new Getopt(words, "benstuvAET", LONG);
    const operands: string[] = [];
    for (let e = g.next(); e !== undefined; e = g.next()) {
      if (e.kind === "nonoption") operands.push(e.text === "\0stdin" ? "-" : e.text);
      else if (e.kind === "unknown") throw new ViewExit(1, `cat: ${e.long ? `unrecognized option '${e.word}'` : `invalid option -- '${e.letter ?? ""}'`}\n${TRY}`);
      else if (e.kind === "unexpected-argument") throw new ViewExit(1, `cat: option '--${e.name}' doesn't allow an argument\n${TRY}`);
      else if (e.kind === "option" && e.val !== "u") throw new ViewExit(1, `cat: podpath: option ${e.word} is not simulated\n`);
    }
    if (dashes >= 0) operands.push(...argv.slice(dashes + 1));
    if (operands.length === 0) operands.push("-");
    let code = 0;
    for (const name of operands) {
      if (name === "-") {
        io.out(io.stdin);
        continue;
      }
      const path = name.startsWith("/") ? name : `/${name}`;
      const text = io.ns.files.get(path);
      if (text !== undefined) {
        io.out(text);
        continue;
      }
      const dir = path.endsWith("/") ? path : `${path}/`;
      const isDir = path === "/" || [...io.ns.files.keys()].some((k) => k.startsWith(dir));
      io.err(`cat: ${name}: ${isDir ? "Is a directory" : "No such file or directory"}\n`);
      code = 1;
    }
    return code;
  });
