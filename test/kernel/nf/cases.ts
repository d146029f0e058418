/**
 * The netfilter differential cases: generated from a seed (one stream per family) plus the
 * hand-written ones, reproducible and listable.
 *
 *   npx tsx test/kernel/nf/cases.ts --list [--seed S]    every case: name, what it exercises, steps
 *   npx tsx test/kernel/nf/cases.ts --counts [--seed S]  how many cases exercise each match / target
 *   npx tsx test/kernel/nf/cases.ts --show NAME          one case's ruleset and commands
 *
 * PODPATH_NF_SEED overrides the default seed in the tests.
 */
import { pathToFileURL } from "node:url";
import type { NfCase } from "./case.js";
import { features } from "./coverage.js";
import { chainCases, policyCases } from "./gen-chains.js";
import { dstCases, fragCases, ifaceCases, protoCases, srcCases } from "./gen-header.js";
import { icmpCases, multiportCases, tcpCases, udpCases } from "./gen-l4.js";
import { addrtypeCases, commentCases, physdevCases, recentCases, statisticCases } from "./gen-misc.js";
import { dnatCases, masqueradeCases, redirectCases, snatCases } from "./gen-nat.js";
import { conntrackCases, markCases, stateCases } from "./gen-state.js";
import { logCases, markerCases, notrackCases, rejectCases } from "./gen-targets.js";
import { DEFAULT_SEED } from "./gen.js";
import { handCases } from "./hand.js";

export function nfSeed(): string {
  return process.env["PODPATH_NF_SEED"] ?? DEFAULT_SEED;
}

export function allCases(seed: string = nfSeed()): NfCase[] {
  const cases = [
    ...srcCases(seed, 18),
    ...dstCases(seed, 18),
    ...protoCases(seed, 14),
    ...ifaceCases(seed, 20),
    ...fragCases(),
    ...tcpCases(seed, 22),
    ...udpCases(seed, 8),
    ...multiportCases(seed, 12),
    ...icmpCases(seed, 12),
    ...markCases(seed, 16),
    ...conntrackCases(seed, 20),
    ...stateCases(seed, 8),
    ...commentCases(seed, 5),
    ...addrtypeCases(seed, 12),
    ...statisticCases(seed, 10),
    ...recentCases(seed, 12),
    ...physdevCases(seed, 10),
    ...chainCases(seed, 24),
    ...policyCases(seed, 10),
    ...dnatCases(seed, 18),
    ...snatCases(seed, 10),
    ...masqueradeCases(seed, 10),
    ...redirectCases(seed, 6),
    ...rejectCases(seed, 24),
    ...logCases(seed, 6),
    ...notrackCases(seed, 10),
    ...markerCases(),
    ...handCases(),
  ];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
    seen.add(c.name);
  }
  return cases;
}

/** Feature → number of cases exercising it. */
export function featureCounts(cases: readonly NfCase[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of cases) for (const f of features(c.tables)) counts.set(f, (counts.get(f) ?? 0) + 1);
  return new Map([...counts.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}

function main(argv: readonly string[]): void {
  const seedAt = argv.indexOf("--seed");
  const seed = seedAt >= 0 ? (argv[seedAt + 1] ?? DEFAULT_SEED) : nfSeed();
  const cases = allCases(seed);
  const showAt = argv.indexOf("--show");
  if (showAt >= 0) {
    const c = cases.find((x) => x.name === argv[showAt + 1]);
    if (!c) {
      process.stderr.write(`no case named ${argv[showAt + 1] ?? ""}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`# ${c.name}: ${c.exercises.join(", ")}${c.note !== undefined ? `\n# ${c.note}` : ""}\n${c.tables}${c.steps.map((s) => `[${s.netns}]$ ${s.command}\n`).join("")}`);
    return;
  }
  if (argv.includes("--counts")) {
    for (const [f, n] of featureCounts(cases)) process.stdout.write(`${String(n).padStart(4)}  ${f}\n`);
    process.stdout.write(`${String(cases.length).padStart(4)}  cases (seed ${seed})\n`);
    return;
  }
  for (const c of cases) process.stdout.write(`${c.name.padEnd(40)} ${String(c.steps.length)} step(s)  ${c.exercises.join(", ")}\n`);
  process.stdout.write(`${cases.length} cases (seed ${seed})\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main(process.argv.slice(2));
