/**
 * Service names for ports, the part of netbase's /etc/services (Debian 12) that
 * getservbyname() answers in iptables' xtables_parse_port(). Only the common, well-known
 * entries are carried (names and aliases with their protocols); a name not listed here is
 * reported as an unknown service, where the real tool would look further in the file. Saved
 * rulesets never contain names — the kernel keeps numbers — so this only matters for
 * hand-written input.
 */

/** name → [port, protocols it is registered for]. */
const SERVICES: ReadonlyMap<string, readonly [number, "tcp" | "udp" | "both"]> = new Map([
  ["echo", [7, "both"]], ["discard", [9, "both"]], ["daytime", [13, "both"]],
  ["ftp-data", [20, "tcp"]], ["ftp", [21, "tcp"]], ["ssh", [22, "tcp"]], ["telnet", [23, "tcp"]],
  ["smtp", [25, "tcp"]], ["mail", [25, "tcp"]], ["time", [37, "both"]], ["whois", [43, "tcp"]],
  ["domain", [53, "both"]], ["bootps", [67, "udp"]], ["bootpc", [68, "udp"]], ["tftp", [69, "udp"]],
  ["finger", [79, "tcp"]], ["http", [80, "tcp"]], ["www", [80, "tcp"]], ["kerberos", [88, "both"]],
  ["pop3", [110, "tcp"]], ["sunrpc", [111, "both"]], ["portmapper", [111, "both"]], ["auth", [113, "tcp"]],
  ["nntp", [119, "tcp"]], ["ntp", [123, "udp"]], ["netbios-ns", [137, "udp"]], ["netbios-dgm", [138, "udp"]],
  ["netbios-ssn", [139, "tcp"]], ["imap2", [143, "tcp"]], ["imap", [143, "tcp"]], ["snmp", [161, "both"]],
  ["snmp-trap", [162, "both"]], ["bgp", [179, "tcp"]], ["ldap", [389, "both"]], ["https", [443, "both"]],
  ["microsoft-ds", [445, "tcp"]], ["syslog", [514, "udp"]], ["submission", [587, "tcp"]],
  ["ldaps", [636, "both"]], ["rsync", [873, "tcp"]], ["imaps", [993, "tcp"]], ["pop3s", [995, "tcp"]],
  ["openvpn", [1194, "both"]], ["mysql", [3306, "tcp"]], ["postgresql", [5432, "tcp"]],
  ["domain-s", [853, "both"]], ["http-alt", [8080, "tcp"]], ["webcache", [8080, "tcp"]],
]);

/** getservbyname(name, proto): `proto` undefined accepts any registration. */
export function serviceByName(name: string, proto: string | undefined): number | undefined {
  const entry = SERVICES.get(name);
  if (entry === undefined) return undefined;
  const [port, protos] = entry;
  if (proto === undefined || protos === "both" || protos === proto) return port;
  return undefined;
}
