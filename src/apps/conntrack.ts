/**
 * `conntrack` (conntrack-tools 1.4.7) as a read-only tool on a simulated host: `-L [table]` with
 * the usual filters, `-C`, `-V`, `-h`. Mirrors conntrack.c: getopt_long with its optstring, the
 * protocol's own options (`--sport`, `--dport`, `--state`…) known only after `-p tcp|udp`,
 * "Invalid commands combination", the messages `exit_error(PARAMETER_PROBLEM, …)` prints (with
 * "Try `conntrack -h' …", exit 2), and the summary on stderr:
 * "conntrack v1.4.7 (conntrack-tools): N flow entries have been shown."
 *
 * What it lists is the namespace's conntrack table (src/netfilter/conntrack/) at the current
 * virtual time, oldest first (the kernel lists by hash bucket). Each `podpath exec` starts a
 * fresh world, so there it shows the state the command itself finds: none. Commands run one
 * after another in one world (the kernel tests' netfilter cases) see what the earlier ones left.
 *
 * Refused: `-D -F -I -U -A` (read-only, exit 1, as conntrack exits when the kernel refuses);
 * not simulated: `-E` (it waits for events forever), `-G`, `-S`, the NAT filters `-n -g -j`
 * and labels/zones/secmark.
 */
import type { App, AppIo } from "./app.js";
import { formatConn, tcpStateName } from "./conntrack-format.js";
import { Getopt, type LongOption } from "./getopt.js";
import { conntrackOf, readOnlyMessage } from "./netfilter-state.js";
import { parseIpv4 } from "../core/ip.js";
import type { Conn } from "../netfilter/conntrack/conn.js";
import { PROTO_ICMP, PROTO_TCP, PROTO_UDP } from "../wire/packet.js";
import { ViewExit, runView } from "../views/common.js";

const PROG = "conntrack v1.4.7 (conntrack-tools)";
const TRY = "Try `conntrack -h' or 'conntrack --help' for more information.\n";

const OPTSTRING = ":L::I::U::D::G::E::F::hVs:d:r:q:p:t:u:e:a:z[:]:{:}:m:i:f:o:n::g::c:b:C::Sj::w:l:<:>::(:):";

const LONG: readonly LongOption[] = [
  { name: "dump", hasArg: 2, val: "L" },
  { name: "create", hasArg: 2, val: "I" },
  { name: "add", hasArg: 2, val: "A" },
  { name: "delete", hasArg: 2, val: "D" },
  { name: "update", hasArg: 2, val: "U" },
  { name: "get", hasArg: 2, val: "G" },
  { name: "flush", hasArg: 2, val: "F" },
  { name: "event", hasArg: 2, val: "E" },
  { name: "counter", hasArg: 2, val: "C" },
  { name: "stats", hasArg: 0, val: "S" },
  { name: "version", hasArg: 0, val: "V" },
  { name: "help", hasArg: 0, val: "h" },
  { name: "orig-src", hasArg: 1, val: "s" },
  { name: "src", hasArg: 1, val: "s" },
  { name: "orig-dst", hasArg: 1, val: "d" },
  { name: "dst", hasArg: 1, val: "d" },
  { name: "reply-src", hasArg: 1, val: "r" },
  { name: "reply-dst", hasArg: 1, val: "q" },
  { name: "protonum", hasArg: 1, val: "p" },
  { name: "timeout", hasArg: 1, val: "t" },
  { name: "status", hasArg: 1, val: "u" },
  { name: "zero", hasArg: 0, val: "z" },
  { name: "event-mask", hasArg: 1, val: "e" },
  { name: "tuple-src", hasArg: 1, val: "[" },
  { name: "tuple-dst", hasArg: 1, val: "]" },
  { name: "mask-src", hasArg: 1, val: "{" },
  { name: "mask-dst", hasArg: 1, val: "}" },
  { name: "nat-range", hasArg: 1, val: "a" },
  { name: "mark", hasArg: 1, val: "m" },
  { name: "secmark", hasArg: 1, val: "c" },
  { name: "id", hasArg: 2, val: "i" },
  { name: "family", hasArg: 1, val: "f" },
  { name: "src-nat", hasArg: 2, val: "n" },
  { name: "dst-nat", hasArg: 2, val: "g" },
  { name: "output", hasArg: 1, val: "o" },
  { name: "buffer-size", hasArg: 1, val: "b" },
  { name: "any-nat", hasArg: 2, val: "j" },
  { name: "zone", hasArg: 1, val: "w" },
  { name: "label", hasArg: 1, val: "l" },
  { name: "label-add", hasArg: 1, val: "<" },
  { name: "label-del", hasArg: 1, val: ">" },
  { name: "orig-zone", hasArg: 1, val: "(" },
  { name: "reply-zone", hasArg: 1, val: ")" },
];

