/**
 * Traces as text, for a person learning how Linux moves a packet. One block per trace: a header
 * (`#1 ping: IP … (caused by #N)`), then the steps hop by hop under `── node ──` rules, each
 * step on one line in the words of the tool that shows that state on a real host — `ip route
 * get` for a route decision, `ip neigh` for a neighbour, `bridge fdb` for an FDB entry,
 * `iptables -j TRACE` (`TRACE: table:chain:rule:N`) for netfilter — and last the disposition in
 * plain words with the place it was decided.
 *
 * A packet caught in a loop (a VXLAN device handing frames back to itself, two routers pointing
 * at each other) repeats the same steps until its TTL runs out. Identical consecutive rounds —
 * equal except for the TTL and the time — are printed once, followed by one line saying how many
 * more times they ran and how the TTL fell.
 */
import type { Disposition, Step, Trace } from "./types.js";

export interface TextOptions {
  /** Fold three or more identical consecutive rounds into one line (default true). */
  readonly collapse?: boolean;
}

const INDENT_HOP = "  ";
const INDENT_STEP = "    ";
/** Fewest consecutive occurrences of a round that are folded. */
const MIN_REPEATS = 3;
/** Longest round looked for, in steps. */
const MAX_PERIOD = 64;

export function renderTracesText(traces: readonly Trace[], options: TextOptions = {}): string {
  return traces.map((t) => renderTraceText(t, options)).join("\n");
}

export function renderTraceText(t: Trace, options: TextOptions = {}): string {
  const lines = [traceHeader(t)];
  const items = t.hops.flatMap((h) => h.steps.map((step) => ({ node: h.node, step })));
  const keys = items.map((it) => `${it.node}\u0000${stepKey(it.step)}`);
  let node: string | undefined;
  const emit = (i: number): void => {
    const it = items[i]!;
    if (it.node !== node) {
      lines.push(`${INDENT_HOP}── ${it.node} ──`);
      node = it.node;
    }
    lines.push(INDENT_STEP + renderStep(it.step));
  };
  let i = 0;
  while (i < items.length) {
    const run = options.collapse === false ? undefined : repetition(keys, i);
    if (!run) {
      emit(i++);
      continue;
    }
    for (let j = i; j < i + run.period; j++) emit(j);
    const folded = items.slice(i + run.period, i + run.period * run.count);
    const nodes = [...new Set(folded.map((it) => it.node))];
    node = folded[folded.length - 1]!.node;
    const ttls = folded.flatMap((it) => (it.step.kind === "ttl" ? [it.step] : []));
    const notes = [
      ...(nodes.length > 1 ? [`through ${nodes.join(", ")}`] : []),
      ...(ttls.length > 0 ? [`ttl ${ttls[0]!.from} → ${ttls[ttls.length - 1]!.to}`] : []),
    ];
    const times = run.count - 1;
    const what = run.period === 1 ? "this step repeats" : `the same ${run.period} steps repeat`;
    lines.push(`${INDENT_STEP}… ${what} ${times} more ${times === 1 ? "time" : "times"}${notes.length ? ` (${notes.join(", ")})` : ""} …`);
    i += run.period * run.count;
  }
  lines.push(`${INDENT_HOP}${renderDisposition(t.disposition)}`);
  return lines.join("\n") + "\n";
}

function traceHeader(t: Trace): string {
  const notes = [
    ...(t.cause !== undefined ? [`caused by #${t.cause}`] : []),
    ...(t.forkOf !== undefined ? [`copy of #${t.forkOf}`] : []),
    ...(t.startMs !== 0 ? [`at ${formatMs(t.startMs)} ms`] : []),
  ];
  return `#${t.id} ${t.origin}: ${t.packet}${notes.length ? ` (${notes.join(", ")})` : ""}`;
}

/** The shortest round starting at `i` that occurs at least MIN_REPEATS times in a row. */
function repetition(keys: readonly string[], i: number): { period: number; count: number } | undefined {
  const maxPeriod = Math.min(MAX_PERIOD, Math.floor((keys.length - i) / MIN_REPEATS));
  for (let period = 1; period <= maxPeriod; period++) {
    let count = 1;
    while (i + (count + 1) * period <= keys.length && sameRound(keys, i, i + count * period, period)) count++;
    if (count >= MIN_REPEATS) return { period, count };
  }
  return undefined;
}

