/**
 * `nslookup HOST [SERVER]` as BIND 9.18 (Debian 12's bind9-dnsutils) prints it, non-interactive
 * only (bin/dig/nslookup.c on top of dighost.c: apps/dighost.ts), compared with the real tool by
 * test/kernel/dns-tools.test.ts. The search list is on, a SERVFAIL goes on to the next server,
 * and so does a reply without RA (check_ra) unless the server was named on the command line —
 * CoreDNS never sets RA, so every reply from it prints ";; Got recursion not available from
 * SERVER" (with ", trying next server" while servers remain), as it arrives. For the default A
 * lookup:
 *
 *   Server:\t\t<server as given>
 *   Address:\t<address>#53
 *   (blank)
 *   Name:\t<owner>            one pair per A record, after "Non-authoritative answer:" unless aa
 *   Address: <address>
 *
 * then an AAAA lookup of the name found (whose empty answer prints nothing), and at the very end
 * one blank line, whatever happened. A failed lookup prints "** server can't find NAME: RCODE"
 * (NAME being the last name tried); an empty answer to an explicit type "*** Can't find TEXT:
 * No answer" (TEXT as typed). When no server answers, each try prints ";; communications error
 * to ADDR#53: timed out" and the end ";; no servers could be reached" (dighost's
 * default_warnerr, on stdout); a failed TCP connect prints its own two lines per try.
 * Exit status: 1 when a lookup failed or no server could be reached, else 0. Options:
 * -type=/-query= (A, AAAA, SOA; other types print their data as raw), -timeout=, -retry=,
 * -port=, -vc (TCP), -[no]search. Not modelled: interactive mode, reverse lookups of addresses.
 */
import { formatIpv4, parseIpv4 } from "../core/ip.js";
import type { App } from "./app.js";
import type { DnsMessage, DnsRecord } from "../wire/dns.js";
import { DNS_TYPE, dnsQuery, rcodeName, typeFromName } from "../wire/dns.js";
import { dnsQueryId } from "../sock/dns-client.js";
import { bindSettings, runLookup } from "./dighost.js";
import type { BindSettings } from "./dighost.js";

export const nslookupApp: App = (argv, io) => {
  const { ns } = io;
  let type: number = DNS_TYPE.A;
  let typeGiven = false;
  const over: { -readonly [K in keyof BindSettings]?: BindSettings[K] } = { useSearch: true, servfailStops: false, checkRa: true };
  const positional: string[] = [];
  for (const arg of argv.slice(1)) {
    const m = /^-(\w+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      positional.push(arg);
      continue;
    }
    const [, opt, value] = m as unknown as [string, string, string | undefined];
    const n = value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
    if ((opt === "type" || opt === "query" || opt === "q" || opt === "t") && value !== undefined && typeFromName(value) !== undefined) {
      type = typeFromName(value)!;
      typeGiven = true;
    } else if (opt === "timeout" && n !== undefined && n > 0) over.timeoutS = n;
    else if (opt === "retry" && n !== undefined && n > 0) over.tries = n;
    else if (opt === "port" && n !== undefined && n < 65536) over.port = n;
    else if (opt === "vc") over.tcp = true;
    else if (opt === "novc") over.tcp = false;
    else if (opt === "search") over.useSearch = true;
    else if (opt === "nosearch") over.useSearch = false;
    else io.out(`*** Invalid option: ${arg.slice(1)}\n`);
  }
  const [host, serverArg] = positional;
  if (host === undefined) {
    io.err("nslookup: interactive mode is not modelled; give a host name\n");
    io.exit(1);
    return;
  }
  if (serverArg !== undefined) {
    const addr = parseIpv4(serverArg);
    if (addr === undefined) {
      io.err(`nslookup: couldn't get address for '${serverArg}': not found\n`);
      io.exit(1);
      return;
    }
    over.servers = [{ addr, userarg: serverArg }];
    // set_nameserver() clears check_ra: a server named on the command line may not recurse.
    over.checkRa = false;
  }
  if (/\.\./.test(host) || host.startsWith(".")) {
    io.err(`nslookup: '${host}' is not a legal name (empty label)\n`);
    io.exit(1);
    return;
  }
  const settings = bindSettings(ns, over);
  // query_error: no server reached yet; print_error: a lookup failed.
  let queryError = 1;
  let printError = 0;
  let aNoAnswer = false;
  const warn = (line: string) => io.out(`;; ${line}\n`);
  const query = (t: number) => (name: string) => dnsQuery(dnsQueryId(ns), name, t);
  const finish = () => {
    io.out("\n");
    io.exit(queryError | printError);
  };

  const printMessage = (msg: DnsMessage, name: string, text: string, t: number, server: { addr: number; userarg: string }): void => {
    queryError = 0;
    if (typeGiven || t === DNS_TYPE.A) io.out(`Server:\t\t${server.userarg}\nAddress:\t${formatIpv4(server.addr)}#${settings.port}\n\n`);
    if (msg.rcode !== 0) {
      io.out(`** server can't find ${name}: ${rcodeName(msg.rcode)}\n`);
      printError = 1;
      return;
    }
    if (!msg.flags.aa && (typeGiven || t === DNS_TYPE.A)) io.out("Non-authoritative answer:\n");
    if (msg.answers.length > 0) for (const r of msg.answers) io.out(recordText(r));
    else if (!typeGiven && t === DNS_TYPE.A) aNoAnswer = true;
    else if (typeGiven || aNoAnswer) io.out(`*** Can't find ${text}: No answer\n`);
  };

  runLookup(ns, settings, host, query(type), warn, (end) => {
    if (end.kind === "no-servers") {
      if (!end.reported) io.out(";; no servers could be reached\n");
      finish();
      return;
    }
    printMessage(end.msg, end.name, host, type, end.server);
    if (typeGiven || end.msg.rcode !== 0) {
      finish();
      return;
    }
    // The default lookup asks for AAAA too, for the name the A lookup settled on.
    runLookup(ns, { ...settings, useSearch: false }, `${end.name}.`, query(DNS_TYPE.AAAA), warn, (aaaa) => {
      if (aaaa.kind === "no-servers") {
        if (!aaaa.reported) io.out(";; no servers could be reached\n");
      } else printMessage(aaaa.msg, aaaa.name, end.name, DNS_TYPE.AAAA, aaaa.server);
      finish();
    });
  });
};

/** printsection(): A as Name/Address, SOA spelled out, anything else as its raw data. */
function recordText(r: DnsRecord): string {
  const d = r.data;
  if (d.kind === "a") return `Name:\t${r.name}\nAddress: ${formatIpv4(d.addr)}\n`;
  if (d.kind === "soa") return `${r.name}\n\torigin = ${d.mname}\n\tmail addr = ${d.rname}\n\tserial = ${d.serial}\n\trefresh = ${d.refresh}\n\tretry = ${d.retry}\n\texpire = ${d.expire}\n\tminimum = ${d.minimum}\n`;
  return `${r.name}\trdata_${r.type} = \\# ${d.octets.length}\n`;
}
