/**
 * Runs every netfilter case on the real kernel and writes what it answered (raw, not
 * normalized) to a JSON file, for whoever works on the simulator's netfilter engine:
 *
 *   npx tsx test/kernel/nf/observe.ts [--out /tmp/nf-kernel-observed.json] [--only PREFIX] [--reverse]
 *
 * `--reverse` runs the cases last to first: comparing two such files (after normalization) shows
 * whether any case's answer depends on the cases before it.
 *
 * Each entry: the case (ruleset text, steps), iptables-restore's exit code and stderr, what
 * iptables-save printed back for the case's tables, and per step exit code, stdout, stderr and
 * the time it took. Needs root, iproute2, iptables and conntrack.
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { cleanupStale } from "../names.js";
import { NF_TOOLS, REQUIRED_TOOLS, kernelAvailability } from "../tools.js";
import type { NfCase } from "./case.js";
import { allCases, nfSeed } from "./cases.js";
import { startNfKernel, type KernelCaseAnswer } from "./kernel-world.js";

export const DEFAULT_NF_OUT = "/tmp/nf-kernel-observed.json";

export interface ObservedNfCase {
  readonly case: NfCase;
  readonly kernel: KernelCaseAnswer;
  /** For cases in save form: whether iptables-save printed the case's text back unchanged. */
  readonly savedSameAsText?: boolean;
}

export async function observeAll(cases: readonly NfCase[], onCase?: (o: ObservedNfCase, i: number) => void): Promise<ObservedNfCase[]> {
  await cleanupStale();
  const k = await startNfKernel();
  const out: ObservedNfCase[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const a = await k.runCase(c);
      const o: ObservedNfCase = { case: c, kernel: a, ...(c.form === "save" ? { savedSameAsText: a.saved === c.tables } : {}) };
      out.push(o);
      onCase?.(o, i);
    }
  } finally {
    await k.teardown();
  }
  return out;
}

async function main(argv: readonly string[]): Promise<void> {
  const avail = kernelAvailability([...REQUIRED_TOOLS, ...NF_TOOLS]);
  if (!avail.usable) throw new Error(`cannot ask the kernel: ${avail.reason}`);
  const outAt = argv.indexOf("--out");
  const file = outAt >= 0 ? (argv[outAt + 1] ?? DEFAULT_NF_OUT) : DEFAULT_NF_OUT;
  const onlyAt = argv.indexOf("--only");
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? "") : "";
  const selected = allCases().filter((c) => c.name.startsWith(only));
  const cases = argv.includes("--reverse") ? selected.reverse() : selected;
  const t0 = Date.now();
  const observed = await observeAll(cases, (o, i) => {
    const bad = o.kernel.restore.exitCode !== 0 ? " (restore refused)" : o.savedSameAsText === false ? " (saved text differs)" : "";
    process.stderr.write(`${String(i + 1).padStart(3)}/${cases.length} ${o.case.name} ${o.kernel.elapsedMs} ms${bad}\n`);
  });
  writeFileSync(file, `${JSON.stringify({ seed: nfSeed(), totalMs: Date.now() - t0, cases: observed }, null, 1)}\n`);
  process.stderr.write(`wrote ${file}: ${observed.length} cases in ${Math.round((Date.now() - t0) / 1000)} s\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
