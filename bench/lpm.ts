/**
 * LPM benchmark suite: the fast range index (its range layout up to 100,000 prefixes, its bitmap
 * layout at 1,000,000) against the linear reference and two npm peers, on seeded DFZ-like tables
 * of 100, 5,000, 100,000 and 1,000,000 prefixes (bench/tables.ts).
 *
 * Every (implementation, size) runs in its own fresh process (bench/lpm-worker.ts, compiled to
 * JavaScript first and run by plain node; `--via-tsx` runs it under tsx instead); the fast table
 * runs in three, because placement in memory moves its figures by 10–30 % between processes. A
 * memory probe (random reads over arrays of 1 to 64 MiB, no LPM) comes first, so each run records
 * what the machine's memory could do at the time.
 * Ratios are against the fast table at the same size. Output: a readable table on stdout and
 * `.bench-out/lpm.json`.
 *
 * Peers:
 *  - linear: src/route/lpm-linear.ts, the reference scan over typed arrays; O(N) per lookup.
 *  - cidr-matcher 2.x: `contains(str)`, membership only (true/false, not which prefix): a scan
 *    with early exit after parsing the address with ip6addr.
 *  - ipaddr.js 2.x: the naive LPM one writes with it: `IPv4.parse(str)` once, then `match` against
 *    every `parseCIDR` range, keeping the longest.
 * O(N) peers time a reduced number of lookups per round (a fixed work budget, shown as "keys").
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import type { BennyResult, ImplId, MeasureJob, ProbeResult, WorkerResult } from "./lpm-worker.js";
import { ROOT, WORKER_MODE, compileWorkers, runWorker } from "./worker.js";

const SIZES = [100, 5_000, 100_000, 1_000_000] as const;
/** Array sizes for the memory probe: cache-resident, the fast table's size at 1 M prefixes (7.6 MiB), and DIR-24-8's. */
const PROBE_MIB = [1, 8, 16, 64];
/** The fixed part of a fast table's size allowed on top of 16 B/prefix (as in test/conformance/lpm.test.ts). */
const SIZE_CONSTANT = 1024;
/** Fresh processes for the fast table at each size. */
const FAST_PROCESSES = 3;

interface ImplPlan {
  readonly impl: ImplId;
  /** Lookups per round = budget / N (prefix checks per round), at least minKeys. */
  readonly budget?: number;
  readonly minKeys: number;
  /** Largest table this peer runs on, and why larger ones are skipped. */
  readonly maxN: number;
  readonly note: string;
}

const PLANS: readonly ImplPlan[] = [
  { impl: "fast", minKeys: 0, maxN: Infinity, note: "uint32 keys" },
  { impl: "linear", budget: 1e8, minKeys: 100, maxN: Infinity, note: "uint32 keys; O(N): reduced key count" },
  {
    impl: "cidr-matcher", budget: 5e7, minKeys: 50, maxN: Infinity,
    note: "membership only (boolean), string keys; O(N): reduced key count",
  },
  { impl: "ipaddr.js", budget: 1.5e7, minKeys: 20, maxN: Infinity, note: "naive scan, string keys; O(N): reduced key count" },
  {
    impl: "dir-24-8", minKeys: 0, maxN: Infinity,
    note: "calibration only (research §2's ~83 M/s at 1M): 64 MiB per table, not a candidate",
  },
];

