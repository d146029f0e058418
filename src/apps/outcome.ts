/**
 * The outcome of a command, as a class a person would name: did the tool get its answer, or
 * which error ended it (docs/scenario-format.md, "Outcomes"). Scenario probes state it in
 * `expect.outcome`. The tool's own words decide first — its exit code, the strerror() text it
 * printed, the ICMP messages ping and traceroute print.
 *
 * Some tools do not say: curl ≥ 7.85 without -v prints `Couldn't connect to server` for every
 * failed connect(), nc without -v prints nothing, and `nc -u` exits 0 even when its datagram
 * drew a port unreachable. For those the caller may pass the errno the tool's socket saw
 * (`OutcomeHint`); `errnoFromTraces` reads it from a simulated run's traces.
 */
import type { Trace } from "../trace/types.js";
import { errnoOf } from "../sock/errors.js";
import { OUTCOMES } from "../netns/spec.js";


/** `unknown` when the output does not say which outcome it was. */
export type Outcome = (typeof OUTCOMES)[number] | "unknown";

export interface ToolOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface OutcomeHint {
  /** The errno the tool's socket saw (`EHOSTUNREACH`…), when the output does not say. */
  readonly errno?: string;
}

/** strerror() texts as glibc prints them, and the outcome each stands for. */
const ERRNO_TEXTS: readonly (readonly [string, Outcome])[] = [
  ["Connection refused", "refused"],
  ["Connection reset by peer", "refused"],
  ["Protocol not available", "refused"],
  ["No route to host", "no-route-to-host"],
  ["Host is down", "no-route-to-host"],
  ["Network is unreachable", "network-unreachable"],
  ["Connection timed out", "timeout"],
  ["Permission denied", "permission-denied"],
  ["Operation not permitted", "permission-denied"],
  ["Invalid argument", "invalid-argument"],
];

const ERRNO_NAMES: Readonly<Record<string, Outcome>> = {
  ECONNREFUSED: "refused",
  ECONNRESET: "refused",
  ENOPROTOOPT: "refused",
  EHOSTUNREACH: "no-route-to-host",
  EHOSTDOWN: "no-route-to-host",
  ENETUNREACH: "network-unreachable",
  ETIMEDOUT: "timeout",
  EACCES: "permission-denied",
  EPERM: "permission-denied",
  EINVAL: "invalid-argument",
};

/**
 * The ICMP error texts of iputils ping (pr_icmph). Administratively prohibited and filtered
 * (what a `prohibit` route or an iptables REJECT sends) read as permission-denied, the class
 * of the `prohibit` route itself; the errno a TCP socket would get for them is EHOSTUNREACH.
 */
const PING_ICMP_TEXTS: readonly (readonly [string, Outcome])[] = [
  ["Time to live exceeded", "ttl-exceeded"],
  ["Destination Net Unreachable", "network-unreachable"],
  ["Destination Net Unknown", "network-unreachable"],
  ["Destination Host Unreachable", "no-route-to-host"],
  ["Destination Host Unknown", "no-route-to-host"],
  ["Destination Net Prohibited", "permission-denied"],
  ["Destination Host Prohibited", "permission-denied"],
  ["Packet filtered", "permission-denied"],
  ["Destination Port Unreachable", "refused"],
  ["Destination Protocol Unreachable", "refused"],
];

/** traceroute's annotations after a hop's times (`!H`, `!N`, `!X`, `!P`, `!<code>`). */
const TRACEROUTE_MARKS: Readonly<Record<string, Outcome>> = {
  "!N": "network-unreachable",
  "!H": "no-route-to-host",
  "!X": "permission-denied",
  "!V": "no-route-to-host",
  "!C": "no-route-to-host",
  "!S": "no-route-to-host",
  "!P": "refused",
};

/** The exit code timeout(1) and the simulator use for a command stopped because it ran too long. */
const EXIT_STOPPED = 124;

export function classifyOutcome(command: string, result: ToolOutput, hint: OutcomeHint = {}): Outcome {
  const tool = toolName(command);
  switch (tool) {
    case "ping":
      return classifyPing(result);
    case "traceroute":
      return classifyTraceroute(result);
    case "curl":
      return classifyCurl(result, hint);
    default:
      return classifyGeneric(result, hint);
  }
}

export function outcomeOfErrno(errno: string): Outcome {
  return ERRNO_NAMES[errno] ?? "unknown";
}

/** The first errno text in `text`, by position (a verbose tool may print several lines). */
function errnoText(text: string): Outcome | undefined {
  let best: { at: number; outcome: Outcome } | undefined;
  for (const [needle, outcome] of ERRNO_TEXTS) {
    const at = text.indexOf(needle);
    if (at >= 0 && (!best || at < best.at)) best = { at, outcome };
  }
  return best?.outcome;
}

function classifyPing(r: ToolOutput): Outcome {
  if (r.exitCode === 0) return "delivered";
  // `From 10.0.0.1 icmp_seq=1 Time to live exceeded`: the first error line decides (a
  // redirect is advice, not an error).
  for (const line of r.stdout.split("\n")) {
    if (!/^From \S+ icmp_seq=\d+ /.test(line) || line.includes("Redirect")) continue;
    for (const [needle, outcome] of PING_ICMP_TEXTS) if (line.includes(needle)) return outcome;
    return "unknown";
  }
  // EACCES on connect(): iputils assumes a broadcast address or a firewall and says so.
  if (r.stderr.includes("Do you want to ping broadcast?")) return "permission-denied";
  // `ping: connect: Network is unreachable`, `ping: sendmsg: Operation not permitted`.
  const local = errnoText(r.stderr) ?? errnoText(r.stdout);
  if (local) return local;
  if (r.exitCode === 1 || r.exitCode === EXIT_STOPPED) return "timeout";
  return "unknown";
}

