/**
 * What may legitimately differ between two runs of the same command: measured times.
 *
 * Owns the list of rewrites applied to real and simulated output alike before they are compared.
 * Each rule removes one kind of measurement and nothing else — no whitespace folding, no case
 * folding, no dropping of lines — so the comparison stays strict about everything the kernel
 * decides (which hop answered, which error, which address, how many packets).
 *
 *  - ping:        `time=0.045 ms`, `rtt min/avg/max/mdev = a/b/c/d ms`, `…packet loss, time 1001ms`
 *  - curl:        `after 3071 ms`, `after 2001 milliseconds`; progress-meter rows: speeds and
 *                 times, and how many rows a wait produced (one per second)
 *  - traceroute:  per-probe `0.059 ms` on hop lines
 *  - ip route get: `expires 297sec` on cached exceptions
 */

export interface NormalizeRule {
  readonly name: string;
  readonly apply: (text: string) => string;
}

const T = "<t>";

/**
 * One row of curl's progress meter, as progress.c prints it after a `\r`:
 * `%3d %5s  %3d %5s  %3d %5s  %5s  %5s %8s %8s %8s %5s` — percentages and sizes, then the
 * average speeds, the times (total, spent, left) and the current speed.
 */
const F5 = "[^\\r\\n]{5}";
const F8 = "[^\\r\\n]{8}";
const PCT = "[ \\d]{2}\\d";
const METER_ROW = `${PCT} ${F5}  ${PCT} ${F5}  ${PCT} ${F5}  ${F5}  ${F5} ${F8} ${F8} ${F8} ${F5}`;
const METER_RUN = new RegExp(`(?:\\r${METER_ROW})+`, "g");
/** Width of the percentages and sizes at the start of a row (what is kept of it). */
const METER_SIZES = 31;

export const RULES: readonly NormalizeRule[] = [
  {
    // A run of rows (one per second while waiting) becomes its last row; of that row the
    // percentages and byte counts stay, the speeds and times go.
    name: "curl progress meter",
    apply: (text) =>
      text.replace(METER_RUN, (run) => {
        const rows = run.split("\r");
        const last = rows[rows.length - 1] ?? "";
        return `\r${last.slice(0, METER_SIZES)}  <speeds and times>`;
      }),
  },
  { name: "ping rtt", apply: (text) => text.replace(/\btime=\d+(?:\.\d+)? ms\b/g, `time=${T} ms`) },
  {
    name: "ping rtt summary",
    apply: (text) => text.replace(/^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/gm, `rtt min/avg/max/mdev = ${T}/${T}/${T}/${T} ms`),
  },
  { name: "ping total time", apply: (text) => text.replace(/(packet loss, time )\d+ms$/gm, `$1${T}ms`) },
  { name: "curl elapsed", apply: (text) => text.replace(/\bafter \d+ (ms|milliseconds)\b/g, `after ${T} $1`) },
  {
    name: "traceroute probe times",
    apply: (text) => text.replace(/^ ?\d+ .*$/gm, (line) => line.replace(/\b\d+\.\d+ ms\b/g, `${T} ms`)),
  },
  { name: "route cache expiry", apply: (text) => text.replace(/\bexpires \d+sec\b/g, `expires ${T}sec`) },
];

export function normalizeOutput(text: string): string {
  let out = text;
  for (const r of RULES) out = r.apply(out);
  return out;
}
