/**
 * What happened, in a few plain sentences for a student, derived from a run's traces (never
 * written per scenario): who sent what to whom; which random branch kube-proxy's rules took and
 * where DNAT sent the packet; how it crossed nodes (a VXLAN device, its FDB, the UDP
 * encapsulation to the peer's address — or the frame handed straight back when that address is
 * the node's own); where it ended; what came back (the answer with its NAT undone, an ICMP error,
 * a reset) and what the tool's socket made of it; and the tool's exit code.
 *
 * A command's packets form flows: a packet it sent itself (a trace without a cause) and
 * everything that packet caused. Each flow is told once; a packet sent again to the same place
 * (a SYN retransmission, the next ping) is counted, not retold. Every sentence reads only the
 * trace values (types.ts) and, when given, names from the world (`StoryWorld`): pods, Services,
 * nodes, and how many branches a chain of random rules has.
 */
import type { Disposition, Step, Trace } from "./types.js";
import { formatMs } from "./render-text.js";

/** What a person calls the owner of an address. */
export interface AddressName {
  readonly kind: "pod" | "service" | "node" | "host";
  readonly name: string;
}

export interface StoryWorld {
  readonly nameOf?: (ip: string) => AddressName | undefined;
  /** How many ways a chain of random rules in that namespace's ruleset can branch. */
  readonly branchesOf?: (node: string, table: string, chain: string) => number | undefined;
}

export interface StoryInput {
  /** The traces shown for one run of a command (render-select.ts), in order. */
  readonly traces: readonly Trace[];
  /** The tool, e.g. `curl`. */
  readonly app: string;
  readonly exitCode: number;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly world?: StoryWorld;
}

/** Flows told in full; later ones are only counted. */
const MAX_FLOWS = 3;
/** The longest tool output quoted in the last sentence. */
const MAX_QUOTE = 60;

export function tellStory(input: StoryInput): string[] {
  const { traces, app } = input;
  const world = input.world ?? {};
  const roots = traces.filter((t) => t.cause === undefined && t.forkOf === undefined && t.origin !== "arp");
  if (roots.length === 0) {
    const said = (input.stderr ?? "").split("\n").find((l) => l.trim() !== "")?.trim();
    return [`${app} sent no packets${said !== undefined ? ` (it said “${said}”)` : ""}; ${outcome(input)}.`];
  }

  const flows: { lead: Trace; again: Trace[] }[] = [];
  for (const r of roots) {
    const same = flows.find((f) => sameTarget(f.lead, r));
    if (same) same.again.push(r);
    else flows.push({ lead: r, again: [] });
  }

  const lines: string[] = [];
  const told = flows.slice(0, MAX_FLOWS);
  let heard = false;
  told.forEach((f, i) => {
    const flow = tellFlow(f.lead, traces, world, app, i > 0);
    heard ||= flow.heard;
    lines.push(...flow.lines);
    if (f.again.length > 0) lines.push(again(f.lead, f.again));
  });
  const untold = flows.slice(MAX_FLOWS).reduce((n, f) => n + 1 + f.again.length, 0);
  if (untold > 0) lines.push(`${app} sent ${untold} more ${untold === 1 ? "packet" : "packets"} (see the traces above).`);

  // The exit code closes the last sentence when that sentence says how the exchange ended.
  const last = lines[lines.length - 1]!;
  const body = last.slice(0, -1);
  if (/ failed with E[A-Z]+\.$/.test(last)) lines[lines.length - 1] = `${body}: ${outcome(input)}.`;
  else if (/^The rest of the exchange .* went the same way\.$/.test(last)) lines[lines.length - 1] = `${body}; ${outcome(input)}.`;
  else if (!heard && input.exitCode !== 0) lines.push(`Nothing came back; ${outcome(input)}.`);
  else lines.push(`The command ended: ${outcome(input)}.`);
  return lines;
}

/** `curl exit 0, printing “You've hit kubia-zcpbb”`. */
function outcome(input: StoryInput): string {
  const said = (input.stdout ?? "").split("\n").filter((l) => l.trim() !== "");
  const first = said.length === 1 ? said[0]!.trim() : undefined;
  const quote = first !== undefined && input.exitCode === 0 ? `, printing “${first.length > MAX_QUOTE ? `${first.slice(0, MAX_QUOTE)}…` : first}”` : "";
  return `${input.app} exit ${input.exitCode}${quote}`;
}

