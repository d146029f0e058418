/**
 * Showing an enumeration (sim/enumerate.ts): one summary line per branch — its probability, the
 * random decisions that make it, the address translation it led to, and how the command ended —
 * then, for `trace`, each branch's traces in full. The exit code is the branches' common exit
 * code, or 1 when they differ (the command's fate depends on the draw).
 */
import type { Enumeration, Branch } from "../sim/enumerate.js";
import type { SimRun } from "../sim/exec.js";
import type { Json } from "../trace/render-json.js";
import { traceToJson } from "../trace/render-json.js";
import { formatProbability } from "../netfilter/eval/verdict.js";

function percent(p: number): string {
  return `${(p * 100).toFixed(2)}%`;
}

/** The decisions, as `nat:KUBE-SVC-X:rule:1 taken` … */
function decisionsText(b: Branch): string {
  if (b.decisions.length === 0) return "no random rule on the way";
  return b.decisions.map((d) => `${d.site.table}:${d.site.chain}:rule:${d.site.rule} ${d.taken ? "taken" : "not taken"}`).join(", ");
}

/** The first destination NAT the branch's packets got, e.g. `10.96.0.50:80 → 10.244.1.5:8080`. */
function natText(run: SimRun): string | undefined {
  for (const t of run.traces)
    for (const h of t.hops)
      for (const s of h.steps) {
        if (s.kind !== "nat" || s.what !== "DNAT") continue;
        const d = s.diffs.find((x) => x.field === "dst");
        if (d) return `DNAT ${d.from} → ${d.to} in ${h.node}`;
      }
  return undefined;
}

/**
 * The chain the branch continued in after its last random rule (KUBE-SEP-… for kube-proxy): the
 * taken rule's jump, or — when every random rule was refused — the jump the walk took next in
 * that chain (kube-proxy's last, unconditional endpoint rule).
 */
function chosenChain(b: Branch): string | undefined {
  const last = b.decisions[b.decisions.length - 1];
  if (!last) return undefined;
  if (last.taken) return last.site.jumpTo;
  for (const t of b.run.traces)
    for (const h of t.hops)
      for (const s of h.steps) {
        if (s.kind !== "nf" || s.table !== last.site.table || s.chain !== last.site.chain || s.rule === undefined || s.rule <= last.site.rule) continue;
        const m = /^(?:jump|goto) (\S+)$/.exec(s.verdict);
        if (m) return m[1];
      }
  return undefined;
}

export function branchLine(b: Branch, i: number, n: number): string {
  const nat = natText(b.run);
  const r = b.run.result;
  const chain = chosenChain(b);
  return `branch ${i + 1} of ${n}: probability ${b.probability.toFixed(11)} (${percent(b.probability)})${chain ? ` → ${chain}` : ""}${nat ? `; ${nat}` : ""}; exit ${r.exitCode}\n    decided by: ${decisionsText(b)}\n`;
}

export function renderBranchSummary(e: Enumeration): string {
  const n = e.branches.length;
  const lines = e.branches.map((b, i) => branchLine(b, i, n));
  const total = e.branches.reduce((s, b) => s + b.probability, 0);
  const tail = e.truncated ? `(stopped after ${n} branches; more exist)\n` : `${n} ${n === 1 ? "branch" : "branches"}, total probability ${total.toFixed(11)}\n`;
  return lines.join("") + tail;
}

export function renderBranches(e: Enumeration, renderRun: (run: SimRun) => string): string {
  const n = e.branches.length;
  const parts = e.branches.map((b, i) => `══ ${branchLine(b, i, n)}\n${renderRun(b.run)}`);
  return `${renderBranchSummary(e)}\n${parts.join("\n")}`;
}

export function branchesExit(e: Enumeration): number {
  const codes = new Set(e.branches.map((b) => b.run.result.exitCode));
  return codes.size === 1 ? [...codes][0]! : 1;
}

export function enumerationJson(args: { scenario: string; namespace: string }, name: string, command: string, seed: string, e: Enumeration): Json {
  return {
    scenario: args.scenario,
    name,
    namespace: args.namespace,
    command,
    seed,
    truncated: e.truncated,
    branches: e.branches.map((b) => ({
      probability: b.probability,
      decisions: b.decisions.map((d) => ({ table: d.site.table, chain: d.site.chain, rule: d.site.rule, probability: formatProbability(d.site.probability), taken: d.taken, ...(d.site.jumpTo ? { jumpTo: d.site.jumpTo } : {}) })),
      result: { exitCode: b.run.result.exitCode, stdout: b.run.result.stdout, stderr: b.run.result.stderr },
      traces: b.run.traces.map(traceToJson),
    })),
  };
}
