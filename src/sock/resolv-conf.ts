/**
 * The resolver's configuration files as a host's tools read them from the namespace's files:
 * `/etc/resolv.conf` (resolv.conf(5): `nameserver` up to MAXNS = 3, the last `search`/`domain`
 * line wins, `options ndots:N timeout:T attempts:A`, `#`/`;` comments) and `/etc/hosts`
 * (address, canonical name, aliases). Both glibc (resolv/res_init.c) and BIND's tools
 * (lib/irs/resconf.c) read resolv.conf this way; each applies its own defaults and caps to what
 * is written, so absent options stay undefined here. Unreadable lines are skipped, as both do.
 */
import type { Ipv4 } from "../core/ip.js";
import { parseIpv4 } from "../core/ip.js";
import type { Netns } from "../netns/netns.js";

export interface ResolvConf {
  /** Whether /etc/resolv.conf exists at all. */
  readonly present: boolean;
  readonly nameservers: readonly Ipv4[];
  /** Search domains, without trailing dots. */
  readonly search: readonly string[];
  readonly ndots?: number;
  /** Seconds. */
  readonly timeout?: number;
  readonly attempts?: number;
}

export const MAXNS = 3;

export function parseResolvConf(text: string | undefined): ResolvConf {
  if (text === undefined) return { present: false, nameservers: [], search: [] };
  const nameservers: Ipv4[] = [];
  let search: string[] = [];
  const opts: { ndots?: number; timeout?: number; attempts?: number } = {};
  for (const raw of text.split("\n")) {
    const words = raw.trim().split(/\s+/);
    const key = words[0] ?? "";
    if (key === "" || key.startsWith("#") || key.startsWith(";")) continue;
    if (key === "nameserver") {
      const a = parseIpv4(words[1] ?? "");
      if (a !== undefined && nameservers.length < MAXNS) nameservers.push(a);
    } else if (key === "search" || key === "domain") {
      const list = words.slice(1).filter((w) => !w.startsWith("#") && !w.startsWith(";"));
      search = (key === "domain" ? list.slice(0, 1) : list).map((d) => d.replace(/\.$/, "")).filter((d) => d !== "");
    } else if (key === "options") {
      for (const o of words.slice(1)) {
        const m = /^(ndots|timeout|attempts):(\d+)$/.exec(o);
        if (m) opts[m[1] as "ndots" | "timeout" | "attempts"] = Number(m[2]);
      }
    }
  }
  return { present: true, nameservers, search, ...opts };
}

export function readResolvConf(ns: Netns): ResolvConf {
  return parseResolvConf(ns.files.get("/etc/resolv.conf"));
}

export interface HostsEntry {
  readonly addr: Ipv4;
  /** The line's first name, which getaddrinfo reports as the canonical name. */
  readonly canonical: string;
}

/** The IPv4 lines of /etc/hosts naming `name` (case-insensitively), in file order. */
export function lookupHosts(ns: Netns, name: string): HostsEntry[] {
  const text = ns.files.get("/etc/hosts");
  if (text === undefined) return [];
  const want = name.toLowerCase().replace(/\.$/, "");
  const out: HostsEntry[] = [];
  for (const raw of text.split("\n")) {
    const words = (raw.split("#")[0] ?? "").trim().split(/\s+/);
    const addr = parseIpv4(words[0] ?? "");
    const names = words.slice(1);
    if (addr !== undefined && names.some((n) => n.toLowerCase() === want)) out.push({ addr, canonical: names[0]! });
  }
  return out;
}
