/**
 * `--enumerate` and `--choose` for exec and trace: how iptables' random rules decide. They may
 * come before `--` like every podpath option, or after the command line (`-- curl http://VIP
 * --enumerate`), since no simulated tool has options of those names.
 */
import type { WorldSpec } from "../netns/spec.js";
import type { Chooser } from "../netfilter/choice.js";
import { PinChooser, SampleChooser, parsePin, pinnedRules } from "../netfilter/choice.js";
import type { World } from "../sim/world.js";

export interface ChoiceArgs {
  readonly enumerate: boolean;
  readonly choose?: string;
}

/** Takes podpath's own choice flags off the end of the command words. */
export function trailingChoiceFlags(words: readonly string[], given: ChoiceArgs): { words: string[]; choice: ChoiceArgs } {
  const w = [...words];
  let enumerate = given.enumerate;
  let choose = given.choose;
  for (;;) {
    if (w[w.length - 1] === "--enumerate") {
      enumerate = true;
      w.pop();
    } else if (w.length >= 2 && w[w.length - 2] === "--choose") {
      choose = w[w.length - 1];
      w.splice(w.length - 2, 2);
    } else if (w.length >= 1 && w[w.length - 1]!.startsWith("--choose=")) {
      choose = w.pop()!.slice("--choose=".length);
    } else break;
  }
  return { words: w, choice: { enumerate, ...(choose !== undefined ? { choose } : {}) } };
}

/** The chooser `--choose X` asks for, or a message saying why X names nothing to choose. */
export function pinChooser(spec: WorldSpec, choose: string): ((world: World) => Chooser) | { readonly error: string } {
  const pin = parsePin(choose);
  if (!pin) return { error: `--choose ${choose}: expected a chain name (e.g. KUBE-SEP-…) or table:chain:rule (e.g. nat:KUBE-SVC-…:2)` };
  const merged = new Map<string, number>();
  for (const n of spec.namespaces) {
    const found = n.iptables ? pinnedRules(n.iptables.ruleset, pin) : undefined;
    for (const [k, v] of found ?? []) merged.set(k, v);
  }
  if (merged.size === 0) return { error: `--choose ${choose}: no rule behind a statistic --mode random test leads there in any namespace's ruleset` };
  return (world) => new PinChooser(merged, new SampleChooser(world.rng.fork("statistic")));
}
