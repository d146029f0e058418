/**
 * `dig [@server] [name] [type] [+opts]` as BIND 9.18 prints it (bin/dig/dig.c over dighost.c:
 * apps/dighost.ts), version string that of Debian 12's bind9-dnsutils, against which
 * test/kernel/dns-tools.test.ts compares it. The query asks for recursion and sets AD, with
 * EDNS0 (UDP size 1232) and an 8-octet client COOKIE, as dig's defaults do; the search list is
 * used only with +search. The answer is printed as dig does:
 *
 *   (blank) / "; <<>> DiG VERSION <<>> ARGS" / "; (1 server found)" when the server was given as
 *   @ADDR / ";; global options: +cmd" — this banner waits
 *   until there is something to print after it (the answer, or "no servers could be reached"),
 *   so the ";; communications error …" lines of failed tries come before it, and it is never
 *   printed when a TCP connect failed (that failure prints its own lines) or with +short;
 *   ";; Got answer:", then for a question under `local.` the two-line mDNS warning;
 *   ";; ->>HEADER<<- opcode: QUERY, status: S, id: N" and the flags/counts line, the recursion
 *   warning when RD was asked and RA not given, the OPT pseudosection, the non-empty sections
 *   with records laid out in dig's columns (masterdump.c indent(): ttl 24, class 32, type 40,
 *   rdata 48, tabs of 8; the question's ";" is written before the name and not counted), then
 *   Query time, SERVER (with "(UDP)"/"(TCP)"), WHEN and MSG SIZE (the reply's real wire size)
 *   and a blank line. When no server answered: ";; no servers could be reached", no blank line.
 *
 * WHEN needs a wall clock: virtual time 0 is 2024-01-01 00:00:00 UTC (VIRTUAL_EPOCH_S) and the
 * host runs in UTC. The query id and cookie come from the world's seeded stream. Exit status 0
 * when an answer came (NXDOMAIN included), 9 when no server could be reached, 1 for a bad
 * option, 10 for a bad name or server. Options: +short, +[no]search, +[no]tcp/+[no]vc,
 * +tries=N, +retry=N, +time=N, +[no]cookie, +[no]edns, -p PORT, -t TYPE. Not modelled: other +
 * options, -x, batch files, several queries on one line, IDN, TC → TCP retry.
 */
import { formatIpv4, parseIpv4 } from "../core/ip.js";
import type { App } from "./app.js";
import type { DnsMessage, DnsRecord } from "../wire/dns.js";
import { DNS_TYPE, EDNS_COOKIE, dnsQuery, hex, rcodeName, typeFromName, typeName } from "../wire/dns.js";
import { dnsQueryId, randomOctets } from "../sock/dns-client.js";
import { VIRTUAL_EPOCH_S } from "../sock/dns-server.js";
import { bindSettings, runLookup } from "./dighost.js";
import type { BindSettings } from "./dighost.js";

export const DIG_VERSION = "9.18.49-1~deb12u3-Debian";

const USAGE =
  "Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n" +
  "            {global-d-opt} host [@local-server] {local-d-opt}\n" +
  "            [ host [@local-server] {local-d-opt} [...]]\n\n" +
  'Use "dig -h" (or "dig -h | more") for complete list of options\n';

