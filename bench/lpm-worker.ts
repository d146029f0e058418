/**
 * One LPM measurement in a fresh process (spawned by bench/lpm.ts), so every implementation
 * starts with a cold JIT, a clean heap and call sites that only ever see its own code.
 *
 *   node --expose-gc .bench-out/js/bench/lpm-worker.js '<json WorkerJob>'
 *
 * bench/lpm.ts first compiles this file and what it imports to .bench-out/js (bench/tsconfig.worker.json)
 * and runs the JavaScript with plain node, not under tsx: once tsx has transformed a module, V8's
 * optimised code carries a detached-ArrayBuffer check on every typed-array access in the process
 * (see bench/README.md), which slowed every row by 5–30 %.
 *
 * Prints one JSON line (`WorkerResult`) on stdout. The steps: generate the seeded table and keys,
 * take a memory snapshot after forced GC, time the build, snapshot again, compute a validation
 * checksum (untimed), warm up, then time lookups in rounds.
 */
import b from "benny";
import CidrMatcher from "cidr-matcher";
import ipaddr from "ipaddr.js";
import { buildFastLpm, buildLinearLpm, type Lpm, type LpmEntry } from "../src/route/lpm.js";
import { buildDir248 } from "./dir248.js";
import { formatIpv4, makeKeys, makeTable, mulberry32 } from "./tables.js";

export type ImplId = "fast" | "linear" | "cidr-matcher" | "ipaddr.js" | "dir-24-8";

export interface MeasureJob {
  readonly mode: "measure";
  readonly impl: ImplId;
  readonly n: number;
  /** Timed rounds in this process. */
  readonly rounds: number;
  /** O(1)-ish implementations: each round loops over the keys for at least this long. */
  readonly roundMs: number;
  /** O(N) implementations: lookups per round = clamp(budget / n, minKeys, keys); undefined = loop like fast. */
  readonly budget?: number;
  readonly minKeys: number;
  /** Keys whose results go into the validation checksum. */
  readonly checkKeys: number;
}

export interface BennyJob {
  readonly mode: "benny";
  readonly n: number;
  readonly maxTime: number;
}

/** The machine's memory, measured without any LPM: what the rows above can be compared against. */
export interface ProbeJob {
  readonly mode: "probe";
  /** Array sizes in MiB. */
  readonly sizesMiB: readonly number[];
}

export type WorkerJob = MeasureJob | BennyJob | ProbeJob;

export interface WorkerResult {
  readonly impl: ImplId;
  readonly n: number;
  /** Lookups per second, one per round. */
  readonly rates: readonly number[];
  /** Lookups in each timed round (for O(N) implementations, the reduced key count). */
  readonly lookupsPerRound: number;
  /** The first build in the process (includes compiling the builder). */
  readonly buildMs: number;
  /** Warm build time: the average over `copies` builds (fast at 100k+: median of three builds). */
  readonly rebuildMs: number;
  /** Δ(heapUsed + arrayBuffers) across the warm builds, after forced GC, per copy. */
  readonly heapDelta: number;
  readonly rssDelta: number;
  /** Tables built and kept for the memory figure (200,000 / N, 1 to 1,000; DIR-24-8: 1). */
  readonly copies: number;
  /** What the structure reports about itself (`Lpm.bytes()`), when it can. */
  readonly reportedBytes?: number;
  /** Share of all keys that match a prefix (looping implementations only). */
  readonly hitRate?: number;
  /** Sum of (result + 1) over the first `checked` keys, and how many of them matched. */
  readonly checksum: number;
  readonly hits: number;
  readonly checked: number;
}

export interface ProbeRow {
  readonly mib: number;
  /** Independent random 4-byte reads per second (one read per key; a DIR-24-8 lookup is one such read). */
  readonly readsPerSec: number;
  /** Time of one read whose address depends on the previous read (pointer chase over cache lines). */
  readonly dependentNs: number;
}

export interface ProbeResult {
  readonly rows: readonly ProbeRow[];
}

export interface BennyCase {
  readonly impl: ImplId;
  readonly batch: number;
  readonly opsPerSec: number;
  readonly lookupsPerSec: number;
  readonly rme: number;
  readonly samples: number;
}

export interface BennyResult {
  readonly n: number;
  readonly cases: readonly BennyCase[];
}

const KEY_COUNT = 1 << 20;

declare const gc: (() => void) | undefined;

