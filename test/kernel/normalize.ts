/**
 * What may legitimately differ between two runs of the same command: measured times.
 *
 * Owns the list of rewrites applied to real and simulated output alike before they are compared.
 * Each rule removes one kind of measurement and nothing else — no whitespace folding, no case
 * folding, no dropping of lines — so the comparison stays strict about everything the kernel
 * decides (which hop answered, which error, which address, how many packets).
 *
 *  - ping:        `time=0.045 ms`, `rtt min/avg/max/mdev = a/b/c/d ms`, `…packet loss, time 1001ms`
 *  - curl:        `after 3071 ms`, `after 2001 milliseconds`, progress-meter rows (times, speeds)
 *  - traceroute:  per-probe `0.059 ms` on hop lines
 *  - ip route get: `expires 297sec` on cached exceptions
 */

export interface NormalizeRule {
  readonly name: string;
  readonly apply: (text: string) => string;
}

const T = "<t>";

/** curl's progress meter: only the final state of each `\r`-rewritten row is kept, as a terminal shows it. */
const METER_ROW =
  /^ *\d{1,3} +[\d.]+[kMGTP]? +\d{1,3} +[\d.]+[kMGTP]? +\d{1,3} +[\d.]+[kMGTP]? +[\d.]+[kMGTP]? +[\d.]+[kMGTP]? +(?:--:--:--|[\d:]+) +(?:--:--:--|[\d:]+) +(?:--:--:--|[\d:]+) +[\d.]+[kMGTP]?$/;

export const RULES: readonly NormalizeRule[] = [
  {
    name: "curl progress meter",
    apply: (text) =>
      text
        .split("\n")
        .map((line) => {
          const parts = line.split("\r");
          const last = parts[parts.length - 1] ?? "";
          if (parts.length === 1 && !METER_ROW.test(line)) return line;
          // A meter row may be followed on the same line by what curl -v printed after it.
          const shown = parts.filter((p) => p !== "");
          const kept = shown.map((p) => (METER_ROW.test(p) ? "<progress>" : p));
          // Consecutive meter states collapse into one: how many updates happened depends on time.
          const collapsed = kept.filter((p, i) => !(p === "<progress>" && kept[i + 1] === "<progress>"));
          return collapsed.length === 0 ? last : collapsed.join("");
        })
        .join("\n"),
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