/** Two packets of the command sent alike: the same origin (ignoring "(…)") to the same address. */
function sameTarget(a: Trace, b: Trace): boolean {
  const base = (o: string): string => o.replace(/ \(.*\)$/, "");
  const pa = parsePacket(a.packet);
  const pb = parsePacket(b.packet);
  return base(a.origin) === base(b.origin) && pa !== undefined && pb !== undefined && pa.dst === pb.dst;
}

/** `One more like it was sent (SYN retransmission, at 1000 ms), with the same fate.` */
function again(lead: Trace, more: readonly Trace[]): string {
  const n = more.length;
  const labels = numbered(more.map((t) => /\((.*)\)$/.exec(t.origin)?.[1]).filter((x): x is string => x !== undefined));
  const times = [...new Set(more.map((t) => formatMs(t.startMs)))];
  const when = `at ${times.slice(0, 3).join(", ")}${times.length > 3 ? ", …" : ""} ms`;
  const fate = (t: Trace): string => `${t.disposition?.kind ?? "in flight"}@${t.disposition?.at.node ?? ""}`;
  const same = more.every((t) => fate(t) === fate(lead));
  return `${n === 1 ? "One more" : `${n} more`} like it ${n === 1 ? "was" : "were"} sent (${labels.length > 0 ? `${labels.join(", ")}, ` : ""}${when}), ${same ? "with the same fate" : "with other fates: see the traces above"}.`;
}

/** `ttl 2`, `ttl 3`, `ttl 4` → `ttl 2…4`; labels without a number as they are, each once. */
function numbered(labels: readonly string[]): string[] {
  const out = new Map<string, number[]>();
  for (const l of labels) {
    const m = /^(.*?) (\d+)$/.exec(l);
    const key = m ? m[1]! : l;
    out.set(key, [...(out.get(key) ?? []), ...(m ? [Number(m[2])] : [])]);
  }
  return [...out].map(([k, ns]) => (ns.length === 0 ? k : ns.length === 1 ? `${k} ${ns[0]}` : `${k} ${Math.min(...ns)}…${Math.max(...ns)}`));
}

interface Packet {
  readonly src: string;
  readonly sport?: number;
  readonly dst: string;
  readonly dport?: number;
  /** What follows the addresses: `Flags [S], …`, `UDP, …`, `ICMP echo request, …`. */
  readonly rest: string;
  readonly ttl?: number;
}

const PACKET = /IP (\d+\.\d+\.\d+\.\d+)(?:\.(\d+))? > (\d+\.\d+\.\d+\.\d+)(?:\.(\d+))?: (.*)$/;

/** The addresses of a tcpdump-style line (wire/format.ts); for VXLAN, the outer packet's. */
function parsePacket(text: string): Packet | undefined {
  const m = PACKET.exec(text);
  if (!m) return undefined;
  const ttl = /\bttl (\d+)$/.exec(text);
  return {
    src: m[1]!,
    dst: m[3]!,
    rest: m[5]!,
    ...(m[2] !== undefined ? { sport: Number(m[2]) } : {}),
    ...(m[4] !== undefined ? { dport: Number(m[4]) } : {}),
    ...(ttl ? { ttl: Number(ttl[1]) } : {}),
  };
}

function hostPort(ip: string, port: number | undefined): string {
  return port !== undefined ? `${ip}:${port}` : ip;
}

/** What a packet is, in words: `a TCP SYN`, `a DNS query for kubia…`, `an ICMP echo request`. */
function packetWords(p: Packet, origin?: string): string {
  const r = p.rest;
  const dns = origin !== undefined ? /^(?:getaddrinfo|udp query|tcp query) (\S+)$/.exec(origin) : null;
  if (dns) return `a DNS query for ${dns[1]}`;
  const flags = /^Flags \[([^\]]*)\]/.exec(r)?.[1];
  if (flags !== undefined) {
    if (flags === "S") return "a TCP SYN";
    if (flags === "S.") return "a SYN-ACK";
    if (flags.includes("R")) return "a TCP reset";
    if (flags.includes("F")) return "a FIN";
    if (flags.includes("P")) return "data";
    return "an ACK";
  }
  if (r.startsWith("UDP")) return p.dport === 53 ? "a DNS query" : p.sport === 53 ? "a DNS answer" : "a UDP datagram";
  if (r.startsWith("OTV/VXLAN")) return "a VXLAN packet";
  const icmp = /^ICMP(?: \S+ \S+ port \d+)? ([^,]+)/.exec(r)?.[1];
  if (icmp !== undefined) return /^echo/.test(icmp) ? `an ICMP ${icmp}` : `ICMP ${icmp.replace(/ in-transit$/, "")}`;
  return "a packet";
}