/**
 * `traceroute -n`: a hop line naming the destination means it was reached (UDP probes end
 * with its port unreachable); `!H`-style marks are ICMP errors from a router; hops that answer
 * without reaching it are time-exceeded replies; nothing but `*` is silence.
 */
function classifyTraceroute(r: ToolOutput): Outcome {
  const header = /^traceroute to \S+ \(([^)]+)\)/m.exec(r.stdout);
  const dst = header?.[1];
  const hops = r.stdout.split("\n").filter((l) => /^\s*\d+\s/.test(l));
  if (hops.length === 0) return errnoText(r.stderr) ?? "unknown";
  for (const hop of hops) {
    for (const mark of hop.match(/!\S*/g) ?? []) {
      const outcome = TRACEROUTE_MARKS[mark] ?? (/^!\d+$/.test(mark) ? "no-route-to-host" : undefined);
      if (outcome) return outcome;
    }
  }
  const addresses = (hop: string): string[] => hop.trim().split(/\s+/).slice(1).filter((w) => /^\d+\.\d+\.\d+\.\d+$/.test(w) || /^\(\d+\.\d+\.\d+\.\d+\)$/.test(w));
  if (dst !== undefined && hops.some((h) => addresses(h).some((a) => a === dst || a === `(${dst})`))) return "delivered";
  if (hops.some((h) => addresses(h).length > 0)) return "ttl-exceeded";
  return "timeout";
}

/** curl's exit codes: 7 could not connect, 28 timed out, 56 receive failure (a reset). */
function classifyCurl(r: ToolOutput, hint: OutcomeHint): Outcome {
  switch (r.exitCode) {
    case 0:
    case 22: // -f and an HTTP error status: the server answered
      return "delivered";
    case 28:
    case EXIT_STOPPED:
      return "timeout";
    case 7:
    case 56:
      return errnoText(r.stderr) ?? hinted(hint) ?? "unknown";
    default:
      return errnoText(r.stderr) ?? "unknown";
  }
}

/**
 * nc, ip, bridge and anything else: an errno the tool printed decides; then the errno its socket
 * saw (nc -u exits 0 even when the datagram drew a port unreachable); then exit 0 is an answer.
 */
function classifyGeneric(r: ToolOutput, hint: OutcomeHint): Outcome {
  const text = errnoText(r.stderr) ?? (r.exitCode !== 0 ? errnoText(r.stdout) : undefined);
  if (text) return text;
  const seen = hinted(hint);
  if (seen) return seen;
  if (r.exitCode === 0) return "delivered";
  if (r.exitCode === EXIT_STOPPED || /\btimed out\b/.test(r.stderr)) return "timeout";
  return "unknown";
}

function hinted(hint: OutcomeHint): Outcome | undefined {
  if (hint.errno === undefined) return undefined;
  const o = outcomeOfErrno(hint.errno);
  return o === "unknown" ? undefined : o;
}

/** The tool whose output this is: the last command of a pipeline (`echo hi | nc -u …`). */
function toolName(command: string): string {
  const last = command.split("|").pop() ?? "";
  const first = last.trim().split(/\s+/)[0] ?? "";
  return first.slice(first.lastIndexOf("/") + 1);
}

/**
 * The errno the command's own socket most likely saw, read from a simulated run's traces: the
 * first packet the command sent (a trace with no cause) that failed where the sender learns of
 * it — a local route or neighbour failure, an ICMP error that made it back, a TCP reset
 * answering it, or its own host's OUTPUT or POSTROUTING dropping a datagram (sendmsg() fails
 * with EPERM; a TCP connect just retransmits its SYN). Undefined when nothing failed or nothing
 * came back.
 */
/** A TCP segment's summary line (wire/format.ts): `IP a.p > b.q: Flags [S], …`. */
const TCP_SUMMARY = /: Flags \[/;

export function errnoFromTraces(traces: readonly Trace[]): string | undefined {
  const byId = new Map(traces.map((t) => [t.id, t]));
  const delivered = (id: number | undefined): boolean => id !== undefined && byId.get(id)?.disposition?.kind === "delivered";
  for (const t of traces) {
    if (t.cause !== undefined || t.origin === "arp") continue;
    const home = t.hops[0]?.node;
    const d = t.disposition;
    if (d && (d.kind === "no-route" || d.kind === "route-rejected") && (home === undefined || d.at.node === home)) return d.errno;
    if (d?.kind === "neigh-failed" && d.at.node === home) return "EHOSTUNREACH";
    for (const hop of t.hops) {
      for (const s of hop.steps) {
        if (s.kind === "icmp-sent" && delivered(s.trace)) {
          const errno = errnoOf(s.type, s.code);
          if (errno !== undefined) return errno;
        }
      }
    }
    const reset = traces.find((r) => r.cause === t.id && r.origin === "tcp reset" && r.disposition?.kind === "delivered");
    if (reset) return "ECONNREFUSED";
    const ownHook = d?.kind === "nf-drop" && d.at.node === home && (d.at.stage === "OUTPUT" || d.at.stage === "POSTROUTING");
    if (ownHook && !TCP_SUMMARY.test(t.packet)) return "EPERM";
  }
  return undefined;
}
