/**
 * iptables as one namespace's Netfilter: the tables of a parsed ruleset registered at the five
 * hooks in the kernel's priority order, with connection tracking and NAT where they sit.
 *
 *   PREROUTING   raw → conntrack → mangle → nat (DNAT)
 *   INPUT        mangle → filter → nat (SNAT) → confirm
 *   FORWARD      mangle → filter
 *   OUTPUT       raw → conntrack → mangle → nat (DNAT) → filter
 *   POSTROUTING  mangle → nat (SNAT) → confirm
 *
 * A table only runs where the ruleset has it (iptables-nft registers a table's hooks when the
 * table exists). Connection tracking runs only when a rule needs it — a NAT target, a conntrack
 * or state match, CT/NOTRACK, CONNMARK — as those extensions' nf_ct_netns_get() turns it on in
 * the kernel. A nat table alone does not: without conntrack its chains are never walked (seen on
 * Linux 6.18: a nat PREROUTING chain holding only MARK rules counts no packets at all).
 */
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import type { Skb } from "../ipv4/skb.js";
import type { Netfilter, NfHook, NfVerdict } from "./hooks.js";
import { ACCEPT } from "./hooks.js";
import type { Counters, Ruleset, TableName } from "./rule.js";
import type { WalkOptions } from "./eval/interp.js";
import { formatRule } from "./syntax/index.js";
import { walkTable } from "./eval/interp.js";
import { CompiledTable, walkCompiled } from "./eval/compiled.js";
import { countedAt } from "./eval/flat.js";
import type { TableVerdict } from "./eval/verdict.js";
import type { NfState, PacketCtx } from "./eval/context.js";
import { ConntrackTable } from "./conntrack/table.js";
import { RecentTables } from "./match/recent.js";
import { conntrackConfirm, conntrackIn } from "./conntrack/core.js";
import { formatTuple } from "./conntrack/tuple.js";
import { natHook } from "./nat/hook.js";

type Stage = TableName | "conntrack" | "confirm";

interface PlanStep {
  readonly stage: Stage;
  readonly table?: CompiledTable;
}

const STAGES: Readonly<Record<NfHook, readonly Stage[]>> = {
  PREROUTING: ["raw", "conntrack", "mangle", "nat"],
  INPUT: ["mangle", "filter", "nat", "confirm"],
  FORWARD: ["mangle", "filter"],
  OUTPUT: ["raw", "conntrack", "mangle", "nat", "filter"],
  POSTROUTING: ["mangle", "nat", "confirm"],
};

export interface EngineOptions {
  /** Trace rules that did not match too (default: as the world says, `podpath trace --all-rules`). */
  readonly verbose?: boolean;
  /** `compiled` (default, indexed) or `interp` (the reference walk); both give the same verdicts and traces. */
  readonly evaluator?: "compiled" | "interp";
}

export class IptablesEngine implements Netfilter {
  readonly tables = new Map<TableName, CompiledTable>();
  readonly conntrack = new ConntrackTable();
  readonly conntrackOn: boolean;
  private readonly state: NfState;
  private readonly walkOptions: WalkOptions;
  private readonly verboseOptions: WalkOptions;
  private readonly walk: (t: CompiledTable, pc: PacketCtx, o: WalkOptions) => TableVerdict;
  /** Per hook, worked out once: what runs there. */
  private readonly plans: Readonly<Record<NfHook, readonly PlanStep[]>>;

  constructor(
    ns: Netns,
    readonly ruleset: Ruleset,
    private readonly options: EngineOptions = {},
  ) {
    for (const t of ruleset.tables) this.tables.set(t.name, new CompiledTable(t.name, t.chains, formatRule));
    this.conntrackOn = needsConntrack(ruleset);
    this.walkOptions = { formatRule, verbose: options.verbose ?? false };
    this.verboseOptions = { formatRule, verbose: true };
    this.walk = options.evaluator === "interp" ? walkTable : walkCompiled;
    this.plans = {
      PREROUTING: this.planFor("PREROUTING"),
      INPUT: this.planFor("INPUT"),
      FORWARD: this.planFor("FORWARD"),
      OUTPUT: this.planFor("OUTPUT"),
      POSTROUTING: this.planFor("POSTROUTING"),
    };
    this.state = {
      conntrack: this.conntrack,
      recent: new RecentTables(),
      nth: new WeakMap(),
      natRng: ns.world.rng.fork(`nat-ports/${ns.name}`),
      get chooser() {
        return ns.world.chooser;
      },
    };
  }

