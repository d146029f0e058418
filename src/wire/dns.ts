/**
 * DNS messages (RFC 1035 §4, EDNS0 of RFC 6891, the COOKIE option of RFC 7873) as typed values,
 * and their wire form. A message crosses the simulated network as the payload string of a UDP
 * datagram or TCP segment holding its real octets, one char per octet (Node's "latin1"), so
 * every length the packet path computes — the UDP length, MTU checks, dig's "MSG SIZE rcvd" — is
 * the real one. Over TCP the message is preceded by its two-octet length (RFC 1035 §4.2.2).
 *
 * Owns encoding (names written out in full, as miekg/dns packs CoreDNS's small replies: it only
 * compresses when asked to or near the UDP size limit) and decoding (compression pointers
 * followed, with a bound, as any resolver must). Malformed input decodes to undefined — bad
 * bytes from the network are data, never an exception.
 */
import type { Ipv4 } from "../core/ip.js";

export const DNS_TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;
export const DNS_CLASS_IN = 1;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** EDNS option code of a DNS COOKIE (RFC 7873). */
export const EDNS_COOKIE = 10;

const TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(DNS_TYPE).map(([k, v]) => [v, k]));
const RCODE_NAMES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"];

/** The mnemonic BIND prints for a type (`TYPE65` for unknown ones, RFC 3597). */
export function typeName(t: number): string {
  return TYPE_NAMES[t] ?? `TYPE${t}`;
}

/** A type mnemonic or `TYPEnn` back to its number; undefined when it is neither. */
export function typeFromName(s: string): number | undefined {
  const u = s.toUpperCase();
  if (Object.hasOwn(DNS_TYPE, u)) return DNS_TYPE[u as keyof typeof DNS_TYPE];
  const m = /^TYPE(\d{1,5})$/.exec(u);
  return m && Number(m[1]) <= 65535 ? Number(m[1]) : undefined;
}

export function rcodeName(r: number): string {
  return RCODE_NAMES[r] ?? `RESERVED${r}`;
}

export interface DnsQuestion {
  /** Without the trailing dot; "" is the root. */
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

export interface SoaData {
  readonly kind: "soa";
  readonly mname: string;
  readonly rname: string;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}

/** Record data: A and SOA are read; anything else is kept as its octets. */
export type DnsRdata = { readonly kind: "a"; readonly addr: Ipv4 } | SoaData | { readonly kind: "raw"; readonly octets: string };

export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly data: DnsRdata;
}

export interface EdnsOption {
  readonly code: number;
  /** The option's octets. */
  readonly data: string;
}

/** The OPT pseudo-record, read out of the additional section (RFC 6891 §6.1.2). */
export interface Edns {
  readonly udpSize: number;
  readonly version: number;
  /** DNSSEC OK bit. */
  readonly do: boolean;
  readonly options: readonly EdnsOption[];
}

export interface DnsFlags {
  readonly qr: boolean;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  readonly ad: boolean;
  readonly cd: boolean;
}

export interface DnsMessage {
  readonly id: number;
  readonly opcode: number;
  readonly flags: DnsFlags;
  readonly rcode: number;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authority: readonly DnsRecord[];
  /** Without the OPT record, which is `edns`. */
  readonly additional: readonly DnsRecord[];
  readonly edns?: Edns;
}

export const NO_FLAGS: DnsFlags = { qr: false, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false };

/** A query with one question, as a stub resolver or dig sends it. */
export function dnsQuery(id: number, name: string, type: number, opts: { readonly ad?: boolean; readonly edns?: Edns } = {}): DnsMessage {
  return {
    id,
    opcode: 0,
    flags: { ...NO_FLAGS, rd: true, ad: opts.ad ?? false },
    rcode: 0,
    questions: [{ name, type, class: DNS_CLASS_IN }],
    answers: [],
    authority: [],
    additional: [],
    ...(opts.edns ? { edns: opts.edns } : {}),
  };
}

// ---- encoding ---------------------------------------------------------------------------------