/** A place as a person names it: `the Service 10.98.41.49:80 (default/kubia)`, `pod2 (10.244.2.2)`. */
function placeWords(ip: string, port: number | undefined, world: StoryWorld, serviceHint: boolean): string {
  const who = world.nameOf?.(ip);
  const addr = hostPort(ip, port);
  if (who?.kind === "service" || (!who && serviceHint)) return `the Service ${addr}${who ? ` (${who.name})` : ""}`;
  return who ? `${who.name} (${addr})` : addr;
}

function nameSuffix(ip: string, world: StoryWorld): string {
  const who = world.nameOf?.(ip);
  return who && who.kind !== "service" ? ` (${who.name})` : "";
}

/** Capitalises a sentence that starts with an English word; one that starts with a name (a node, a tool) keeps it as written. */
function cap(s: string): string {
  return /^(?:it|nothing|at|the|source)\b/.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

function percent(p: number): string {
  return `${Number((p * 100).toFixed(2))}%`;
}

const isKube = (chain: string): boolean => chain.startsWith("KUBE-");

/** What happened on one hop that is worth a sentence, in the order it happened. */
type Event =
  | {
      readonly kind: "dnat";
      readonly node: string;
      readonly table: string;
      /** The chain whose random rules chose, and how. */
      readonly random?: { readonly chain: string; readonly branch: number; readonly probability: number; readonly how: string };
      /** The chain whose rule did the DNAT. */
      readonly by?: string;
      readonly from: string;
      readonly to: string;
    }
  | { readonly kind: "snat"; readonly node: string; readonly target?: string; readonly chain?: string; readonly to: string }
  | { readonly kind: "hairpin"; readonly node: string; readonly bridge: string; readonly port: string }
  | {
      readonly kind: "vxlan";
      readonly node: string;
      readonly route?: string;
      readonly dev: string;
      readonly mac: string;
      readonly vtep?: string;
      bypass: number;
      encap?: { readonly src: string; readonly dst: string; readonly port?: number; readonly vni: number };
      outDev?: string;
    }
  | { readonly kind: "decap"; readonly node: string; readonly dev: string }
  | { readonly kind: "forward"; readonly node: string; readonly dev?: string };

interface Walk {
  readonly events: Event[];
  /** The TTL the packet last arrived with. */
  readonly lastTtl?: number;
  /** Per namespace, the device its last route sent the packet out of. */
  readonly routeDev: Map<string, string>;
}

function walk(t: Trace): Walk {
  const events: Event[] = [];
  const routeDev = new Map<string, string>();
  let lastTtl: number | undefined;
  t.hops.forEach((h, hi) => {
    let inDev: string | undefined;
    let route: Extract<Step, { kind: "route" }> | undefined;
    let randoms: Extract<Step, { kind: "nf-random" }>[] = [];
    let dnatBy: string | undefined;
    let snatBy: { target: string; chain: string } | undefined;
    let vx: Extract<Event, { kind: "vxlan" }> | undefined;
    const before = events.length;
    for (const s of h.steps) {
      switch (s.kind) {
        case "enter-dev":
          inDev ??= s.dev;
          lastTtl = parsePacket(s.packet)?.ttl ?? lastTtl;
          break;
        case "route":
          route = s;
          if (s.direction === "input" || hi === 0) {
            const dev = / dev (\S+)/.exec(s.text)?.[1];
            if (dev !== undefined && dev !== "lo") routeDev.set(h.node, dev);
          }
          break;
        case "nf-random":
          randoms.push(s);
          break;
        case "nf":
          if (s.verdict === "DNAT") dnatBy = s.chain;
          if (s.verdict === "MASQUERADE" || s.verdict === "SNAT") snatBy = { target: s.verdict, chain: s.chain };
          break;
        case "nat": {
          const dst = s.diffs.find((d) => d.field === "dst");
          const src = s.diffs.find((d) => d.field === "src");
          if (s.what === "DNAT" && dst) {
            const chain = randoms[randoms.length - 1]?.chain;
            const mine = randoms.filter((r) => r.chain === chain);
            const taken = mine.findIndex((r) => r.taken);
            const considered = taken >= 0 ? mine.slice(0, taken + 1) : mine;
            const probability = considered.reduce((p, r) => p * (r.taken ? Number(r.probability) : 1 - Number(r.probability)), 1);
            events.push({
              kind: "dnat",
              node: h.node,
              table: mine[0]?.table ?? "nat",
              ...(chain !== undefined ? { random: { chain, branch: taken >= 0 ? taken + 1 : mine.length + 1, probability, how: mine[0]!.how } } : {}),
              ...(dnatBy !== undefined ? { by: dnatBy } : {}),
              from: dst.from,
              to: dst.to,
            });
            randoms = [];
            dnatBy = undefined;
          } else if ((s.what === "SNAT" || s.what === "MASQUERADE") && src) {
            events.push({ kind: "snat", node: h.node, ...(snatBy ? { target: snatBy.target, chain: snatBy.chain } : {}), to: src.to });
            snatBy = undefined;
          }
          break;
        }
        case "bridge":
          if (s.action === "fdb-hit" && s.port !== undefined && s.port === inDev) events.push({ kind: "hairpin", node: h.node, bridge: s.bridge, port: s.port });
          break;
        case "vxlan-fdb":
          if (vx && vx.dev === s.dev && vx.mac === s.mac && vx.vtep === s.dst && vx.bypass > 0) break;
          vx = { kind: "vxlan", node: h.node, ...(route ? { route: route.matched } : {}), dev: s.dev, mac: s.mac, ...(s.dst !== undefined ? { vtep: s.dst } : {}), bypass: 0 };
          events.push(vx);
          break;
        case "encap-bypass":
          if (vx) vx.bypass++;
          break;
        case "encap":
          if (vx) {
            const outer = parsePacket(s.outer);
            if (outer) vx.encap = { src: outer.src, dst: outer.dst, ...(outer.dport !== undefined ? { port: outer.dport } : {}), vni: s.vni };
          }
          break;
        case "exit-dev":
          if (vx?.encap && vx.outDev === undefined && s.dev !== vx.dev) vx.outDev = s.dev;
          break;
        case "decap":
          events.push({ kind: "decap", node: h.node, dev: s.dev });
          break;
        default:
          break;
      }
    }
    // A hop in the middle that only passed the packet on.
    const middle = hi > 0 && hi < t.hops.length - 1;
    if (middle && events.length === before) events.push({ kind: "forward", node: h.node, ...(routeDev.has(h.node) ? { dev: routeDev.get(h.node)! } : {}) });
  });
  return { events, routeDev, ...(lastTtl !== undefined ? { lastTtl } : {}) };
}

interface Flow {
  readonly lines: string[];
  /** Something (an answer, an error, a reset) reached the sender. */
  readonly heard: boolean;
}

function tellFlow(lead: Trace, traces: readonly Trace[], world: StoryWorld, app: string, then: boolean): Flow {
  const lines: string[] = [];
  const sender = lead.hops[0]?.node ?? "?";
  const p = parsePacket(lead.packet);
  const w = walk(lead);
  const kubeDnat = w.events.some((e) => e.kind === "dnat" && ((e.random && isKube(e.random.chain)) || (e.by !== undefined && isKube(e.by))));
  const ttl = p?.ttl !== undefined && p.ttl < 64 ? ` with TTL ${p.ttl}` : "";
  const what = p ? `${packetWords(p, lead.origin)}${ttl}` : "a packet";
  const to = p ? ` to ${placeWords(p.dst, p.dport, world, kubeDnat)}` : "";
  lines.push(`${then ? "Then " : ""}${sender} sent ${what}${to}.`);

  const last = lead.hops[lead.hops.length - 1]?.node;
  let said = sender;
  let arrival: string | undefined;
  const events = w.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const on = e.node !== said ? `On ${e.node}, ` : "";
    switch (e.kind) {
      case "dnat": {
        const [ip] = e.to.split(":");
        const target = `${e.to}${nameSuffix(ip!, world)}`;
        const by = e.by !== undefined ? e.by : "a DNAT rule";
        if (e.random) {
          const n = world.branchesOf?.(e.node, e.table, e.random.chain);
          const whose = isKube(e.random.chain) ? `kube-proxy's ${e.random.chain} chain` : `the chain ${e.random.chain}`;
          const how =
            e.random.how === "pinned"
              ? `pinned by --choose; it would be taken with probability ${percent(e.random.probability)}`
              : e.random.how === "scripted"
                ? `one of the enumerated branches, probability ${percent(e.random.probability)}`
                : `a random draw; it is taken with probability ${percent(e.random.probability)}`;
          lines.push(`On ${e.node}, ${whose} took branch ${e.random.branch}${n !== undefined ? ` of ${n}` : ""} (${how}) and ${by} DNATed it to ${target}.`);
        } else {
          lines.push(`On ${e.node}, ${by} DNATed it from ${e.from} to ${target}.`);
        }
        said = e.node;
        break;
      }
      case "hairpin": {
        const snat = events[i + 1]?.kind === "snat" && events[i + 1]!.node === e.node ? (events[i + 1] as Extract<Event, { kind: "snat" }>) : undefined;
        if (snat) i++;
        const self = p !== undefined && events.some((x) => x.kind === "dnat" && x.to.split(":")[0] === p.src);
        const start = self ? `That endpoint is ${sender} itself, so the` : on ? `${on}the` : "The";
        const masq = snat ? `, and ${snatWords(snat)} so that the answer comes back through ${e.node} too` : "";
        lines.push(`${start} bridge ${e.bridge} sent it back out the port it came in on (${e.port}, hairpin)${masq}.`);
        said = e.node;
        break;
      }
      case "snat":
        lines.push(`${on ? `${on}${snatWords(e)}` : cap(snatWords(e))}.`);
        said = e.node;
        break;
      case "vxlan": {
        const route = e.route !== undefined ? `the route ${e.route} sent it into the VXLAN device ${e.dev}` : `it went into the VXLAN device ${e.dev}`;
        let s = `${on}${on ? route : cap(route)}`;
        if (e.vtep === undefined) s += `, but its FDB has no entry for ${e.mac} and no default entry, so the frame was dropped`;
        else if (e.bypass > 0) {
          s += `; the FDB said the VTEP for ${e.mac} is ${e.vtep} — an address of ${e.node} itself — so the frame came straight back in, ${e.bypass} ${e.bypass === 1 ? "time" : "times"}, losing one TTL each time`;
        } else {
          s += `; the FDB said the VTEP for ${e.mac} is ${e.vtep}`;
          if (e.encap) {
            const next = nextNode(lead, e.node);
            s += `, so ${e.node} wrapped it in UDP ${e.encap.src} → ${hostPort(e.encap.dst, e.encap.port)} (VNI ${e.encap.vni}) and sent it out ${e.outDev ?? "?"}${next !== undefined ? ` to ${next}` : ""}`;
          }
        }
        lines.push(`${s}.`);
        said = e.node;
        break;
      }
      case "decap": {
        const dev = w.routeDev.get(e.node);
        const next = nextNode(lead, e.node);
        const onward = dev !== undefined && next !== undefined && dev !== e.dev ? ` and routed it out ${dev} to ${next}` : "";
        const text = `${e.node} unwrapped it on ${e.dev}${onward}`;
        lines.push(`${text}.`);
        // Handed on to the namespace where the packet ends: its fate joins this sentence.
        arrival = onward && next === last ? text : undefined;
        said = onward && next !== undefined ? next : e.node;
        break;
      }
      case "forward": {
        const fwd = [e];
        while (events[i + 1]?.kind === "forward") fwd.push(events[++i] as Extract<Event, { kind: "forward" }>);
        lines.push(`It was forwarded by ${fwd.map((f) => `${f.node}${f.dev !== undefined ? ` (out ${f.dev})` : ""}`).join(", then ")}.`);
        said = fwd[fwd.length - 1]!.node;
        break;
      }
    }
  }

  // Where the packet ended, and what came back.
  const replies = traces.filter((t) => t.cause === lead.id);
  const reply = replies[0];
  let fate = fateWords(lead.disposition, w, lead);
  const d = lead.disposition;
  if (d?.kind === "delivered" && arrival !== undefined && lines[lines.length - 1] === `${arrival}.`) {
    lines[lines.length - 1] = `${arrival}, where it reached the ${deliveredTo(d.to)}.`;
    fate = undefined;
  }
  let heard = false;
  const replyIsError = reply !== undefined && (reply.origin === "icmp error" || reply.origin === "tcp reset");
  if (reply && replyIsError) {
    lines.push(`${cap(fate ?? "it arrived")}${errorWords(reply, fate ?? "", sender, app)}.`);
    heard = reply.disposition?.kind === "delivered" && reply.disposition.at.node === sender;
  } else {
    if (fate !== undefined) lines.push(`${cap(fate)}.`);
    if (reply) {
      const r = answerWords(reply, sender, world);
      heard = r.answered;
      lines.push(r.text);
    }
  }

  // The rest of the exchange: everything the answer caused, and further answers.
  if (reply && !replyIsError) {
    const rest = descendants(traces, lead.id).filter((t) => t !== reply);
    if (rest.length > 0) {
      const labels = [...new Set(rest.map((t) => t.origin.split(" ").slice(1).join(" ") || t.origin))];
      const bad = rest.find((t) => t.disposition?.kind !== "delivered");
      lines.push(bad ? `Of the rest of the exchange (${labels.join(", ")}), the ${bad.origin} ${fateWords(bad.disposition, walk(bad), bad) ?? "was still in flight"}.` : `The rest of the exchange (${labels.join(", ")}) went the same way.`);
    }
  }
  return { lines, heard };
}

