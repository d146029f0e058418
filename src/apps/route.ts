/**
 * `route` (net-tools 2.10) on a simulated host: route.c's command line (glibc getopt_long with
 * "A:eCFhnN64Vv?": `-n` numeric, each `-e` one more layout, `-F` the FIB, `-A inet`/`-4`) around
 * the view in views/route-n.ts.
 *
 * Refused, with a message saying so: output without `-n` (it resolves every address through
 * /etc/networks, /etc/hosts, DNS and systemd's nss-myhostname `_gateway`, which the simulator does
 * not model), `-C` (the routing cache), IPv6 (`-6`, `-A inet6`), and `add`/`del`/`flush` (the
 * simulated FIB comes from the scenario file). A bad option gets glibc's complaint and route's
 * exit code for usage errors, E_USAGE (4); the usage text itself is not reproduced.
 */
import type { App } from "./app.js";
import { Getopt, type LongOption } from "./getopt.js";
import { ViewExit, runView } from "../views/common.js";
import { routeN } from "../views/route-n.js";

/** E_USAGE in net-tools' net-support.h. */
const E_USAGE = 4;

const LONG: readonly LongOption[] = [
  { name: "extend", hasArg: 0, val: "e" },
  { name: "verbose", hasArg: 0, val: "v" },
  { name: "version", hasArg: 0, val: "V" },
  { name: "numeric", hasArg: 0, val: "n" },
  { name: "symbolic", hasArg: 0, val: "N" },
  { name: "protocol", hasArg: 1, val: "A" },
  { name: "cache", hasArg: 0, val: "C" },
  { name: "fib", hasArg: 0, val: "F" },
  { name: "help", hasArg: 0, val: "h" },
  { name: "inet", hasArg: 0, val: "4" },
  { name: "inet6", hasArg: 0, val: "6" },
];

const refuse = (what: string): ViewExit => new ViewExit(E_USAGE, `route: podpath: ${what} is not simulated\n`);

export const routeApp: App = (argv, io) =>
  runView(io, () => {
    const g = new Getopt(argv, "A:eCFhnN64Vv?", LONG);
    let numeric = false;
    // opt_e starts at 1; the layout is opt_e & FLAG_EXT (3), so -eee wraps to 0 (title only).
    let optE = 1;
    for (let e = g.next(); e !== undefined; e = g.next()) {
      if (e.kind === "nonoption") {
        if (["add", "del", "delete", "flush"].includes(e.text)) {
          throw new ViewExit(E_USAGE, `route: podpath: "route ${e.text}" would change the simulated FIB, which is read-only: it comes from the scenario file (its "routes:")\n`);
        }
        throw refuse(`"${e.text}" (route prints its usage text here)`);
      }
      if (e.kind === "unknown") throw new ViewExit(E_USAGE, `route: ${e.long ? `unrecognized option '${e.word}'` : `invalid option -- '${e.letter ?? ""}'`}\nroute: podpath: the usage text that follows is not simulated\n`);
      if (e.kind === "missing-argument") throw new ViewExit(E_USAGE, `route: ${e.long ? `option '--${e.name}' requires an argument` : `option requires an argument -- '${e.name}'`}\nroute: podpath: the usage text that follows is not simulated\n`);
      if (e.kind === "unexpected-argument") throw new ViewExit(E_USAGE, `route: option '--${e.name}' doesn't allow an argument\nroute: podpath: the usage text that follows is not simulated\n`);
      switch (e.val) {
        case "n":
          numeric = true;
          break;
        case "e":
          optE++;
          break;
        case "C":
          throw refuse("-C (the routing cache)");
        case "6":
          throw refuse("IPv6 (-6)");
        case "A":
          if (e.arg !== "inet") throw refuse(`-A ${e.arg ?? ""}`);
          break;
        case "V":
          throw refuse("-V (version text)");
        case "h":
        case "?":
          throw refuse("help (its usage text)");
        default:
          // -F (the default), -4, -v, -N: nothing changes in what is printed here.
          break;
      }
    }
    if (!numeric) throw new ViewExit(E_USAGE, "route: podpath: output without -n (name resolution of every address) is not simulated; use route -n\n");
    const ext = optE & 3;
    io.out(ext === 0 ? "Kernel IP routing table\n" : routeN(io.ns, ext as 1 | 2 | 3));
    return 0;
  });