class Writer {
  readonly bytes: number[] = [];
  u8(n: number): void {
    this.bytes.push(n & 0xff);
  }
  u16(n: number): void {
    this.u8(n >>> 8);
    this.u8(n);
  }
  u32(n: number): void {
    this.u16(Math.floor(n / 0x10000) & 0xffff);
    this.u16(n & 0xffff);
  }
  octets(s: string): void {
    for (let i = 0; i < s.length; i++) this.u8(s.charCodeAt(i));
  }
  name(n: string): void {
    for (const label of n === "" ? [] : n.split(".")) {
      // A label is at most 63 octets (RFC 1035 §2.3.4); longer text is cut, never thrown about.
      const l = label.slice(0, 63);
      this.u8(l.length);
      this.octets(l);
    }
    this.u8(0);
  }
}

function writeRdata(w: Writer, d: DnsRdata): void {
  const body = new Writer();
  if (d.kind === "a") body.u32(d.addr);
  else if (d.kind === "soa") {
    body.name(d.mname);
    body.name(d.rname);
    for (const n of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) body.u32(n);
  } else body.octets(d.octets);
  w.u16(body.bytes.length);
  for (const b of body.bytes) w.u8(b);
}

function writeRecord(w: Writer, r: DnsRecord): void {
  w.name(r.name);
  w.u16(r.type);
  w.u16(r.class);
  w.u32(r.ttl);
  writeRdata(w, r.data);
}

/** The message's octets, one char each. */
export function encodeDns(m: DnsMessage): string {
  const w = new Writer();
  const f = m.flags;
  w.u16(m.id);
  w.u8((f.qr ? 0x80 : 0) | ((m.opcode & 0xf) << 3) | (f.aa ? 4 : 0) | (f.tc ? 2 : 0) | (f.rd ? 1 : 0));
  w.u8((f.ra ? 0x80 : 0) | (f.ad ? 0x20 : 0) | (f.cd ? 0x10 : 0) | (m.rcode & 0xf));
  w.u16(m.questions.length);
  w.u16(m.answers.length);
  w.u16(m.authority.length);
  w.u16(m.additional.length + (m.edns ? 1 : 0));
  for (const q of m.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const r of [...m.answers, ...m.authority, ...m.additional]) writeRecord(w, r);
  if (m.edns) {
    const e = m.edns;
    w.name("");
    w.u16(DNS_TYPE.OPT);
    w.u16(e.udpSize);
    w.u8(0); // extended rcode
    w.u8(e.version);
    w.u16(e.do ? 0x8000 : 0);
    w.u16(e.options.reduce((n, o) => n + 4 + o.data.length, 0));
    for (const o of e.options) {
      w.u16(o.code);
      w.u16(o.data.length);
      w.octets(o.data);
    }
  }
  return Buffer.from(w.bytes).toString("latin1");
}

/** RFC 1035 §4.2.2: a message on a TCP stream is preceded by its length. */
export function tcpFrame(msg: string): string {
  return String.fromCharCode((msg.length >>> 8) & 0xff, msg.length & 0xff) + msg;
}

/** The first whole message on a TCP stream, or undefined while it is still incomplete. */
export function tcpUnframe(stream: string): string | undefined {
  if (stream.length < 2) return undefined;
  const len = (stream.charCodeAt(0) << 8) | stream.charCodeAt(1);
  return stream.length >= 2 + len ? stream.slice(2, 2 + len) : undefined;
}

// ---- decoding ---------------------------------------------------------------------------------

