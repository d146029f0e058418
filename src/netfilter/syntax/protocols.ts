/**
 * IP protocol names and numbers for `-p`, `--ctproto` and the `prot` column, as iptables 1.8.9
 * resolves them: xtables_parse_protocol() lower-cases the text, takes a number 0..255, `all`,
 * then getprotobyname() over /etc/protocols (the table below is Debian 12 netbase's file,
 * names and aliases), then its own xtables_chain_protos list; printing uses getprotobynumber()
 * — the first name of the number's line.
 */

/** [number, official name, ...aliases] from /etc/protocols. */
const PROTOCOLS: readonly (readonly [number, ...string[]])[] = [
  [0, "ip", "IP"],
  [0, "hopopt", "HOPOPT"],
  [1, "icmp", "ICMP"],
  [2, "igmp", "IGMP"],
  [3, "ggp", "GGP"],
  [4, "ipencap", "IP-ENCAP"],
  [5, "st", "ST"],
  [6, "tcp", "TCP"],
  [8, "egp", "EGP"],
  [9, "igp", "IGP"],
  [12, "pup", "PUP"],
  [17, "udp", "UDP"],
  [20, "hmp", "HMP"],
  [22, "xns-idp", "XNS-IDP"],
  [27, "rdp", "RDP"],
  [29, "iso-tp4", "ISO-TP4"],
  [33, "dccp", "DCCP"],
  [36, "xtp", "XTP"],
  [37, "ddp", "DDP"],
  [38, "idpr-cmtp", "IDPR-CMTP"],
  [41, "ipv6", "IPv6"],
  [43, "ipv6-route", "IPv6-Route"],
  [44, "ipv6-frag", "IPv6-Frag"],
  [45, "idrp", "IDRP"],
  [46, "rsvp", "RSVP"],
  [47, "gre", "GRE"],
  [50, "esp", "IPSEC-ESP"],
  [51, "ah", "IPSEC-AH"],
  [57, "skip", "SKIP"],
  [58, "ipv6-icmp", "IPv6-ICMP"],
  [59, "ipv6-nonxt", "IPv6-NoNxt"],
  [60, "ipv6-opts", "IPv6-Opts"],
  [73, "rspf", "RSPF", "CPHB"],
  [81, "vmtp", "VMTP"],
  [88, "eigrp", "EIGRP"],
  [89, "ospf", "OSPFIGP"],
  [93, "ax.25", "AX.25"],
  [94, "ipip", "IPIP"],
  [97, "etherip", "ETHERIP"],
  [98, "encap", "ENCAP"],
  [103, "pim", "PIM"],
  [108, "ipcomp", "IPCOMP"],
  [112, "vrrp", "VRRP"],
  [115, "l2tp", "L2TP"],
  [124, "isis", "ISIS"],
  [132, "sctp", "SCTP"],
  [133, "fc", "FC"],
  [135, "mobility-header", "Mobility-Header"],
  [136, "udplite", "UDPLite"],
  [137, "mpls-in-ip", "MPLS-in-IP"],
  [138, "manet"],
  [139, "hip", "HIP"],
  [140, "shim6", "Shim6"],
  [141, "wesp", "WESP"],
  [142, "rohc", "ROHC"],
  [143, "ethernet", "Ethernet"],
  [262, "mptcp", "MPTCP"],
];

/** xtables_chain_protos: names iptables knows even without /etc/protocols. */
const CHAIN_PROTOS: ReadonlyMap<string, number> = new Map([
  ["tcp", 6], ["sctp", 132], ["udp", 17], ["udplite", 136], ["icmp", 1], ["ipv6-icmp", 58], ["icmpv6", 58],
  ["esp", 50], ["ah", 51], ["ipv6-mh", 135], ["mh", 135], ["all", 0],
]);

const BY_NAME = new Map<string, number>();
const BY_NUMBER = new Map<number, string>();
for (const [num, ...names] of PROTOCOLS) {
  for (const n of names) if (!BY_NAME.has(n)) BY_NAME.set(n, num);
  const first = names[0];
  if (first !== undefined && !BY_NUMBER.has(num)) BY_NUMBER.set(num, first);
}

/** xtables_parse_protocol() after lower-casing: the number, or undefined for an unknown name. */
export function parseProtocol(text: string): number | undefined {
  const s = text.toLowerCase();
  if (/^\d+$/.test(s) || /^0[xX][0-9a-fA-F]+$/.test(s)) {
    const n = s.startsWith("0x") ? parseInt(s.slice(2), 16) : s.length > 1 && s.startsWith("0") ? parseInt(s, 8) : Number(s);
    return Number.isInteger(n) && n >= 0 && n <= 255 ? n : undefined;
  }
  if (s === "all") return 0;
  return BY_NAME.get(s) ?? CHAIN_PROTOS.get(s);
}

/** getprotobynumber()'s name, as `-p` is saved; undefined means the number is printed. */
export function protocolName(proto: number): string | undefined {
  return BY_NUMBER.get(proto);
}

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_DCCP = 33;
export const IPPROTO_SCTP = 132;
export const IPPROTO_UDPLITE = 136;