/** Every trace caused, directly or not, by the trace `id`. */
function descendants(traces: readonly Trace[], id: number): Trace[] {
  const out: Trace[] = [];
  const ids = new Set([id]);
  for (const t of traces) {
    if (t.cause !== undefined && ids.has(t.cause)) {
      out.push(t);
      ids.add(t.id);
    }
  }
  return out;
}

/** The namespace a trace entered after `node` (the hop after the last one at `node`). */
function nextNode(t: Trace, node: string): string | undefined {
  for (let i = t.hops.length - 2; i >= 0; i--) if (t.hops[i]!.node === node) return t.hops[i + 1]!.node;
  return undefined;
}

function snatWords(e: Extract<Event, { kind: "snat" }>): string {
  const who = e.target !== undefined ? `${e.target}${e.chain !== undefined ? ` in ${e.chain}` : ""}` : "source NAT";
  return `${who} rewrote its source to ${e.to}`;
}

/** `listening socket http *:8080` → itself; the kernel's echo answer in words. */
function deliveredTo(to: string): string {
  return /^icmp_echo\b/.test(to) ? "kernel, which answers echo requests itself" : to;
}

/** Where a packet ended, as a clause without a full stop; undefined when still in flight. */
function fateWords(d: Disposition | undefined, w: Walk, t: Trace): string | undefined {
  if (!d) return "it was still in flight when the command ended";
  const n = d.at.node;
  switch (d.kind) {
    case "delivered":
      return `it reached ${n}'s ${deliveredTo(d.to)}`;
    case "consumed":
      return `${n} took it in (${d.by})`;
    case "ttl-exceeded": {
      const icmp = t.hops.flatMap((h) => h.steps).find((s): s is Extract<Step, { kind: "icmp-sent" }> => s.kind === "icmp-sent");
      return `at TTL ${w.lastTtl ?? "?"} ${n} dropped it${icmp ? ` and answered ${icmpWords(icmp)}` : ""}`;
    }
    case "no-route":
      return `${n} had no route for it: ${d.reason} (${d.errno})`;
    case "route-rejected":
      return `${n} refused it with a ${d.routeType} route (${d.errno})`;
    case "neigh-failed":
      return `${n} got no ARP reply for ${d.ip} on ${d.dev}`;
    case "no-listener":
      return `nothing listens on ${d.proto} port ${d.port} on ${n}`;
    case "forwarding-disabled":
      return `${n} dropped it because forwarding is off there (net.ipv4.ip_forward = 0)`;
    case "martian":
      return `${n} dropped it as a martian: ${d.reason}`;
    case "not-for-us":
      return `${n} ignored it: ${d.reason}`;
    case "nf-drop":
      return `${n} dropped it: iptables ${d.rule}`;
    case "nf-reject":
      return `${n} rejected it with ${d.with}: iptables ${d.rule}`;
    case "exits-world":
      return `it left ${n} through ${d.dev} (${d.at.stage}), out of the simulated world`;
    case "link-down":
      return `${n} dropped it: ${d.dev} is down`;
    case "dropped":
      return `${n} dropped it: ${d.reason}`;
  }
}