class Reader {
  pos = 0;
  bad = false;
  constructor(readonly s: string) {}
  u8(): number {
    if (this.pos >= this.s.length) {
      this.bad = true;
      return 0;
    }
    return this.s.charCodeAt(this.pos++) & 0xff;
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  u32(): number {
    return this.u16() * 0x10000 + this.u16();
  }
  octets(n: number): string {
    if (this.pos + n > this.s.length) {
      this.bad = true;
      return "";
    }
    const out = this.s.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** A name, following compression pointers (at most 64 jumps: a loop is malformed, not endless). */
  name(): string {
    const labels: string[] = [];
    let at = this.pos;
    let jumped = false;
    for (let hops = 0; hops < 64; hops++) {
      if (at >= this.s.length) break;
      const len = this.s.charCodeAt(at);
      if (len === 0) {
        if (!jumped) this.pos = at + 1;
        return labels.join(".");
      }
      if ((len & 0xc0) === 0xc0) {
        if (at + 1 >= this.s.length) break;
        if (!jumped) this.pos = at + 2;
        jumped = true;
        at = ((len & 0x3f) << 8) | this.s.charCodeAt(at + 1);
        continue;
      }
      if ((len & 0xc0) !== 0 || at + 1 + len > this.s.length) break;
      labels.push(this.s.slice(at + 1, at + 1 + len));
      at += 1 + len;
    }
    this.bad = true;
    return "";
  }
}

function readRecord(r: Reader): DnsRecord & { readonly raw: { readonly classField: number; readonly ttlField: number; readonly rdata: string } } {
  const name = r.name();
  const type = r.u16();
  const cls = r.u16();
  const ttl = r.u32();
  const rdlen = r.u16();
  const start = r.pos;
  const rdata = r.octets(rdlen);
  let data: DnsRdata = { kind: "raw", octets: rdata };
  if (type === DNS_TYPE.A && rdlen === 4) {
    const sub = new Reader(rdata);
    data = { kind: "a", addr: sub.u32() as Ipv4 };
  } else if (type === DNS_TYPE.SOA) {
    // SOA names may point back into the message: read them in the whole message's context.
    const sub = new Reader(r.s);
    sub.pos = start;
    const mname = sub.name();
    const rname = sub.name();
    const nums = [sub.u32(), sub.u32(), sub.u32(), sub.u32(), sub.u32()] as const;
    if (!sub.bad && sub.pos === start + rdlen) data = { kind: "soa", mname, rname, serial: nums[0], refresh: nums[1], retry: nums[2], expire: nums[3], minimum: nums[4] };
  }
  return { name, type, class: cls, ttl, data, raw: { classField: cls, ttlField: ttl, rdata } };
}

function readOptions(s: string): EdnsOption[] | undefined {
  const r = new Reader(s);
  const out: EdnsOption[] = [];
  while (r.pos < s.length) {
    const code = r.u16();
    const len = r.u16();
    const data = r.octets(len);
    if (r.bad) return undefined;
    out.push({ code, data });
  }
  return out;
}

/** A message from its octets; undefined when they are not one (truncated, bad pointer, trailing junk is allowed). */
export function decodeDns(s: string): DnsMessage | undefined {
  if (s.length < 12) return undefined;
  const r = new Reader(s);
  const id = r.u16();
  const b2 = r.u8();
  const b3 = r.u8();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()] as const;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const name = r.name();
    questions.push({ name, type: r.u16(), class: r.u16() });
    if (r.bad) return undefined;
  }
  const sections: DnsRecord[][] = [[], [], []];
  let edns: Edns | undefined;
  for (let sec = 0; sec < 3; sec++) {
    for (let i = 0; i < counts[sec + 1]!; i++) {
      const rec = readRecord(r);
      if (r.bad) return undefined;
      if (sec === 2 && rec.type === DNS_TYPE.OPT) {
        const options = readOptions(rec.raw.rdata);
        if (!options) return undefined;
        edns = { udpSize: rec.raw.classField, version: (rec.raw.ttlField >>> 16) & 0xff, do: (rec.raw.ttlField & 0x8000) !== 0, options };
        continue;
      }
      const { raw: _raw, ...plain } = rec;
      sections[sec]!.push(plain);
    }
  }
  return {
    id,
    opcode: (b2 >> 3) & 0xf,
    flags: { qr: (b2 & 0x80) !== 0, aa: (b2 & 4) !== 0, tc: (b2 & 2) !== 0, rd: (b2 & 1) !== 0, ra: (b3 & 0x80) !== 0, ad: (b3 & 0x20) !== 0, cd: (b3 & 0x10) !== 0 },
    rcode: b3 & 0xf,
    questions,
    answers: sections[0]!,
    authority: sections[1]!,
    additional: sections[2]!,
    ...(edns ? { edns } : {}),
  };
}

/** Octets as lower-case hex (cookies). */
export function hex(octets: string): string {
  let out = "";
  for (let i = 0; i < octets.length; i++) out += (octets.charCodeAt(i) & 0xff).toString(16).padStart(2, "0");
  return out;
}