  hook(ns: Netns, hook: NfHook, skb: Skb, inDev: Device | undefined, outDev: Device | undefined): NfVerdict {
    const opts = this.options.verbose === undefined && ns.world.traceAllRules ? this.verboseOptions : this.walkOptions;
    const walk = this.walk;
    const plan = this.plans[hook];
    for (let i = 0; i < plan.length; i++) {
      const { stage, table } = plan[i]!;
      if (stage === "conntrack") {
        this.track(ns, hook, skb);
        continue;
      }
      if (stage === "confirm") {
        this.confirm(ns, hook, skb);
        continue;
      }
      const pc: PacketCtx = { ns, hook, table: stage, skb, inDev, outDev, state: this.state };
      const v: TableVerdict = stage === "nat" ? natHook(pc, walk, table!, opts) : walk(table!, pc, opts);
      if (v.kind !== "accept") return v;
    }
    return ACCEPT;
  }

  /** The stages that do something at `hook` for this ruleset: the tables it has, conntrack if it is on. */
  private planFor(hook: NfHook): readonly PlanStep[] {
    return STAGES[hook].flatMap((stage): PlanStep[] => {
      if (stage === "conntrack" || stage === "confirm") return this.conntrackOn ? [{ stage }] : [];
      const table = this.tables.get(stage);
      // Without conntrack the nat chains are never walked (see the header).
      if (!table || (stage === "nat" && !this.conntrackOn)) return [];
      return [{ stage, table }];
    });
  }

  /**
   * The ruleset as the kernel would print it now: each rule's and built-in chain's counters are
   * the restored ones plus what this engine counted (what `iptables -L -v` and `iptables-save -c`
   * show after traffic).
   */
  counted(): Ruleset {
    return {
      tables: this.ruleset.tables.map((t) => {
        const flat = this.tables.get(t.name)?.flat;
        if (!flat) return t;
        return {
          ...t,
          chains: t.chains.map((c) => {
            const id = flat.chainIds.get(c.name)!;
            const start = flat.chainStart[id]!;
            return {
              ...c,
              counters: c.builtin ? plus(c.counters, [flat.policyHits[2 * id]!, flat.policyHits[2 * id + 1]!]) : c.counters,
              rules: c.rules.map((r, i) => ({ ...r, counters: plus(r.counters, countedAt(flat, start + i)) })),
            };
          }),
        };
      }),
    };
  }

  private track(ns: Netns, hook: NfHook, skb: Skb): void {
    const r = conntrackIn(ns, this.conntrack, skb);
    skb.ct = r.ct;
    if (r.action === "attached" || !skb.trace.recording) return;
    const conn = r.ct.kind === "conn" ? r.ct.conn : undefined;
    skb.trace.step(ns.name, {
      kind: "conntrack",
      hook,
      action: r.action,
      ...(conn ? { tuple: formatTuple(conn.orig) } : {}),
      ...(conn?.tcpState ? { state: conn.tcpState } : {}),
      ...(r.why !== undefined ? { why: r.why } : {}),
    });
  }

  private confirm(ns: Netns, hook: NfHook, skb: Skb): void {
    const r = conntrackConfirm(ns, this.conntrack, skb);
    if (r === undefined || !skb.trace.recording) return;
    skb.trace.step(ns.name, { kind: "conntrack", hook, action: r, ...(skb.ct?.kind === "conn" ? { tuple: formatTuple(skb.ct.conn.orig) } : {}) });
  }
}

function plus(c: Counters, [packets, bytes]: readonly [number, number]): Counters {
  return { packets: c.packets + BigInt(packets), bytes: c.bytes + BigInt(bytes) };
}

const CT_TARGETS: ReadonlySet<string> = new Set(["DNAT", "SNAT", "MASQUERADE", "REDIRECT", "CT", "NOTRACK", "CONNMARK"]);

function needsConntrack(rs: Ruleset): boolean {
  return rs.tables.some((t) =>
    t.chains.some((c) => c.rules.some((r) => r.matches.some((m) => m.module === "conntrack" || m.module === "state") || (r.target !== undefined && CT_TARGETS.has(r.target.kind)))),
  );
}