function icmpWords(s: Extract<Step, { kind: "icmp-sent" }>): string {
  if (s.type === 11) return "ICMP time exceeded";
  return `ICMP ${s.name.charAt(0).toLowerCase()}${s.name.slice(1)}`;
}

/**
 * An ICMP error or a reset that came back: who sent it (when not said yet), how conntrack
 * rewrote it, and what the sender's socket made of it, e.g. `; conntrack translated the error
 * back to come from 10.98.41.49, so curl's connect() failed with EHOSTUNREACH`.
 */
function errorWords(reply: Trace, fate: string, sender: string, app: string): string {
  const from = reply.hops[0]?.node ?? "?";
  let s = "";
  const p = parsePacket(reply.packet);
  if (reply.origin === "tcp reset") s += `, so ${from} answered with a TCP reset`;
  else if (!/\bicmp\b/i.test(fate) && p) s += `, so ${from} answered ${packetWords(p)}`;
  const unnat = reply.hops.flatMap((h) => h.steps).find((x): x is Extract<Step, { kind: "nat" }> => x.kind === "nat" && x.what.startsWith("un-") && x.diffs.some((d) => d.field === "src"));
  if (unnat) {
    const src = unnat.diffs.find((d) => d.field === "src")!;
    s += `; conntrack translated ${reply.origin === "tcp reset" ? "it" : "the error"} back to come from ${src.to}`;
  }
  const d = reply.disposition;
  if (d?.kind === "delivered" && d.at.node === sender) {
    const errno = /\b(E[A-Z]{3,})\b/.exec(d.to)?.[1] ?? (reply.origin === "tcp reset" && /syn-sent/i.test(d.to) ? "ECONNREFUSED" : undefined);
    const call = /connect\(\)/.test(d.to) || (reply.origin === "tcp reset" && /syn-sent/i.test(d.to)) ? `${app}'s connect()` : `${app}'s socket`;
    const then = unnat || !s.includes(", so ") ? ", so" : ";";
    if (errno !== undefined) s += `${then} ${call} failed with ${errno}`;
    else s += `${then} ${sender}'s ${d.to} took it`;
  } else {
    s += `; that ${reply.origin === "tcp reset" ? "reset" : "error"}: ${fateWords(d, walk(reply), reply) ?? "?"}`;
  }
  return s;
}

