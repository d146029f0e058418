/**
 * `timeline:` of a cluster scenario: its phases read and checked (names unique, times rising,
 * each action one podpath models), then the world at each phase — the state after that phase's
 * actions, built like the start. Phase 0 is the start: the first phase when it has no actions
 * (it names the start), otherwise an implicit `start` at time 0.
 */
import type { PhaseSpec, WorldSpec } from "../../netns/spec.js";
import type { ClusterModel } from "../../k8s/cluster/model.js";
import type { ClusterState, Phase } from "../../k8s/cluster/timeline.js";
import { applyAction, initialState } from "../../k8s/cluster/timeline.js";
import type { IssueSink } from "../issues.js";
import type { Path, SourceMap } from "../yaml-positions.js";
import { parseAction } from "./actions.js";
import type { ClusterFile } from "./schema.js";

/** Time between phases whose `at` is left out. */
const DEFAULT_STEP_S = 60;

export function parsePhases(f: ClusterFile, src: SourceMap, sink: IssueSink): Phase[] {
  const out: Phase[] = [];
  const seen = new Set<string>();
  let prev: number | undefined;
  (f.timeline ?? []).forEach((p, i) => {
    const path: Path = ["timeline", i];
    if (seen.has(p.phase) || p.phase === "start" && i > 0 || p.phase === "end") {
      sink.add("bad-value", `phase "${p.phase}" is ${seen.has(p.phase) ? "already used" : "a reserved name (--at start / end)"}; phase names must be unique`, src.at([...path, "phase"]));
    }
    seen.add(p.phase);
    const time = p.at ?? (prev === undefined ? 0 : prev + DEFAULT_STEP_S);
    if (prev !== undefined && time <= prev) sink.add("out-of-range", `"at": ${time} s is not after the previous phase (${prev} s); phases run in order`, src.at([...path, "at"]));
    prev = time;
    const actions = (p.actions ?? []).flatMap((a, j) => {
      const ap: Path = [...path, "actions", j];
      if (!f.nodes.some((n) => n.name === a.on)) sink.add("unknown-namespace", `"on": unknown node "${a.on}"; expected one of: ${f.nodes.map((n) => n.name).join(", ")}`, src.at([...ap, "on"]));
      if ((a.run === undefined) === (a.fault === undefined)) {
        sink.add("bad-value", `an action has either "run" (what was typed) or "fault" (what happened: flannel-down), not ${a.run === undefined ? "neither" : "both"}`, src.at(ap));
        return [];
      }
      if (a.fault !== undefined) return [{ kind: "flannel-down" as const, node: a.on, at: src.at(ap) }];
      const r = parseAction({ on: a.on, run: a.run!, ...(a.args ? { args: a.args } : {}), at: src.at(ap), locate: src.scalarLocator([...ap, "run"]) ?? (() => src.at([...ap, "run"])) });
      if (!r.ok) {
        sink.add("not-supported", r.message, src.at([...ap, "run"]));
        return [];
      }
      const act = r.action;
      if (act.kind === "scale" && !(f.deployments ?? []).some((d) => d.name === act.name && (d.namespace ?? "default") === act.namespace)) {
        const known = (f.deployments ?? []).map((d) => `${d.namespace ?? "default"}/${d.name}`);
        sink.add("unknown-namespace", `kubectl scale: no deployment ${act.namespace}/${act.name} in this file; expected one of: ${known.join(", ") || "(none: add one under deployments:)"}`, src.at([...ap, "run"]));
        return [];
      }
      return [r.action];
    });
    out.push({ name: p.phase, time, actions, at: src.at(path) });
  });
  return out;
}

/** The world at the start and after each phase; undefined if some phase's world could not be built. */
export function phaseWorlds(model: ClusterModel, phases: readonly Phase[], worldOf: (s: ClusterState) => WorldSpec | undefined): PhaseSpec[] | undefined {
  const late = new Set(phases.flatMap((p) => p.actions.flatMap((a) => (a.kind === "join" ? [a.node] : []))));
  let state = initialState(model, late);
  const startWorld = worldOf(state);
  if (startWorld === undefined) return undefined;
  const first = phases[0];
  const namesStart = first !== undefined && first.actions.length === 0 && first.time === 0;
  const out: PhaseSpec[] = [{ name: namesStart ? first.name : "start", time: 0, said: [], world: startWorld, ...(namesStart ? { at: first.at } : {}) }];
  let world = startWorld;
  for (const p of namesStart ? phases.slice(1) : phases) {
    const said: string[] = [];
    state = { ...state, now: p.time };
    for (const a of p.actions) {
      const flannelPod = (name: string): string | undefined => world.cluster?.pods.find((x) => x.namespace === "kube-flannel" && x.name === name)?.node;
      const r = applyAction(state, a, flannelPod);
      state = r.state;
      said.push(r.said);
    }
    const w = worldOf(state);
    if (w === undefined) return undefined;
    world = w;
    out.push({ name: p.name, time: p.time, said, world: w, at: p.at });
  }
  return out;
}
