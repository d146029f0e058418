/**
 * The kernel's side of the netfilter cases: the topology built once in real namespaces
 * (materialize.ts), then for each case
 *
 *   1. `iptables-restore` of empty tables (ACCEPT policies) into the router, then a wait until
 *      /proc/net/xt_recent/ is empty: a `recent` list lives as long as some rule names it, and
 *      iptables-nft adds a restore's new rules before it frees the old ones (freeing is
 *      deferred to a work queue), so restoring the next case directly would hand it the
 *      previous case's list — its entries and even its --mask, which is fixed when the list
 *      is created;
 *   2. `iptables-restore` of the case: its tables, and empty versions of the others;
 *   3. `iptables-save` read back (so a case can be checked to be in the kernel's own form);
 *   4. `conntrack -F` in the router, so no connection of an earlier case is ESTABLISHED here;
 *   5. the case's commands, one after the other, each answer recorded.
 *
 * `statistic --mode nth` counters belong to rule instances and start over with the new rules.
 * ARP entries survive from case to case, which changes no tool's output (only timings, which
 * normalize.ts removes).
 *
 * Nothing here imports the simulator.
 */
import type { TableName } from "../../../src/netfilter/rule.js";
import { TABLE_NAMES } from "../../../src/netfilter/rule.js";
import { materialize, type RealWorld } from "../materialize.js";
import type { Answer } from "../oracle.js";
import { run } from "../run.js";
import { emptyTable, tablesNamed, type NfCase } from "./case.js";
import { RULES_NS, brNetfilterLoaded, topology } from "./topology.js";

/** A command's harness timeout; every case command ends on its own within ~3 s. */
export const STEP_TIMEOUT_MS = 15_000;
const RECENT_POLL_MS = 20;

export interface StepAnswer extends Answer {
  readonly netns: string;
  readonly command: string;
  readonly elapsedMs: number;
  readonly timedOut: boolean;
}

export interface KernelCaseAnswer {
  readonly name: string;
  /** iptables-restore's exit code and stderr (0 and empty when the kernel took the ruleset). */
  readonly restore: { readonly exitCode: number; readonly stderr: string };
  /** What iptables-save printed for the tables the case names, after the restore. */
  readonly saved: string;
  readonly steps: readonly StepAnswer[];
  readonly elapsedMs: number;
}

export interface NfKernel {
  readonly real: RealWorld;
  runCase(c: NfCase): Promise<KernelCaseAnswer>;
  teardown(): Promise<void>;
}

/** The restore text: the case's tables plus empty versions of every table it does not name. */
export function restoreText(caseTables: string): string {
  const named = tablesNamed(caseTables);
  const rest = TABLE_NAMES.filter((t) => !named.includes(t)).map(emptyTable).join("");
  return rest + caseTables;
}

/** The blocks of `iptables-save` output for the given tables, without comments, counters zeroed. */
export function savedTables(save: string, tables: readonly TableName[]): string {
  const blocks = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of save.split("\n")) {
    if (line.startsWith("#") || line === "") continue;
    if (line.startsWith("*")) {
      current = [line];
      blocks.set(line.slice(1), current);
      continue;
    }
    current?.push(line.replace(/\[\d+:\d+\]/g, "[0:0]"));
  }
  return tables.map((t) => `${(blocks.get(t) ?? [`*${t} (not printed)`]).join("\n")}\n`).join("");
}

export async function startNfKernel(): Promise<NfKernel> {
  const real = await materialize(topology(brNetfilterLoaded()));
  const inNs = (ns: string, argv: readonly string[], input?: string): Promise<Awaited<ReturnType<typeof run>>> => {
    const realNs = real.namespaces.get(ns);
    if (realNs === undefined) throw new Error(`no namespace ${ns} in the netfilter topology`);
    return run(["ip", "netns", "exec", realNs, ...argv], STEP_TIMEOUT_MS, input);
  };

  /** Empties every table, then waits (up to 5 s) until no `recent` list is left. */
  const reset = async (): Promise<void> => {
    const r = await inNs(RULES_NS, ["iptables-restore"], restoreText(""));
    if (r.exitCode !== 0) throw new Error(`emptying the router's tables failed: ${r.stderr}`);
    for (let waited = 0; ; waited += RECENT_POLL_MS) {
      const ls = await inNs(RULES_NS, ["ls", "-A", "/proc/net/xt_recent"]);
      if (ls.exitCode !== 0 || ls.stdout.trim() === "") return;
      if (waited >= 5_000) throw new Error(`recent lists outlived their rules: ${ls.stdout.trim()}`);
      await new Promise((res) => setTimeout(res, RECENT_POLL_MS));
    }
  };

  const runCase = async (c: NfCase): Promise<KernelCaseAnswer> => {
    const t0 = Date.now();
    await reset();
    const r = await inNs(RULES_NS, ["iptables-restore"], restoreText(c.tables));
    const saved = await inNs(RULES_NS, ["iptables-save"]);
    const flushed = await inNs(RULES_NS, ["conntrack", "-F"]);
    if (flushed.exitCode !== 0) throw new Error(`conntrack -F failed in ${RULES_NS}: ${flushed.stderr}`);
    const steps: StepAnswer[] = [];
    if (r.exitCode === 0) {
      for (const s of c.steps) {
        const a = await real.exec(s.netns, s.command, STEP_TIMEOUT_MS);
        steps.push({ netns: s.netns, command: s.command, exitCode: a.exitCode, stdout: a.stdout, stderr: a.stderr, elapsedMs: a.elapsedMs, timedOut: a.timedOut });
      }
    }
    return {
      name: c.name,
      restore: { exitCode: r.exitCode, stderr: r.stderr },
      saved: savedTables(saved.stdout, tablesNamed(c.tables)),
      steps,
      elapsedMs: Date.now() - t0,
    };
  };

  return { real, runCase, teardown: () => real.teardown() };
}
