/**
 * `ip` (iproute2 6.1, Debian 12) as a read-only view of one simulated namespace. Mirrors
 * ip/ip.c: the global options (`-4 -6 -0 -f FAMILY -br -o -n NETNS -V`), the object table
 * with iproute2's abbreviation rules (matches(): `a` is address, `r` route, `n` neighbour,
 * `l` link, `ro`, `ne`, `li`…), and the exit codes (`Object "x" is unknown` exits 1; usage
 * and bad options exit 255; a subcommand's -1/-2 become 1/2).
 *
 * The objects themselves: ip-addr.ts, ip-link.ts, ip-route.ts, ip-route-get.ts, ip-neigh.ts.
 * Anything that would change state (`add`, `del`, `set`, `flush`…) or that the simulator has
 * no data for (`-s` statistics, `-d` details, `-j` JSON, `ip rule`, `ip netns`…) is refused
 * with a message that says so, rather than printed wrongly.
 */
import type { App, AppIo } from "../apps/app.js";
import type { Netns } from "../netns/netns.js";
import { ViewExit, matches, notSimulated, runView, GlobalOptions, switchNetns } from "./common.js";
import { ipAddr } from "./ip-addr.js";
import { ipLink } from "./ip-link.js";
import { ipNeigh } from "./ip-neigh.js";
import type { IpOptions } from "./ip-options.js";
import { ipRoute } from "./ip-route.js";
import { ipRouteGet } from "./ip-route-get.js";

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

/** ip.c cmds[] in order: the first entry the word abbreviates wins. */
const OBJECTS = [
  "address", "addrlabel", "maddress", "route", "rule", "neighbor", "neighbour", "ntable", "ntbl", "link", "l2tp", "fou",
  "ila", "macsec", "tunnel", "tunl", "tuntap", "tap", "token", "tcpmetrics", "tcp_metrics", "monitor", "xfrm", "mroute",
  "mrule", "netns", "netconf", "vrf", "sr", "nexthop", "mptcp", "ioam", "stats", "help",
];

const usage = (): ViewExit => new ViewExit(255, USAGE);

interface Parsed {
  readonly opts: IpOptions;
  readonly ns: Netns;
  readonly rest: readonly string[];
}

/** ip.c main(): global options, in the order iproute2 tries them. */
function parseOptions(argv: readonly string[], io: AppIo): Parsed | "version" {
  let family: IpOptions["family"];
  let brief = false;
  let oneline = false;
  let ns = io.ns;
  const options = new GlobalOptions(argv);
  for (let opt = options.next(); opt !== undefined; opt = options.next()) {
    if (matches(opt, "-loops")) throw notSimulated("ip", "-loops");
    else if (matches(opt, "-family")) {
      const f = options.value();
      if (f === undefined) throw usage();
      if (f === "inet") family = 4;
      else if (f === "inet6") family = 6;
      else if (f === "link") family = "link";
      else if (f === "help") throw usage();
      else if (f === "mpls" || f === "bridge") throw notSimulated("ip", `-family ${f}`);
      else throw new ViewExit(255, `Error: argument "${f}" is wrong: invalid protocol family\n`);
    } else if (opt === "-4") family = 4;
    else if (opt === "-6") family = 6;
    else if (opt === "-0") family = "link";
    else if (opt === "-M" || opt === "-B") throw notSimulated("ip", opt);
    else if (matches(opt, "-human") || matches(opt, "-human-readable") || matches(opt, "-iec")) continue;
    else if (matches(opt, "-stats") || matches(opt, "-statistics") || matches(opt, "-details")) throw notSimulated("ip", opt);
    else if (matches(opt, "-resolve")) continue;
    else if (matches(opt, "-oneline")) oneline = true;
    else if (matches(opt, "-timestamp") || matches(opt, "-tshort")) continue;
    else if (matches(opt, "-Version")) return "version";
    else if (matches(opt, "-force")) continue;
    else if (matches(opt, "-batch")) throw notSimulated("ip", "-batch");
    else if (matches(opt, "-brief")) brief = true;
    else if (matches(opt, "-json") || matches(opt, "-pretty") || matches(opt, "-rcvbuf")) throw notSimulated("ip", opt);
    else if (matches(opt, "-color") || opt.startsWith("-color=")) throw notSimulated("ip", opt);
    else if (matches(opt, "-help")) throw usage();
    else if (matches(opt, "-netns")) ns = switchNetns(io, options.value());
    else if (matches(opt, "-Numeric") || matches(opt, "-all")) continue;
    else throw new ViewExit(255, `Option "${opt}" is unknown, try "ip -help".\n`);
  }
  return { opts: { family, brief, oneline }, ns, rest: options.rest };
}

export const ipApp: App = (argv, io) => {
  runView(io, () => {
    const parsed = parseOptions(argv, io);
    if (parsed === "version") {
      io.out("ip utility, iproute2-6.1.0, libbpf 1.1.2\n");
      return 0;
    }
    const { opts, ns, rest } = parsed;
    const word = rest[0];
    if (word === undefined) throw usage();
    const obj = OBJECTS.find((o) => matches(word, o));
    const args = rest.slice(1);
    let out: string;
    switch (obj) {
      case "address":
        out = ipAddr(ns, args, opts);
        break;
      case "route":
        out = ipRoute(ns, args, opts, (getArgs) => ipRouteGet(ns, getArgs, opts, { err: (t) => io.err(t) }));
        break;
      case "neighbor":
      case "neighbour":
        out = ipNeigh(ns, args, opts);
        break;
      case "link":
        out = ipLink(ns, args, opts);
        break;
      case "help":
        throw usage();
      case undefined:
        throw new ViewExit(1, `Object "${word}" is unknown, try "ip help".\n`);
      default:
        throw notSimulated("ip", obj);
    }
    io.out(out);
    return 0;
  });
};
