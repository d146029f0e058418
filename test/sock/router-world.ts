/**
 * The netfilter differential topology (client 10.0.1.2 — router — server 10.0.2.2, see
 * test/kernel/nf/topology.ts) with a ruleset on the router, and a way to run commands in it one
 * after the other and look at the traces each one left. Expected texts in the tests that use it
 * are what Linux 6.18 with iptables-nft, iputils 20221126, netcat-openbsd 1.219 and curl 7.88.1
 * printed for the same rules in namespaces.
 */
import { parseIptablesSave } from "../../src/netfilter/syntax/index.js";
import { buildWorld } from "../../src/sim/build.js";
import { runOn, type ExecResult } from "../../src/sim/exec.js";
import type { World } from "../../src/sim/world.js";
import type { Trace } from "../../src/trace/types.js";
import type { TableName } from "../../src/netfilter/rule.js";
import { rulesetText, type TableSpec } from "../kernel/nf/case.js";
import { topology, withRuleset } from "../kernel/nf/topology.js";

export function routerWorld(tables: Partial<Record<TableName, TableSpec>>): World {
  const text = rulesetText(tables);
  const parsed = parseIptablesSave(text, "test.rules");
  if (!parsed.ok) throw new Error(`ruleset: ${JSON.stringify(parsed.issues)}`);
  const built = buildWorld(withRuleset(topology(), parsed.value, text, "test.rules"), "1");
  if (!built.ok) throw new Error(`world: ${JSON.stringify(built.issues)}`);
  return built.value;
}

export interface Ran {
  readonly result: ExecResult;
  /** Virtual ms from the start to the tool's exit. */
  readonly elapsedMs: number;
  /** The traces this command started (not ARP), in order. */
  readonly traces: readonly Trace[];
}

export function run(world: World, ns: string, command: string): Ran {
  const before = world.log.traces.length;
  // runOn moves the clock to its limit when the queue runs dry; an idle event keeps it at the exit.
  world.after(800_000, () => undefined);
  const r = runOn(world, ns, command);
  return { result: r.result, elapsedMs: r.elapsedMs, traces: world.log.traces.slice(before).filter((t) => t.origin !== "arp") };
}

/** `-A CHAIN …` in iptables-save form. */
export const rule = (chain: string, text: string): string => `-A ${chain} ${text}`;
