/**
 * Which traces a person asked for. A command's run records every packet that moved — its own,
 * the replies and errors they caused, ARP exchanges, and a copy per port whenever a frame was
 * flooded. By default `podpath trace` shows the command's packets and what they caused, and
 * hides ARP (`origin: "arp"`) and pure copies: flood copies that a host ignored because the
 * frame was not for it (`not-for-us`). When every copy of a flood was ignored, the first one
 * stays, so that the packet's path is still shown. `all` keeps everything.
 */
import type { Trace } from "./types.js";

export interface Selection {
  readonly shown: readonly Trace[];
  readonly hidden: readonly Trace[];
}

export function selectTraces(traces: readonly Trace[], options: { readonly all?: boolean } = {}): Selection {
  if (options.all) return { shown: [...traces], hidden: [] };
  const byId = new Map(traces.map((t) => [t.id, t]));
  const ignored = (t: Trace): boolean => t.disposition?.kind === "not-for-us";
  // A flood family: the trace that was copied first and every copy made of it or its copies.
  const familyOf = (t: Trace): number => {
    let cur = t;
    for (let n = 0; cur.forkOf !== undefined && n < traces.length; n++) cur = byId.get(cur.forkOf) ?? cur;
    return cur.id;
  };
  const families = new Map<number, Trace[]>();
  for (const t of traces) families.set(familyOf(t), [...(families.get(familyOf(t)) ?? []), t]);
  const pureCopy = (t: Trace): boolean => {
    const family = families.get(familyOf(t))!;
    if (family.length < 2 || !ignored(t)) return false;
    return family.some((m) => !ignored(m)) || t !== family[0];
  };
  const memo = new Map<number, boolean>();
  // A trace is the command's when it is not ARP, not a pure copy, and its cause (if any) is.
  const isShown = (t: Trace, depth = 0): boolean => {
    const known = memo.get(t.id);
    if (known !== undefined) return known;
    let shown = t.origin !== "arp" && !pureCopy(t);
    if (shown && t.cause !== undefined && depth < traces.length) {
      const cause = byId.get(t.cause);
      shown = cause === undefined || isShown(cause, depth + 1);
    }
    memo.set(t.id, shown);
    return shown;
  };
  const shown: Trace[] = [];
  const hidden: Trace[] = [];
  for (const t of traces) (isShown(t) ? shown : hidden).push(t);
  return { shown, hidden };
}