/** Keys in the validation checksum: every implementation answers the same ones. */
function checkKeysFor(n: number): number {
  return n <= 5_000 ? 2_000 : n <= 100_000 ? 200 : 20;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface LpmRow {
  readonly impl: ImplId;
  readonly n: number;
  readonly skipped?: string;
  readonly lookupsPerSec?: { readonly min: number; readonly median: number; readonly max: number };
  /** Every timed round, grouped by process. */
  readonly ratesByProcess?: ReadonlyArray<readonly number[]>;
  readonly nsPerLookupMedian?: number;
  /** This implementation's median lookups/s divided by fast's at the same size. */
  readonly vsFast?: number;
  readonly buildMs?: number;
  readonly rebuildMs?: number;
  /** Per table, measured over `copies` tables built and kept. */
  readonly heapDeltaBytes?: number;
  readonly copies?: number;
  readonly heapBytesPerPrefix?: number;
  readonly rssDeltaBytes?: number;
  readonly reportedBytes?: number;
  readonly reportedBytesPerPrefix?: number;
  readonly lookupsPerRound?: number;
  readonly rounds?: number;
  readonly processes?: number;
  readonly hitRate?: number;
  readonly checksum?: number;
  readonly hits?: number;
  readonly checked?: number;
  readonly agrees?: boolean;
  readonly note: string;
}

function measureRow(plan: ImplPlan, n: number): LpmRow {
  if (n > plan.maxN) return { impl: plan.impl, n, skipped: `skipped above ${plan.maxN} prefixes`, note: plan.note };
  const processes = plan.impl === "fast" ? FAST_PROCESSES : 1;
  const job: MeasureJob = {
    mode: "measure",
    impl: plan.impl,
    n,
    rounds: 3,
    roundMs: 500,
    ...(plan.budget === undefined ? {} : { budget: plan.budget }),
    minKeys: plan.minKeys,
    checkKeys: checkKeysFor(n),
  };
  const runs: WorkerResult[] = [];
  for (let p = 0; p < processes; p++) runs.push(runWorker<WorkerResult>("lpm-worker", job));
  const rates = runs.flatMap((r) => r.rates);
  const first = runs[0]!;
  const heapDelta = median(runs.map((r) => r.heapDelta));
  const reported = first.reportedBytes;
  const rebuilds = runs.map((r) => r.rebuildMs);
  return {
    impl: plan.impl,
    n,
    lookupsPerSec: { min: Math.min(...rates), median: median(rates), max: Math.max(...rates) },
    ratesByProcess: runs.map((r) => r.rates),
    nsPerLookupMedian: 1e9 / median(rates),
    buildMs: median(runs.map((r) => r.buildMs)),
    rebuildMs: median(rebuilds),
    heapDeltaBytes: heapDelta,
    copies: first.copies,
    heapBytesPerPrefix: heapDelta / n,
    rssDeltaBytes: median(runs.map((r) => r.rssDelta)),
    ...(reported === undefined ? {} : { reportedBytes: reported, reportedBytesPerPrefix: reported / n }),
    lookupsPerRound: first.lookupsPerRound,
    rounds: rates.length,
    processes,
    ...(first.hitRate === undefined ? {} : { hitRate: first.hitRate }),
    checksum: first.checksum,
    hits: first.hits,
    checked: first.checked,
    note: plan.note,
  };
}

/** Same answers on the validation keys: LPM implementations by checksum, cidr-matcher by hit count. */
function withAgreement(rows: readonly LpmRow[]): LpmRow[] {
  const fast = rows.find((r) => r.impl === "fast");
  return rows.map((r) => {
    if (r.skipped !== undefined || fast === undefined) return r;
    const agrees = r.impl === "cidr-matcher" ? r.hits === fast.hits : r.checksum === fast.checksum && r.hits === fast.hits;
    return { ...r, agrees };
  });
}

function withRatios(rows: readonly LpmRow[]): LpmRow[] {
  const fast = rows.find((r) => r.impl === "fast")?.lookupsPerSec?.median;
  return rows.map((r) =>
    r.lookupsPerSec === undefined || fast === undefined ? r : { ...r, vsFast: r.lookupsPerSec.median / fast },
  );
}

// ---- formatting ----

function rate(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(x >= 1e8 ? 0 : 1)} M/s`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(x >= 1e5 ? 0 : 1)} k/s`;
  return `${x.toFixed(x >= 100 ? 0 : 1)} /s`;
}

function ns(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} ms`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)} µs`;
  return `${x.toFixed(1)} ns`;
}

function ratio(x: number): string {
  if (x >= 0.995) return `${x.toFixed(2)}×`;
  const inv = 1 / x;
  return `1/${inv >= 100 ? Math.round(inv).toLocaleString("en-US") : inv.toFixed(1)}`;
}