/** The answer to the flow's first packet: how it came back and what conntrack undid on the way. */
function answerWords(reply: Trace, sender: string, world: StoryWorld): { text: string; answered: boolean } {
  const p = parsePacket(reply.packet);
  const from = reply.hops[0]?.node ?? "?";
  const what = p ? packetWords(p, reply.origin) : "a packet";
  const w = walk(reply);
  const vx = w.events.find((e): e is Extract<Event, { kind: "vxlan" }> => e.kind === "vxlan" && e.encap !== undefined);
  const decap = w.events.find((e) => e.kind === "decap");
  const via = vx?.encap && decap ? ` through VXLAN from ${vx.node} (${vx.encap.src}) to ${decap.node} (${vx.encap.dst})` : "";
  // conntrack's undoing, per node, in order.
  const undone: { node: string; parts: string[] }[] = [];
  for (const h of reply.hops) {
    for (const s of h.steps) {
      if (s.kind !== "nat" || !s.what.startsWith("un-")) continue;
      const parts: string[] = [];
      for (const d of s.diffs) {
        if (d.field === "dst") parts.push(`un-SNATed its destination back to ${d.to}`);
        if (d.field === "src") parts.push(`un-DNATed its source back to ${d.to}, the address ${sender} had called`);
      }
      const last = undone[undone.length - 1];
      if (last && last.node === h.node) last.parts.push(...parts);
      else undone.push({ node: h.node, parts });
    }
  }
  const ended = reply.disposition;
  const answered = ended?.kind === "delivered" && ended.at.node === sender;
  const tail = answered ? "" : `, but ${fateWords(ended, w, reply) ?? "it was still in flight"}`;
  let text = `The answer (${what}${from !== sender ? ` from ${from}` : ""}) came back${via}`;
  undone.forEach((u, i) => {
    const c = `conntrack ${u.parts.join(" and ")}`;
    if (i === 0 && via && u.node === decap?.node) text += `, where ${c}`;
    else if (i === 0 && !via) text += ` through ${u.node}, where ${c}`;
    else text += `; on ${u.node}, ${c}`;
  });
  return { text: `${text}${tail}.`, answered };
}
