/**
 * Cases for what travels with a packet or its connection: `mark` + `MARK` (every --set-xmark
 * form, set in mangle PREROUTING / FORWARD or nat PREROUTING, tested later in filter), and
 * `conntrack` / `state` (--ctstate NEW/ESTABLISHED/RELATED/INVALID/UNTRACKED/SNAT/DNAT,
 * --ctorigdst/--ctorigdstport/--ctreplsrc … after DNAT, --ctstatus, --ctdir, --ctproto).
 */
import type { NfCase, Step, TableSpec } from "./case.js";
import { rulesetText } from "./case.js";
import { familyGen, hitTarget, mkCase, pad, rule } from "./gen.js";
import { CLOSED_UDP, SERVER, SERVER2, ping, tcp, zudp } from "./probes.js";

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

export function markCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "mark");
  return Array.from({ length: n }, (_, i) => {
    const where = g.pick(["mangle PREROUTING", "mangle PREROUTING", "mangle FORWARD", "nat PREROUTING"] as const);
    const [table, chain] = where.split(" ") as ["mangle" | "nat", string];
    const ops: string[] = [];
    const ex = new Set<string>([`MARK in ${where}`]);
    const count = g.int(1, 3);
    for (let k = 0; k < count; k++) {
      const v = g.int(1, 7);
      const form = g.pick(["set", "set", "setmask", "or", "xor", "and"] as const);
      // The kernel stores every form as --set-xmark value/mask (new = (old & ~mask) ^ value).
      const x =
        form === "set" ? `${hex(v)}/0xffffffff`
        : form === "setmask" ? `${hex(v)}/${hex(g.pick([0x3, 0x6, 0xf]))}`
        : form === "or" ? `${hex(v)}/${hex(v)}`
        : form === "xor" ? `${hex(v)}/0x0`
        : `0x0/${hex(~v)}`;
      ex.add(`MARK --${form === "setmask" ? "set-xmark" : `${form}-mark`}`);
      // Some marks only on some packets, so the probes end up with different marks.
      const cond = g.pick([{}, {}, { p: "tcp" }, { d: `${SERVER2}/32` }, { p: "icmp" }]);
      ops.push(rule(chain, cond, [], `-j MARK --set-xmark ${x}`));
    }
    const b = g.bang();
    const mv = g.int(0, 7);
    const mm = g.chance(0.4) ? `/${hex(g.pick([0x1, 0x3, 0x4, 0x6]))}` : "";
    const test = rule("FORWARD", {}, ["-m mark", `${b}--mark ${hex(mv)}${mm}`], hitTarget(g));
    ex.add(`mark ${b}--mark`);
    const tables: Partial<Record<"mangle" | "nat" | "filter", TableSpec>> = { [table]: { rules: ops }, filter: { rules: [test] } };
    const steps: Step[] = [tcp("client", SERVER, 9000), g.chance(0.5) ? tcp("client", SERVER2, 9000) : ping("client", g.pick([SERVER, SERVER2]))];
    return mkCase(`mark-${pad(i)}`, [...ex], rulesetText(tables), steps);
  });
}

const CT_ORDER = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"] as const;
type CtWord = (typeof CT_ORDER)[number];
/** A state list in the order iptables-save prints it. */
const ctList = (s: readonly CtWord[]): string => CT_ORDER.filter((x) => s.includes(x)).join(",");

const DNAT_RULE = rule("PREROUTING", { d: `${SERVER}/32`, p: "tcp" }, ["-m tcp --dport 9000"], `-j DNAT --to-destination ${SERVER2}:9001`);
const SNAT_RULE = rule("POSTROUTING", { o: "eth2" }, [], "-j MASQUERADE");
/** Untracked both ways, or only client → server (the server's answers then have no entry: INVALID). */
const NOTRACK_RULES = [
  rule("PREROUTING", { p: "icmp" }, [], "-j CT --notrack"),
  rule("PREROUTING", { i: "eth1", p: "icmp" }, [], "-j CT --notrack"),
  rule("PREROUTING", { i: "eth1", p: "tcp" }, [], "-j NOTRACK"),
];

