/**
 * Loading a low-level scenario file (docs/scenario-format.md) into a `WorldSpec`.
 *
 * Owns the pipeline and the public entry points. YAML is parsed with positions; the top level
 * and each namespace are shape-checked key by key; then the world is built in the order
 * structured.ts describes — all structured items of all namespaces first, then each
 * namespace's `commands:` in file order, then listeners, each namespace's `rules:` (rules.ts)
 * and probes. Every problem found on the way is collected and returned together, sorted by
 * position; nothing throws at the caller.
 */
import { readFileSync } from "node:fs";
import { fail, ok, type Result } from "../core/issue.js";
import type { IptablesSpec, SegmentSpec, WorldSpec } from "../netns/spec.js";
import { Builder } from "./builder.js";
import { loadCluster } from "./cluster/load.js";
import { runCommands } from "./commands/run.js";
import { IssueSink } from "./issues.js";
import { newNamespace } from "./ops/world.js";
import { parseProbes } from "./probes.js";
import { loadRules, withRulesets } from "./rules.js";
import { namespaceShape, topShape } from "./schema.js";
import { applyListeners, applyState, commandLines, type NsInput } from "./structured.js";
import { applyDevices } from "./structured-devices.js";
import { applyEnslavements, checkProbes } from "./validate.js";
import { netnsNameText } from "./values.js";
import { parseYaml, type SourceMap } from "./yaml-positions.js";
import { parseFields } from "./zod-issues.js";

function segmentsOf(raw: readonly unknown[], src: SourceMap, sink: IssueSink): SegmentSpec[] {
  const out: SegmentSpec[] = [];
  raw.forEach((s, i) => {
    const at = src.at(["segments", i]);
    if (typeof s !== "string" || s.length === 0) return sink.add("wrong-type", `a segment is a name (a string), found ${JSON.stringify(s)}`, at);
    if (out.some((x) => x.name === s)) return sink.add("duplicate-segment", `segment "${s}" is listed twice`, at);
    out.push({ name: s, at });
  });
  return out;
}

function build(text: string, file: string, sink: IssueSink): WorldSpec | undefined {
  const yaml = parseYaml(text, file, sink);
  if (!yaml.usable) return undefined;
  const src = yaml.source;
  if (yaml.value === null || yaml.value === undefined) {
    sink.add("missing-key", `the file is empty; expected a mapping with at least "name" and "namespaces"`, src.at([]));
    return undefined;
  }
  if (typeof yaml.value === "object" && (yaml.value as Record<string, unknown>)["kind"] === "cluster") return loadCluster(yaml.value, file, src, sink);
  const top = parseFields(topShape, yaml.value, [], src, sink, "the scenario");
  if (top === undefined) return undefined;

  const namespaces: NsInput[] = [];
  for (const [name, raw] of Object.entries(top.namespaces ?? {})) {
    const path = ["namespaces", name];
    const n = netnsNameText(name);
    if (!n.ok) {
      sink.add(n.code, n.message, src.at(path, "key"));
      sink.markBroken(name);
      continue;
    }
    const sections = parseFields(namespaceShape, raw, path, src, sink, `namespace ${name}`) ?? {};
    namespaces.push({ name, path, sections });
  }
  const world: WorldSpec = {
    name: top.name ?? "",
    file,
    seed: top.seed ?? "1",
    segments: segmentsOf(top.segments ?? [], src, sink),
    namespaces: namespaces.map((ns) => newNamespace(ns.name, src.at(ns.path, "key"))),
    probes: [],
  };
  const b = new Builder(world, src, sink);
  applyEnslavements(b, applyDevices(b, namespaces));
  for (const ns of namespaces) applyState(b, ns);
  for (const ns of namespaces) b.world = runCommands(b.world, ns.name, commandLines(b, ns), sink);
  for (const ns of namespaces) applyListeners(b, ns);
  const rules = new Map<string, IptablesSpec>();
  for (const ns of namespaces) {
    const r = loadRules(b, ns);
    if (r !== undefined) rules.set(ns.name, r);
  }
  b.world = withRulesets(b.world, rules);
  const probes = checkProbes(b, parseProbes(b, top.probes ?? []));
  return { ...b.world, probes };
}

/** Parses scenario text; `file` is used in positions only. */
export function loadScenario(text: string, file: string): Result<WorldSpec> {
  const sink = new IssueSink();
  let world: WorldSpec | undefined;
  try {
    world = build(text, file, sink);
  } catch (e) {
    // Only a podpath bug gets here; it is still reported as data, never thrown at the caller.
    sink.add("internal-error", `podpath failed while loading this file (please report): ${e instanceof Error ? e.message : String(e)}`, { file, line: 1, column: 1 });
  }
  if (sink.count > 0 || world === undefined) return fail(sink.sorted(file));
  return ok(world);
}

export function loadScenarioFile(path: string): Result<WorldSpec> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return fail([{ code: "read-error", message: `cannot read scenario file: ${err.code ?? "error"}: ${err.message}`, at: { file: path, line: 1, column: 1 } }]);
  }
  return loadScenario(text, path);
}