function sameRound(keys: readonly string[], a: number, b: number, period: number): boolean {
  for (let j = 0; j < period; j++) if (keys[a + j] !== keys[b + j]) return false;
  return true;
}

/** A step's identity for loop folding: its content without the TTL, the time and trace ids. */
function stepKey(s: Step): string {
  const noTtl = (text: string): string => text.replace(/\bttl \d+/g, "ttl _");
  switch (s.kind) {
    case "ttl":
      return "ttl";
    case "enter-dev":
      return JSON.stringify(["enter-dev", s.dev, noTtl(s.packet)]);
    case "exit-dev":
      return JSON.stringify(["exit-dev", s.dev, noTtl(s.packet)]);
    case "send":
      return JSON.stringify(["send", s.app, noTtl(s.packet)]);
    case "encap":
      return JSON.stringify(["encap", s.dev, s.vni, noTtl(s.outer)]);
    case "icmp-sent": {
      const { trace: _trace, ...rest } = s;
      return JSON.stringify(rest, Object.keys(rest).sort());
    }
    default:
      return JSON.stringify(s, Object.keys(s).sort());
  }
}

/** One line for one step, without indentation. */
export function renderStep(s: Step): string {
  switch (s.kind) {
    case "send":
      return `${label("send")}${s.app}: ${s.packet}`;
    case "enter-dev":
      return `${label("in")}${s.dev}  ${s.packet}`;
    case "exit-dev":
      return `${label("out")}${s.dev}  ${s.packet}`;
    case "bridge":
      return label("bridge") + bridgeText(s);
    case "nf": {
      const type = s.rule !== undefined ? `rule:${s.rule}` : /^return$/i.test(s.verdict) ? "return" : "policy";
      const hook = s.chain !== s.hook ? ` [${s.hook}]` : "";
      return `TRACE: ${s.table}:${s.chain}:${type} → ${s.verdict}${s.text ? `  ${s.text}` : ""}${hook}`;
    }
    case "nf-random": {
      const chance = `${(Number(s.probability) * 100).toFixed(2)}%`;
      const how = s.how === "pinned" ? "pinned by --choose" : s.how === "scripted" ? "enumerated" : "sampled";
      return `${label("random")}${s.table}:${s.chain}:rule:${s.rule} statistic probability ${s.probability} (${chance}) → ${s.taken ? "taken" : "not taken"} (${how})`;
    }
    case "conntrack": {
      const extra = [s.state, s.why].filter((x) => x !== undefined).join("; ");
      return `${label("ct")}${s.action}${s.tuple ? ` ${s.tuple}` : ""}${extra ? `  (${extra})` : ""}`;
    }
    case "nat":
      return `${label("nat")}${s.what}: ${s.diffs.map((d) => `${d.field} ${d.from} → ${d.to}`).join(", ")}`;
    case "route": {
      const failed = /^E[A-Z]+$/.test(s.result) && !s.text.includes(s.result) ? ` → ${s.result}` : "";
      return `${label("route")}${s.text}${failed}  (table ${s.table}, matched ${s.matched})`;
    }
    case "neigh":
      return label("neigh") + neighText(s);
    case "vxlan-fdb": {
      const target = s.dst !== undefined ? `dst ${s.dst}` : "no entry, no default entry: dropped";
      const entry = s.dst !== undefined && !s.entry.startsWith(s.mac) ? `  (entry: ${s.entry})` : "";
      return `${label("fdb")}${s.dev}: ${s.mac} → ${target}${entry}`;
    }
    case "encap":
      return `${label("encap")}${s.dev} vni ${s.vni}: ${s.outer}`;
    case "encap-bypass":
      return `${label("encap-bypass")}${s.dev} → ${s.to}: ${s.why}`;
    case "decap":
      return `${label("decap")}${s.dev} vni ${s.vni}: inner frame arrives on ${s.dev}`;
    case "ttl":
      return `${label("ttl")}${s.from} → ${s.to}`;
    case "icmp-sent":
      return `${label("icmp")}${s.name} from ${s.from} to ${s.to}${s.trace !== undefined ? ` (#${s.trace})` : ""}`;
    case "icmp-suppressed":
      return `${label("icmp")}no error sent: ${s.why}`;
    case "deliver":
      return `${label("deliver")}${s.to}`;
    case "note":
      return `${label("note")}${s.text}`;
  }
}

/** The step's label, padded so that short labels line up. */
function label(word: string): string {
  return `${word.padEnd(6)} `;
}

function bridgeText(s: Extract<Step, { kind: "bridge" }>): string {
  switch (s.action) {
    case "learn":
      return `${s.bridge}: learned ${s.mac} on port ${s.port ?? "?"}`;
    case "fdb-hit":
      return `${s.bridge}: ${s.mac} → port ${s.port ?? "?"} (fdb)`;
    case "flood":
      return `${s.bridge}: ${s.mac} flooded to ${(s.ports ?? []).join(", ") || "no port"}`;
    case "local":
      return `${s.bridge}: ${s.mac} is ${s.bridge}'s own address → up to its IP stack`;
    case "hairpin-drop":
      return `${s.bridge}: ${s.mac} is behind the ingress port ${s.port ?? "?"} and hairpin is off → dropped`;
  }
}

function neighText(s: Extract<Step, { kind: "neigh" }>): string {
  const head = `${s.ip} dev ${s.dev}`;
  switch (s.result) {
    case "hit":
      return `${head} → ${s.mac ?? "?"} ${s.state ?? ""}`.trimEnd();
    case "incomplete":
      return `${head} → ${s.state ?? "INCOMPLETE"}: ARP request sent, packet queued`;
    case "resolved":
      return `${head} → ${s.mac ?? "?"} ${s.state ?? "REACHABLE"} (ARP reply), queued packet sent`;
    case "failed":
      return `${head} → ${s.state ?? "FAILED"}: no ARP reply`;
  }
}

/** The end of a trace in plain words, with the node and kernel stage that decided it. */
export function renderDisposition(d: Disposition | undefined): string {
  if (!d) return "… still in flight when the command ended";
  const at = `${d.at.node} ${d.at.stage}`;
  switch (d.kind) {
    case "delivered":
      return `✓ delivered at ${at}: ${d.to}`;
    case "consumed":
      return `✓ consumed at ${at}: ${d.by}`;
    case "exits-world":
      return `→ leaves the simulated world at ${at} through ${d.dev}`;
    case "no-route":
      return `✗ no route at ${at}: ${d.reason} (${d.errno})`;
    case "route-rejected":
      return `✗ refused at ${at} by a ${d.routeType} route (${d.errno})`;
    case "ttl-exceeded":
      return `✗ dropped at ${at}: TTL exceeded`;
    case "neigh-failed":
      return `✗ dropped at ${at}: no ARP reply for ${d.ip} on ${d.dev} (neighbour FAILED)`;
    case "no-listener":
      return `✗ refused at ${at}: nothing listens on ${d.proto} port ${d.port}`;
    case "forwarding-disabled":
      return `✗ dropped at ${at}: forwarding is disabled (net.ipv4.ip_forward = 0)`;
    case "martian":
      return `✗ dropped as a martian at ${at}: ${d.reason}`;
    case "not-for-us":
      return `· ignored at ${at}: ${d.reason}`;
    case "nf-drop":
      return `✗ dropped by netfilter at ${at}: ${d.rule}`;
    case "nf-reject":
      return `✗ rejected by netfilter at ${at} with ${d.with}: ${d.rule}`;
    case "link-down":
      return `✗ dropped at ${at}: ${d.dev} is down`;
    case "dropped":
      return `✗ dropped at ${at}: ${d.reason}`;
  }
}

/** The sentences of a run's story (story.ts), numbered under a heading. */
export function renderStoryText(lines: readonly string[]): string {
  if (lines.length === 0) return "";
  return `What happened:\n${lines.map((l, i) => `  ${i + 1}. ${l}`).join("\n")}\n`;
}

/** Milliseconds with at most three decimals, no trailing zeros. */
export function formatMs(ms: number): string {
  return String(Number(ms.toFixed(3)));
}