export const digApp: App = (argv, io) => {
  const { ns, world } = io;
  const over: { -readonly [K in keyof BindSettings]?: BindSettings[K] } = {};
  let name: string | undefined;
  let type: number | undefined;
  let short = false;
  let cookie = true;
  let edns = true;
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith("@")) {
      const addr = parseIpv4(a.slice(1));
      if (addr === undefined) {
        io.err(`dig: couldn't get address for '${a.slice(1)}': not found\n`);
        io.exit(10);
        return;
      }
      over.servers = [{ addr, userarg: a.slice(1) }];
    } else if (a.startsWith("+")) {
      const m = /^\+(no)?([a-z]+)(?:=(\d+))?$/.exec(a);
      const no = m?.[1] !== undefined;
      const opt = m?.[2] ?? "";
      const n = m?.[3] !== undefined ? Number(m[3]) : undefined;
      if (opt === "short") short = !no;
      else if (opt === "search") over.useSearch = !no;
      else if (opt === "tcp" || opt === "vc") over.tcp = !no;
      else if (opt === "cookie") cookie = !no;
      else if (opt === "edns") edns = !no;
      else if (opt === "tries" && n !== undefined && !no) over.tries = Math.max(1, n);
      else if (opt === "retry" && n !== undefined && !no) over.tries = n + 1;
      else if (opt === "time" && n !== undefined && !no) over.timeoutS = Math.max(1, n);
      else {
        io.err(`Invalid option: ${a}\n${USAGE}`);
        io.exit(1);
        return;
      }
    } else if (a === "-p" || a === "-t") {
      const v = args[++i];
      const t = a === "-t" && v !== undefined ? typeFromName(v) : undefined;
      const port = a === "-p" && v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
      if (t !== undefined) type = t;
      else if (port !== undefined && port < 65536) over.port = port;
      else {
        io.err(`dig: invalid ${a === "-p" ? "port" : "type"}: ${v ?? ""}\n`);
        io.exit(1);
        return;
      }
    } else if (a === "-4") continue;
    else if (type === undefined && typeFromName(a) !== undefined && name !== undefined) type = typeFromName(a);
    else if (name === undefined) name = a;
    else {
      io.err(`Invalid option: ${a}\n${USAGE}`);
      io.exit(1);
      return;
    }
  }
  // No name: dig asks for the root's NS records.
  const text = name ?? ".";
  const qtype = type ?? (name === undefined ? DNS_TYPE.NS : DNS_TYPE.A);
  if (/\.\./.test(text) || (text.startsWith(".") && text !== ".")) {
    io.err(`dig: '${text}' is not a legal name (empty label)\n`);
    io.exit(10);
    return;
  }
  const settings = bindSettings(ns, over);
  const clientCookie = randomOctets(ns, 8);
  // dig keeps the command line (lookup->cmdline) and prints it just before the first output.
  // A server given as @ARG adds how many addresses it came to (always one: only addresses are taken).
  const found = over.servers !== undefined ? "; (1 server found)\n" : "";
  let banner = short ? "" : `\n; <<>> DiG ${DIG_VERSION} <<>> ${args.join(" ")}\n${found};; global options: +cmd\n`;
  const withBanner = (text: string): void => {
    io.out(banner + text);
    banner = "";
  };
  const query = (qname: string): DnsMessage =>
    dnsQuery(dnsQueryId(ns), qname, qtype, { ad: true, ...(edns ? { edns: { udpSize: 1232, version: 0, do: false, options: cookie ? [{ code: EDNS_COOKIE, data: clientCookie }] : [] } } : {}) });
  runLookup(ns, settings, text, query, (line) => io.out(`;; ${line}\n`), (end) => {
    if (end.kind === "no-servers") {
      if (!end.reported) withBanner(";; no servers could be reached\n");
      io.exit(9);
      return;
    }
    const msg = end.msg;
    if (short) {
      for (const r of msg.answers) io.out(`${rdataText(r)}\n`);
      io.exit(0);
      return;
    }
    let out = ";; Got answer:\n";
    if (msg.questions.some((q) => /(^|\.)local$/i.test(q.name))) {
      out += ";; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n";
    }
    out += `;; ->>HEADER<<- opcode: ${msg.opcode === 0 ? "QUERY" : `RESERVED${msg.opcode}`}, status: ${rcodeName(msg.rcode)}, id: ${msg.id}\n`;
    const f = msg.flags;
    const flags = (["qr", "aa", "tc", "rd", "ra", "ad", "cd"] as const).filter((k) => f[k]).map((k) => ` ${k}`).join("");
    out += `;; flags:${flags}; QUERY: ${msg.questions.length}, ANSWER: ${msg.answers.length}, AUTHORITY: ${msg.authority.length}, ADDITIONAL: ${msg.additional.length + (msg.edns ? 1 : 0)}\n`;
    if (f.rd && !f.ra) out += ";; WARNING: recursion requested but not available\n";
    out += "\n";
    if (msg.edns) {
      out += `;; OPT PSEUDOSECTION:\n; EDNS: version: ${msg.edns.version}, flags:${msg.edns.do ? " do" : ""}; udp: ${msg.edns.udpSize}\n`;
      for (const o of msg.edns.options) {
        if (o.code === EDNS_COOKIE) out += `; COOKIE: ${hex(o.data)}${o.data === clientCookie ? " (echoed)" : o.data.startsWith(clientCookie) ? " (good)" : ""}\n`;
      }
    }
    out += ";; QUESTION SECTION:\n";
    for (const q of msg.questions) out += `;${columns(fqdn(q.name), [[32, "IN"], [40, typeName(q.type)]])}\n`;
    out += "\n";
    for (const [title, recs] of [["ANSWER", msg.answers], ["AUTHORITY", msg.authority], ["ADDITIONAL", msg.additional]] as const) {
      if (recs.length === 0) continue;
      out += `;; ${title} SECTION:\n${recs.map((r) => `${recordLine(r)}\n`).join("")}\n`;
    }
    out += `;; Query time: ${Math.floor(end.elapsedMs)} msec\n`;
    out += `;; SERVER: ${formatIpv4(end.server.addr)}#${settings.port}(${end.server.userarg}) (${settings.tcp ? "TCP" : "UDP"})\n`;
    out += `;; WHEN: ${whenText(VIRTUAL_EPOCH_S * 1000 + world.now)}\n`;
    out += `;; MSG SIZE  rcvd: ${end.octets.length}\n\n`;
    withBanner(out);
    io.exit(0);
  });
};

const fqdn = (n: string): string => `${n}.`.replace(/^\.$/, ".");

/**
 * masterdump.c indent(): from column `from` to column `to` with tabs of 8 — tabs when a tab
 * stop is crossed, else spaces; always at least one character.
 */
function indent(from: number, to: number): { readonly text: string; readonly at: number } {
  const target = Math.max(to, from + 1);
  const tabs = Math.floor(target / 8) - Math.floor(from / 8);
  return tabs > 0 ? { text: "\t".repeat(tabs) + " ".repeat(target % 8), at: target } : { text: " ".repeat(target - from), at: target };
}

/** `first`, then each field placed at its column. */
function columns(first: string, fields: readonly (readonly [number, string])[]): string {
  let out = first;
  let col = first.length;
  for (const [to, text] of fields) {
    const ind = indent(col, to);
    out += ind.text + text;
    col = ind.at + text.length;
  }
  return out;
}

function recordLine(r: DnsRecord): string {
  return columns(fqdn(r.name), [[24, String(r.ttl)], [32, r.class === 1 ? "IN" : `CLASS${r.class}`], [40, typeName(r.type)], [48, rdataText(r)]]);
}

function rdataText(r: DnsRecord): string {
  const d = r.data;
  if (d.kind === "a") return formatIpv4(d.addr);
  if (d.kind === "soa") return `${fqdn(d.mname)} ${fqdn(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
  // RFC 3597 generic form for data podpath does not read.
  return `\\# ${d.octets.length}${d.octets.length > 0 ? ` ${hex(d.octets).toUpperCase()}` : ""}`;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** strftime("%a %b %d %H:%M:%S %Z %Y") in UTC. */
export function whenText(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
