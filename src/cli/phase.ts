/**
 * `--at <phase | time | start | end>`: which point of a cluster scenario's timeline a command
 * runs at. A time (seconds, or with a unit: `90s`, `5m`, `1h`) picks the last phase that began
 * at or before it. A scenario without a timeline has only `start` (and `end`, the same point).
 */
import type { PhaseSpec, WorldSpec } from "../netns/spec.js";

const UNIT: Readonly<Record<string, number>> = { "": 1, s: 1, m: 60, h: 3600 };

export type PhasePick = { readonly ok: true; readonly world: WorldSpec; readonly phase?: PhaseSpec } | { readonly ok: false; readonly message: string };

export function pickPhase(spec: WorldSpec, at: string): PhasePick {
  const phases = spec.phases ?? [];
  if (phases.length === 0) {
    if (at === "start" || at === "end") return { ok: true, world: spec };
    return { ok: false, message: `--at ${at}: this scenario has no timeline; only "start" (or "end") is a point in it` };
  }
  const chosen = (p: PhaseSpec): PhasePick => ({ ok: true, world: { ...p.world, phases }, phase: p });
  if (at === "start") return chosen(phases[0]!);
  if (at === "end") return chosen(phases[phases.length - 1]!);
  const named = phases.find((p) => p.name === at);
  if (named) return chosen(named);
  const t = /^(\d+(?:\.\d+)?)(s|m|h|)$/.exec(at);
  if (t) {
    const seconds = Number(t[1]) * UNIT[t[2]!]!;
    const last = [...phases].reverse().find((p) => p.time <= seconds)!;
    return chosen(last);
  }
  const names = phases.map((p) => `${p.name} (${p.time} s)`).join(", ");
  return { ok: false, message: `--at ${at}: no such phase; expected start, end, a time such as 90s or 5m, or one of: ${names}` };
}