/**
 * heapUsed + arrayBuffers after forced GC. V8 frees array-buffer backing stores on a background
 * sweeper, so collect, give it a moment, and collect again before reading.
 */
async function heapNow(): Promise<{ heap: number; rss: number }> {
  for (let i = 0; i < 3; i++) {
    if (typeof gc === "function") gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
}

function cidrText(e: LpmEntry): string {
  return `${formatIpv4(e.net)}/${e.len}`;
}

/** A naive LPM the way one would write it with ipaddr.js: parse the address, `match` every range. */
class IpaddrScan {
  private readonly ranges: Array<[ipaddr.IPv4, number]>;
  private readonly values: number[];

  constructor(cidrs: readonly string[], values: readonly number[]) {
    this.ranges = cidrs.map((c) => ipaddr.IPv4.parseCIDR(c));
    this.values = [...values];
  }

  lookup(text: string): number {
    const a = ipaddr.IPv4.parse(text);
    let best = -1;
    let bestLen = -1;
    for (let i = 0; i < this.ranges.length; i++) {
      const r = this.ranges[i]!;
      if (r[1] > bestLen && a.match(r)) {
        best = this.values[i]!;
        bestLen = r[1];
      }
    }
    return best;
  }
}

// One timing loop per kind of key, so each process's hot loop is monomorphic.
function loopNumbers(lpm: Lpm, keys: Uint32Array, count: number): number {
  let s = 0;
  for (let i = 0; i < count; i++) s = (s + lpm.lookup(keys[i]!)) | 0;
  return s;
}

function loopCidrMatcher(m: CidrMatcher, keys: readonly string[], count: number): number {
  let s = 0;
  for (let i = 0; i < count; i++) if (m.contains(keys[i]!)) s++;
  return s;
}

function loopIpaddr(scan: IpaddrScan, keys: readonly string[], count: number): number {
  let s = 0;
  for (let i = 0; i < count; i++) s = (s + scan.lookup(keys[i]!)) | 0;
  return s;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

let sink = 0; // keeps results observable so no loop is optimised away

/** What one process measures: a built structure, asked with numbers or with strings. */
type Subject =
  | { readonly kind: "numbers"; readonly lpm: Lpm }
  | { readonly kind: "cidr-matcher"; readonly matcher: CidrMatcher }
  | { readonly kind: "ipaddr.js"; readonly scan: IpaddrScan };

function buildSubject(impl: ImplId, table: readonly LpmEntry[], cidrs: readonly string[]): Subject {
  switch (impl) {
    case "fast": return { kind: "numbers", lpm: buildFastLpm(table) };
    case "linear": return { kind: "numbers", lpm: buildLinearLpm(table) };
    case "dir-24-8": return { kind: "numbers", lpm: buildDir248(table) };
    case "cidr-matcher": return { kind: "cidr-matcher", matcher: new CidrMatcher(cidrs) };
    case "ipaddr.js": return { kind: "ipaddr.js", scan: new IpaddrScan(cidrs, table.map((e) => e.value)) };
  }
}

/** Looks up the first `count` keys; returns a checksum so the work cannot be optimised away. */
function runKeys(s: Subject, keys: Uint32Array, keyText: readonly string[], count: number): number {
  switch (s.kind) {
    case "numbers": return loopNumbers(s.lpm, keys, count);
    case "cidr-matcher": return loopCidrMatcher(s.matcher, keyText, count);
    case "ipaddr.js": return loopIpaddr(s.scan, keyText, count);
  }
}

/** One answer as an LPM value (cidr-matcher: 0 for "contained", -1 for not). */
function answer(s: Subject, keys: Uint32Array, keyText: readonly string[], i: number): number {
  switch (s.kind) {
    case "numbers": return s.lpm.lookup(keys[i]!);
    case "cidr-matcher": return s.matcher.contains(keyText[i]!) ? 0 : -1;
    case "ipaddr.js": return s.scan.lookup(keyText[i]!);
  }
}

async function measure(job: MeasureJob): Promise<WorkerResult> {
  const table = makeTable(job.n);
  const keys = makeKeys(table, KEY_COUNT);
  const perRound =
    job.budget === undefined ? KEY_COUNT : Math.max(job.minKeys, Math.min(KEY_COUNT, Math.floor(job.budget / Math.max(1, job.n))));
  const stringKeys = job.impl === "cidr-matcher" || job.impl === "ipaddr.js";
  const keyText = stringKeys ? Array.from(keys.subarray(0, Math.max(perRound, job.checkKeys)), formatIpv4) : [];
  const cidrs = stringKeys ? table.map(cidrText) : [];

  // First build: cold (includes compiling the builder), then dropped. Then `copies` warm builds,
  // all kept: their average time is the warm build time, and their memory (per copy) the size, so
  // compiled code and type feedback are not counted as table and small tables rise above GC noise.
  let t = performance.now();
  buildSubject(job.impl, table, cidrs);
  const buildMs = performance.now() - t;
  // (DIR-24-8 is 64 MiB whatever its size: one copy.)
  const copies = job.impl === "dir-24-8" ? 1 : Math.max(1, Math.min(1000, Math.floor(200_000 / Math.max(1, job.n))));
  const m0 = await heapNow();
  t = performance.now();
  let kept: Subject[] = [];
  for (let c = 0; c < copies; c++) kept.push(buildSubject(job.impl, table, cidrs));
  const rebuilds = [(performance.now() - t) / copies];
  const m1 = await heapNow();
  const s = kept[0]!;
  kept = [];
  if (job.impl === "fast" && copies === 1) {
    for (let i = 0; i < 2; i++) {
      t = performance.now();
      sink += buildFastLpm(table).size;
      rebuilds.push(performance.now() - t);
    }
  }

  // Validation (untimed): the same keys for every implementation at this size.
  const checked = Math.min(job.checkKeys, KEY_COUNT);
  let checksum = 0;
  let hits = 0;
  for (let i = 0; i < checked; i++) {
    const r = answer(s, keys, keyText, i);
    checksum += r + 1;
    if (r >= 0) hits++;
  }

  // Share of all keys that match some prefix (fast-looping implementations only: untimed, cheap).
  let matched = 0;
  if (s.kind === "numbers" && job.budget === undefined) for (const k of keys) if (s.lpm.lookup(k) >= 0) matched++;

  const round = (): number => {
    const start = performance.now();
    let done = 0;
    do {
      sink ^= runKeys(s, keys, keyText, perRound);
      done += perRound;
    } while (job.budget === undefined && performance.now() - start < job.roundMs);
    return done / ((performance.now() - start) / 1000);
  };
  // Warm-up: a full pass for the looping implementations, a short one for O(N) scans.
  sink ^= runKeys(s, keys, keyText, job.budget === undefined ? KEY_COUNT : Math.min(perRound, 64));
  const rates: number[] = [];
  for (let r = 0; r < job.rounds; r++) rates.push(round());

  return {
    impl: job.impl,
    n: job.n,
    rates,
    lookupsPerRound: perRound,
    buildMs,
    rebuildMs: median(rebuilds),
    heapDelta: (m1.heap - m0.heap) / copies,
    rssDelta: (m1.rss - m0.rss) / copies,
    copies,
    ...(s.kind === "numbers" ? { reportedBytes: s.lpm.bytes() } : {}),
    ...(matched > 0 ? { hitRate: matched / KEY_COUNT } : {}),
    checksum,
    hits,
    checked,
  };
}

/**
 * The benny (benchmark.js) cross-check: the same four implementations at one size. One benny op
 * is a batch of lookups over consecutive keys (one lookup per op would measure benny's own call
 * overhead for the fast table), so lookups/s = ops/s × batch.
 */
async function runBenny(job: BennyJob): Promise<BennyResult> {
  const table = makeTable(job.n);
  const keys = makeKeys(table, KEY_COUNT);
  const keyText = Array.from(keys.subarray(0, 4096), formatIpv4);
  const cidrs = table.map(cidrText);
  const fast = buildFastLpm(table);
  const linear = buildLinearLpm(table);
  const matcher = new CidrMatcher(cidrs);
  const scan = new IpaddrScan(cidrs, table.map((e) => e.value));
  const batches = { fast: 4096, linear: 16, "cidr-matcher": 16, "ipaddr.js": 4 } as const;
  const cursor = { fast: 0, linear: 0, cm: 0, ip: 0 };
  const next = (at: number, batch: number, len: number): number => (at + batch >= len ? 0 : at + batch);
  const options = { maxTime: job.maxTime, minSamples: 5 };
  const summary = await b.suite(
    `LPM, ${job.n} prefixes`,
    b.add("fast", () => {
      const at = cursor.fast;
      let s = 0;
      for (let i = at; i < at + batches.fast; i++) s = (s + fast.lookup(keys[i]!)) | 0;
      cursor.fast = next(at, batches.fast, KEY_COUNT);
      sink ^= s;
    }, options),
    b.add("linear", () => {
      const at = cursor.linear;
      let s = 0;
      for (let i = at; i < at + batches.linear; i++) s = (s + linear.lookup(keys[i]!)) | 0;
      cursor.linear = next(at, batches.linear, KEY_COUNT);
      sink ^= s;
    }, options),
    b.add("cidr-matcher", () => {
      const at = cursor.cm;
      let s = 0;
      for (let i = at; i < at + batches["cidr-matcher"]; i++) if (matcher.contains(keyText[i]!)) s++;
      cursor.cm = next(at, batches["cidr-matcher"], keyText.length);
      sink ^= s;
    }, options),
    b.add("ipaddr.js", () => {
      const at = cursor.ip;
      let s = 0;
      for (let i = at; i < at + batches["ipaddr.js"]; i++) s = (s + scan.lookup(keyText[i]!)) | 0;
      cursor.ip = next(at, batches["ipaddr.js"], keyText.length);
      sink ^= s;
    }, options),
  );
  const names = ["fast", "linear", "cidr-matcher", "ipaddr.js"] as const;
  return {
    n: job.n,
    cases: summary.results.map((r, i) => {
      const impl = names[i]!;
      return {
        impl,
        batch: batches[impl],
        opsPerSec: r.ops,
        lookupsPerSec: r.ops * batches[impl],
        rme: r.margin,
        samples: r.samples,
      };
    }),
  };
}

// The probe's loops: a table of 2^p words, indexed by the low bits of random keys.
function probeReads(table: Int32Array, keys: Uint32Array, mask: number): number {
  let s = 0;
  for (let i = 0; i < keys.length; i++) s = (s + table[keys[i]! & mask]!) | 0;
  return s;
}

function probeChase(table: Int32Array, steps: number): number {
  let p = 0;
  for (let i = 0; i < steps; i++) p = table[p]!;
  return p;
}

/**
 * Independent random reads (the throughput a one-read lookup such as DIR-24-8 can reach at most)
 * and dependent reads (a random cyclic walk over cache lines: the latency a chain of misses pays),
 * over arrays of each size. Best of three 0.3 s rounds, so the figure shows the machine when least disturbed.
 */
function probe(job: ProbeJob): ProbeResult {
  const rand = mulberry32(0x9e3779b9);
  const keys = new Uint32Array(KEY_COUNT);
  for (let i = 0; i < keys.length; i++) keys[i] = rand();
  const rows: ProbeRow[] = [];
  for (const mib of job.sizesMiB) {
    const words = 2 ** Math.round(Math.log2(mib * 262_144));
    const table = new Int32Array(words);
    // One word per cache line links to the next line of a random cyclic order of all lines.
    const lines = words >>> 4;
    const order = new Int32Array(lines);
    for (let i = 0; i < lines; i++) order[i] = i;
    for (let i = lines - 1; i > 0; i--) {
      const j = rand() % (i + 1);
      const x = order[i]!;
      order[i] = order[j]!;
      order[j] = x;
    }
    for (let i = 0; i < lines; i++) table[order[i]! * 16] = order[(i + 1) % lines]! * 16;
    sink ^= probeReads(table, keys, words - 1);
    let reads = 0;
    for (let r = 0; r < 3; r++) {
      const start = performance.now();
      let done = 0;
      do {
        sink ^= probeReads(table, keys, words - 1);
        done += keys.length;
      } while (performance.now() - start < 300);
      reads = Math.max(reads, done / ((performance.now() - start) / 1000));
    }
    const steps = 1 << 21;
    sink ^= probeChase(table, steps);
    let dependentNs = Infinity;
    for (let r = 0; r < 3; r++) {
      const start = performance.now();
      sink ^= probeChase(table, steps);
      dependentNs = Math.min(dependentNs, ((performance.now() - start) * 1e6) / steps);
    }
    rows.push({ mib: (words * 4) / 1048576, readsPerSec: reads, dependentNs });
  }
  return { rows };
}

const arg = process.argv[2];
if (arg !== undefined) {
  const job = JSON.parse(arg) as WorkerJob;
  const out = job.mode === "measure" ? await measure(job) : job.mode === "benny" ? await runBenny(job) : probe(job);
  process.stdout.write(`${JSON.stringify(out)}\n`);
  if (sink === 0.5) process.stdout.write("\n"); // never true; reads `sink` once more
}