/** The options `-p tcp` / `-p udp` add (proto/libct_proto_tcp.c, _udp.c); `--state` is TCP's only. */
const PORT_OPTIONS: readonly LongOption[] = [
  { name: "orig-port-src", hasArg: 1, val: "sport" },
  { name: "orig-port-dst", hasArg: 1, val: "dport" },
  { name: "reply-port-src", hasArg: 1, val: "rsport" },
  { name: "reply-port-dst", hasArg: 1, val: "rdport" },
  { name: "sport", hasArg: 1, val: "sport" },
  { name: "dport", hasArg: 1, val: "dport" },
];
const TCP_OPTIONS: readonly LongOption[] = [...PORT_OPTIONS, { name: "state", hasArg: 1, val: "state" }];

const TCP_STATES = ["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "LISTEN"];
const STATUS_BITS = ["EXPECTED", "ASSURED", "SEEN_REPLY", "FIXED_TIMEOUT", "UNSET"];
const PROTOCOLS: Readonly<Record<string, number>> = { tcp: PROTO_TCP, udp: PROTO_UDP, icmp: PROTO_ICMP };

const HELP = [
  "Command line interface for the connection tracking system. Version 1.4.7",
  "Usage: conntrack [commands] [options]",
  "",
  "Commands:",
  "  -L [table] [options]\t\tList conntrack or expectation table",
  "  -G [table] parameters\t\tGet conntrack or expectation",
  "  -D [table] parameters\t\tDelete conntrack or expectation",
  "  -I [table] parameters\t\tCreate a conntrack or expectation",
  "  -U [table] parameters\t\tUpdate a conntrack",
  "  -E [table] [options]\t\tShow events",
  "  -F [table]\t\t\tFlush table",
  "  -C [table]\t\t\tShow counter",
  "  -S\t\t\t\tShow statistics",
  "",
  "Tables: conntrack, expect, dying, unconfirmed",
  "",
  "Conntrack parameters and options:",
  "  -n, --src-nat ip\t\t\tsource NAT ip",
  "  -g, --dst-nat ip\t\t\tdestination NAT ip",
  "  -j, --any-nat ip\t\t\tsource or destination NAT ip",
  "  -m, --mark mark\t\t\tSet mark",
  "  -c, --secmark secmark\t\t\tSet selinux secmark",
  "  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY",
  "  -z, --zero \t\t\t\tZero counters while listing",
  "  -o, --output type[,...]\t\tOutput format, eg. xml",
  "  -l, --label label[,...]\t\tconntrack labels",
  "",
  "Expectation parameters and options:",
  "  --tuple-src ip\tSource address in expect tuple",
  "  --tuple-dst ip\tDestination address in expect tuple",
  "",
  "Updating parameters and options:",
  "  --label-add label\tAdd label",
  "  --label-del label\tDelete label",
  "",
  "Common parameters and options:",
  "  -s, --src, --orig-src ip\t\tSource address from original direction",
  "  -d, --dst, --orig-dst ip\t\tDestination address from original direction",
  "  -r, --reply-src ip\t\tSource addres from reply direction",
  "  -q, --reply-dst ip\t\tDestination address from reply direction",
  "  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'",
  "  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'",
  "  -t, --timeout timeout\t\tSet timeout",
  "  -u, --status status\t\tSet status, eg. ASSURED",
  "  -w, --zone value\t\tSet conntrack zone",
  "  --orig-zone value\t\tSet zone for original direction",
  "  --reply-zone value\t\tSet zone for reply direction",
  "  -b, --buffer-size\t\tNetlink socket buffer size",
  "  --mask-src ip\t\t\tSource mask address",
  "  --mask-dst ip\t\t\tDestination mask address",
  "",
  "",
].join("\n");

function problem(msg: string): ViewExit {
  return new ViewExit(2, `${PROG}: ${msg}\n${TRY}`);
}

function notSimulated(what: string): ViewExit {
  return new ViewExit(1, `conntrack: podpath: ${what} is not simulated\n`);
}

/** A test on one connection; all given tests must hold. */
type Filter = (c: Conn) => boolean;

interface Listing {
  readonly command: "L" | "C";
  readonly table: string;
  readonly filters: readonly Filter[];
  readonly extended: boolean;
  readonly id: boolean;
}

function address(text: string, test: (c: Conn, a: number) => boolean): Filter {
  const a = parseIpv4(text);
  if (a === undefined) throw problem(`Invalid IP address \`${text}'`);
  return (c) => test(c, a);
}

function port(text: string, test: (c: Conn, p: number) => boolean): Filter {
  const p = Number(text);
  // conntrack reads ports with strtoul and keeps the low 16 bits; a word is port 0.
  const n = /^\d+$/.test(text) ? p & 0xffff : 0;
  return (c) => test(c, n);
}

function parse(argv: readonly string[], io: AppIo): Listing | "done" {
  const g = new Getopt(argv, OPTSTRING, LONG);
  let command: "L" | "C" | undefined;
  let table = "conntrack";
  let protoOptions: readonly LongOption[] = [];
  let extended = false;
  let id = false;
  const filters: Filter[] = [];
  const setCommand = (c: "L" | "C", arg: string | undefined): void => {
    if (command !== undefined) throw problem("Invalid commands combination");
    command = c;
    const t = arg ?? g.peekValue();
    if (t === undefined) return;
    if (arg === undefined) g.take();
    if (!["conntrack", "expect", "expectation", "dying", "unconfirmed"].includes(t)) throw problem(`unknown type \`${t}'`);
    table = t;
  };
  for (let e = g.next(); e !== undefined; e = g.next()) {
    if (e.kind === "nonoption") continue; // conntrack ignores stray words
    if (e.kind === "missing-argument") throw problem(`option \`${e.word}' requires an argument`);
    if (e.kind === "unexpected-argument") throw problem(`unknown option \`${e.word}'`);
    if (e.kind === "unknown") {
      const name = e.long ? e.word.slice(2).split("=")[0] ?? "" : "";
      const opt = protoOptions.find((o) => o.name === name);
      if (opt === undefined) throw problem(`unknown option \`${e.word}'`);
      const eq = e.word.indexOf("=");
      const value = eq >= 0 ? e.word.slice(eq + 1) : g.take();
      if (value === undefined) throw problem(`option \`${e.word}' requires an argument`);
      filters.push(protoFilter(opt.val, value));
      continue;
    }
    const arg = e.arg;
    switch (e.val) {
      case "L":
      case "C":
        setCommand(e.val, arg);
        break;
      case "D":
      case "F":
      case "I":
      case "U":
      case "A":
        throw new ViewExit(1, readOnlyMessage("conntrack", `conntrack -${e.val}`, io.ns));
      case "E":
        throw notSimulated("conntrack -E (it waits for events)");
      case "G":
        throw notSimulated("conntrack -G");
      case "S":
        throw notSimulated("conntrack -S (per-CPU statistics)");
      case "V":
        io.out(`${PROG}\n`);
        return "done";
      case "h":
        io.out(HELP);
        return "done";
      case "s":
        filters.push(address(arg ?? "", (c, a) => c.orig.src === a));
        break;
      case "d":
        filters.push(address(arg ?? "", (c, a) => c.orig.dst === a));
        break;
      case "r":
        filters.push(address(arg ?? "", (c, a) => c.reply.src === a));
        break;
      case "q":
        filters.push(address(arg ?? "", (c, a) => c.reply.dst === a));
        break;
      case "p": {
        const text = arg ?? "";
        const num = /^\d+$/.test(text) ? Number(text) : PROTOCOLS[text.toLowerCase()];
        if (num === undefined || num > 255) throw problem(`\`${text}' unsupported protocol`);
        protoOptions = num === PROTO_TCP ? TCP_OPTIONS : num === PROTO_UDP ? PORT_OPTIONS : [];
        filters.push((c) => c.orig.proto === num);
        break;
      }
      case "u": {
        const bits = (arg ?? "").split(",");
        for (const b of bits) if (!STATUS_BITS.includes(b)) throw problem(`Bad parameter \`${b}'`);
        filters.push((c) => bits.every((b) => (b === "ASSURED" ? c.status.assured : b === "SEEN_REPLY" ? c.status.seenReply : false)));
        break;
      }
      case "m": {
        const [v, m] = (arg ?? "").split("/");
        const value = Number(v) >>> 0;
        const mask = m === undefined ? 0xffffffff : Number(m) >>> 0;
        filters.push((c) => ((c.mark & mask) >>> 0) === ((value & mask) >>> 0));
        break;
      }
      case "o":
        for (const w of (arg ?? "").split(",")) {
          if (w === "extended") extended = true;
          else if (w === "id") id = true;
          else if (w === "xml" || w === "timestamp" || w === "ktimestamp" || w === "userspace" || w === "labels") throw notSimulated(`conntrack -o ${w}`);
          else throw problem(`Bad parameter \`${w}'`);
        }
        break;
      case "f":
        if (arg === "ipv6") filters.push(() => false);
        else if (arg !== "ipv4") throw problem(`Unknown layer 3 protocol \`${arg ?? ""}'`);
        break;
      case "n":
      case "g":
      case "j":
        throw notSimulated(`the NAT filter -${e.val}`);
      case "z":
      case "b":
        break;
      default:
        throw notSimulated(`option ${e.word}`);
    }
  }
  if (command === undefined) {
    io.out(HELP);
    return "done";
  }
  return { command, table, filters, extended, id };
}

function protoFilter(which: string, value: string): Filter {
  switch (which) {
    case "sport":
      return port(value, (c, p) => c.orig.sport === p);
    case "dport":
      return port(value, (c, p) => c.orig.dport === p);
    case "rsport":
      return port(value, (c, p) => c.reply.sport === p);
    case "rdport":
      return port(value, (c, p) => c.reply.dport === p);
    default: {
      const s = value.toUpperCase();
      if (!TCP_STATES.includes(s)) throw problem(`unknown TCP state \`${value}'`);
      return (c) => c.tcpState !== undefined && tcpStateName(c.tcpState) === s;
    }
  }
}

export const conntrackApp: App = (argv, io) =>
  runView(io, () => {
    const p = parse(argv, io);
    if (p === "done") return 0;
    const now = io.world.now;
    const expect = p.table === "expect" || p.table === "expectation";
    const all = expect || p.table !== "conntrack" ? [] : (conntrackOf(io.ns)?.entries(now) ?? []);
    if (p.command === "C") {
      io.out(`${all.length}\n`);
      return 0;
    }
    const shown = all.filter((c) => p.filters.every((f) => f(c)));
    for (const c of shown) io.out(formatConn(c, now, { extended: p.extended, id: p.id }));
    io.err(`${PROG}: ${shown.length} ${expect ? "expectations" : "flow entries"} have been shown.\n`);
    return 0;
  });