export function conntrackCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "conntrack");
  const stateSets: CtWord[][] = [["NEW"], ["ESTABLISHED"], ["RELATED"], ["RELATED", "ESTABLISHED"], ["INVALID"], ["UNTRACKED"], ["DNAT"], ["SNAT"], ["NEW", "DNAT"]];
  return Array.from({ length: n }, (_, i) => {
    const nat: string[] = [];
    const raw: string[] = [];
    if (g.chance(0.5)) nat.push(DNAT_RULE);
    if (g.chance(0.4)) nat.push(SNAT_RULE);
    if (g.chance(0.25)) raw.push(g.pick(NOTRACK_RULES));
    const opts: string[] = [];
    const ex: string[] = [];
    const kind = g.pick(["state", "state", "orig", "status"] as const);
    if (kind === "state") {
      const b = g.bang(0.25);
      opts.push(`${b}--ctstate ${ctList(g.pick(stateSets))}`);
      ex.push(`conntrack ${b}--ctstate`);
    } else if (kind === "orig") {
      // The fixed order iptables-save prints: addresses, then ports.
      if (g.chance(0.5)) opts.push(`--ctproto ${g.pick(["6", "17", "1"])}`);
      const addr = g.pick(["ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst"] as const);
      const val = addr === "ctorigsrc" ? "10.0.1.2" : addr === "ctorigdst" ? g.pick([SERVER, SERVER2]) : addr === "ctreplsrc" ? g.pick([SERVER, SERVER2]) : g.pick(["10.0.1.2", "10.0.2.1"]);
      const b = g.bang(0.2);
      opts.push(`${b}--${addr} ${val}`);
      ex.push(`conntrack --${addr}`);
      if (g.chance(0.6)) {
        const p = g.pick(["9000", "9001", "9000:9001"]);
        opts.push(`--ctorigdstport ${p}`);
        ex.push("conntrack --ctorigdstport");
      }
    } else {
      const st = g.pick(["SEEN_REPLY", "ASSURED", "CONFIRMED", "NONE", "SEEN_REPLY,ASSURED"]);
      if (g.chance(0.5)) opts.push(`--ctproto ${g.pick(["6", "1"])}`);
      opts.push(`--ctstatus ${st}`);
      ex.push("conntrack --ctstatus");
      if (g.chance(0.6)) {
        opts.push(`--ctdir ${g.pick(["ORIGINAL", "REPLY"])}`);
        ex.push("conntrack --ctdir");
      }
    }
    const r = rule("FORWARD", {}, ["-m conntrack", ...opts], hitTarget(g, 0.15));
    // A conntrack rule may REJECT the SYN-ACK: wait past the SYN's retransmission (probes.ts).
    const steps: Step[] = [tcp("client", SERVER, 9000, 2), g.pick([ping("client", SERVER), zudp("client", SERVER, CLOSED_UDP), tcp("client", SERVER2, 9001, 2)])];
    const tables = { ...(raw.length ? { raw: { rules: raw } } : {}), ...(nat.length ? { nat: { rules: nat } } : {}), filter: { rules: [r] } };
    return mkCase(`conntrack-${pad(i)}`, [...ex, ...(nat.includes(DNAT_RULE) ? ["DNAT"] : []), ...(raw.length ? ["CT --notrack"] : [])], rulesetText(tables), steps);
  });
}

const STATE_ORDER = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED"] as const;

export function stateCases(seed: string, n: number): NfCase[] {
  const g = familyGen(seed, "state");
  const sets = [["NEW"], ["ESTABLISHED"], ["RELATED", "ESTABLISHED"], ["INVALID"], ["UNTRACKED"], ["NEW", "RELATED"]];
  return Array.from({ length: n }, (_, i) => {
    const s = g.pick(sets);
    const b = g.bang(0.25);
    const list = STATE_ORDER.filter((x) => s.includes(x)).join(",");
    const rules = [rule("FORWARD", {}, ["-m state", `${b}--state ${list}`], hitTarget(g, 0.15))];
    const raw = g.chance(0.3) ? { raw: { rules: [g.pick(NOTRACK_RULES)] } } : {};
    // A state rule may REJECT the SYN-ACK: wait past the SYN's retransmission (probes.ts).
    const steps: Step[] = [tcp("client", SERVER, 9000, 2), g.pick([ping("client", SERVER), zudp("client", SERVER, CLOSED_UDP)])];
    return mkCase(`state-${pad(i)}`, [`state ${b}--state`], rulesetText({ ...raw, filter: { rules } }), steps);
  });
}