function size(bytes: number): string {
  if (Math.abs(bytes) >= 1048576) return `${(bytes / 1048576).toFixed(1)} MiB`;
  if (Math.abs(bytes) >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function printSize(n: number, rows: readonly LpmRow[]): void {
  const hit = rows.find((r) => r.impl === "fast")?.hitRate;
  console.log(`\nN = ${n.toLocaleString("en-US")} prefixes${hit === undefined ? "" : ` (${(hit * 100).toFixed(1)} % of keys match a prefix)`}`);
  console.log(
    table(
      ["impl", "lookups/s med", "min … max", "ns/lookup", "vs fast", "build ms", "heap Δ/table", "B/prefix", "bytes() B/prefix", "keys", "agree", "note"],
      rows.map((r) =>
        r.skipped !== undefined || r.lookupsPerSec === undefined
          ? [r.impl, "—", "", "", "", "", "", "", "", "", "", r.skipped ?? ""]
          : [
            r.impl,
            rate(r.lookupsPerSec.median),
            `${rate(r.lookupsPerSec.min)} … ${rate(r.lookupsPerSec.max)}`,
            ns(r.nsPerLookupMedian ?? 0),
            r.vsFast === undefined ? "" : ratio(r.vsFast),
            `${(r.buildMs ?? 0).toFixed(1)}${r.rebuildMs === undefined ? "" : ` (${r.rebuildMs.toFixed(1)})`}`,
            size(r.heapDeltaBytes ?? 0),
            (r.heapBytesPerPrefix ?? 0).toFixed(1),
            r.reportedBytesPerPrefix === undefined ? "" : r.reportedBytesPerPrefix.toFixed(1),
            r.lookupsPerRound === 1 << 20 ? "all" : (r.lookupsPerRound ?? 0).toLocaleString("en-US"),
            r.agrees === undefined ? "" : r.agrees ? "yes" : "NO",
            r.note,
          ],
      ),
    ),
  );
}

export interface LpmSuiteOptions {
  /** Skip the benny cross-check. */
  readonly noBenny?: boolean;
}

export async function runLpmSuite(options: LpmSuiteOptions = {}): Promise<void> {
  const started = new Date();
  const loadBefore = os.loadavg();
  console.log("LPM lookup benchmark — seeded DFZ-like tables (bench/tables.ts); keys: 2^20, half inside a random");
  console.log("table prefix, half uniform in 1.0.0.0–223.255.255.255. fast/linear take uint32 keys, the npm peers");
  console.log("dotted-quad strings (their API). Each row is a fresh process (fast: 3 processes × 3 rounds of ≥0.5 s);");
  console.log("O(N) peers time a reduced number of keys per round (column 'keys': a fixed work budget / N).");
  console.log("vs fast = lookups/s ÷ fast's lookups/s. build ms = first build in the process (JIT cold), then warm");
  console.log("builds in parentheses. heap Δ = Δ(heapUsed + arrayBuffers) per table after forced GC, over 200,000/N");
  console.log("warm-built tables kept alive (1 to 1,000), so compiled code is not counted; bytes() = the table's own estimate.");
  console.log(`machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, node ${process.version}, load average ${loadBefore.map((x) => x.toFixed(2)).join(" ")}`);
  compileWorkers();
  console.log(`workers: ${WORKER_MODE === "compiled" ? "compiled with tsc to .bench-out/js, run by plain node" : "TypeScript under tsx (--via-tsx)"}`);
  const memory = runWorker<ProbeResult>("lpm-worker", { mode: "probe", sizesMiB: PROBE_MIB });
  console.log("memory probe (no LPM; best of 3 rounds): independent random 4-byte reads/s, and the latency of a dependent read");
  console.log(`  ${memory.rows.map((r) => `${r.mib} MiB: ${rate(r.readsPerSec)}, ${r.dependentNs.toFixed(0)} ns`).join(" | ")}`);

  const results: LpmRow[] = [];
  for (const n of SIZES) {
    const rows = withRatios(withAgreement(PLANS.map((p) => measureRow(p, n))));
    printSize(n, rows);
    results.push(...rows);
  }

  let benny: BennyResult | undefined;
  if (options.noBenny !== true) {
    benny = runWorker<BennyResult>("lpm-worker", { mode: "benny", n: 5_000, maxTime: 1.5 });
    const fastOps = benny.cases.find((c) => c.impl === "fast")?.lookupsPerSec ?? NaN;
    console.log(`\nbenny (benchmark.js) cross-check, N = 5,000, one op = a batch of consecutive lookups. benny's test`);
    console.log("closures capture each table as a constant, so V8 folds the table's fields into the code: fast reads");
    console.log("higher here than above, where the table arrives as a parameter as it does in the simulator.");
    console.log(
      table(
        ["impl", "lookups/s", "± %", "samples", "batch", "vs fast", ""],
        benny.cases.map((c) => [c.impl, rate(c.lookupsPerSec), c.rme.toFixed(1), String(c.samples), String(c.batch), ratio(c.lookupsPerSec / fastOps), ""]),
      ),
    );
  }

  const fastAt = (n: number): number => results.find((r) => r.impl === "fast" && r.n === n)?.lookupsPerSec?.median ?? 0;
  const fastRow = (n: number): LpmRow | undefined => results.find((r) => r.impl === "fast" && r.n === n);
  const targets = [
    { what: "fast ≥ 50 M lookups/s at 1,000,000 prefixes", ok: fastAt(1_000_000) >= 50e6, got: rate(fastAt(1_000_000)) },
    { what: "fast ≥ 20 M lookups/s at 5,000 prefixes", ok: fastAt(5_000) >= 20e6, got: rate(fastAt(5_000)) },
    ...SIZES.map((n) => {
      const bytes = fastRow(n)?.reportedBytes ?? Infinity;
      const heap = fastRow(n)?.heapBytesPerPrefix ?? Infinity;
      return {
        what: `fast bytes() ≤ 16 B × N + ${SIZE_CONSTANT} B at N = ${n.toLocaleString("en-US")}`,
        ok: bytes <= 16 * n + SIZE_CONSTANT,
        got: `bytes() ${bytes.toLocaleString("en-US")} B = ${(bytes / n).toFixed(1)} B/prefix; heap Δ ${heap.toFixed(1)} B/prefix`,
      };
    }),
  ];
  const loadAfter = os.loadavg();
  console.log(`\ntargets (median of all rounds; load average now ${loadAfter.map((x) => x.toFixed(2)).join(" ")} on ${os.cpus().length} CPUs):`);
  for (const t of targets) console.log(`  ${t.ok ? "met    " : "NOT MET"}  ${t.what}: ${t.got}`);
  if (results.some((r) => r.agrees === false)) console.log("  WARNING: some implementation disagreed with fast on the validation keys (column 'agree').");

  mkdirSync(`${ROOT}.bench-out`, { recursive: true });
  const out = {
    suite: "lpm",
    command: WORKER_MODE === "compiled" ? "npm run bench -- lpm" : "npm run bench -- lpm --via-tsx",
    started: started.toISOString(),
    finished: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model ?? "?", cpus: os.cpus().length, node: process.version, loadBefore, loadAfter },
    workers: WORKER_MODE,
    memory: memory.rows,
    method: {
      tables: "bench/tables.ts makeTable(N): mulberry32(0xC0FFEE ^ N), DFZ-like length mix, uniform nets in 1.0.0.0–223.255.255.255",
      keys: "bench/tables.ts makeKeys(table, 2^20): even keys inside a random table prefix, odd keys uniform",
      fast: `${FAST_PROCESSES} fresh processes × 3 rounds, each looping over all keys for ≥ 0.5 s after a full warm-up pass`,
      oN: "1 fresh process × 3 rounds of lookupsPerRound keys (work budget / N)",
      memory: "Δ(heapUsed + arrayBuffers) per table after forced GCs (node --expose-gc), over `copies` warm-built tables kept alive",
    },
    results,
    benny,
    targets,
  };
  writeFileSync(`${ROOT}.bench-out/lpm.json`, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote .bench-out/lpm.json`);
}
