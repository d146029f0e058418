/**
 * `bridge` (iproute2 6.1, Debian 12) as a read-only view of one simulated namespace. Mirrors
 * bridge/bridge.c: the global options (`-n NETNS`, `-V`; statistics, details and JSON are
 * refused as not simulated), the object table with iproute2's abbreviation rules, and the
 * exit codes (bridge does not negate a subcommand's result: -1 exits 255, -2 exits 254).
 * The objects: bridge-fdb.ts (`bridge fdb show|get`) and bridge-link.ts (`bridge link show`).
 */
import type { App } from "../apps/app.js";
import type { Netns } from "../netns/netns.js";
import { ViewExit, matches, notSimulated, runView, GlobalOptions, switchNetns } from "./common.js";
import { bridgeFdb } from "./bridge-fdb.js";
import { bridgeLink } from "./bridge-link.js";

const USAGE = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
`;

/** bridge.c cmds[] in order. */
const OBJECTS = ["link", "fdb", "mdb", "vlan", "vni", "monitor", "help"];

export const bridgeApp: App = (argv, io) => {
  runView(io, () => {
    const usage = () => new ViewExit(255, USAGE);
    let ns: Netns = io.ns;
    const options = new GlobalOptions(argv);
    for (let opt = options.next(); opt !== undefined; opt = options.next()) {
      if (matches(opt, "-help")) throw usage();
      else if (matches(opt, "-Version")) {
        io.out("bridge utility, 6.1.0\n");
        return 0;
      } else if (matches(opt, "-stats") || matches(opt, "-statistics") || matches(opt, "-details")) throw notSimulated("bridge", opt);
      else if (matches(opt, "-oneline") || matches(opt, "-timestamp")) continue;
      else if (matches(opt, "-family") || opt === "-4" || opt === "-6") throw notSimulated("bridge", opt);
      else if (matches(opt, "-netns")) ns = switchNetns(io, options.value());
      else if (matches(opt, "-color") || opt.startsWith("-color=")) throw notSimulated("bridge", opt);
      else if (matches(opt, "-compressvlans") || matches(opt, "-force")) continue;
      else if (matches(opt, "-json") || matches(opt, "-pretty") || matches(opt, "-batch")) throw notSimulated("bridge", opt);
      else throw new ViewExit(255, `Option "${opt}" is unknown, try "bridge help".\n`);
    }
    const [word, ...args] = options.rest;
    if (word === undefined) throw usage();
    const obj = OBJECTS.find((o) => matches(word, o));
    if (obj === "fdb") io.out(bridgeFdb(ns, args));
    else if (obj === "link") io.out(bridgeLink(ns, args));
    else if (obj === "help") throw usage();
    else if (obj === undefined) throw new ViewExit(255, `Object "${word}" is unknown, try "bridge help".\n`);
    else throw notSimulated("bridge", obj);
    return 0;
  });
};
