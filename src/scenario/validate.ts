/**
 * Cross-references that can only be checked once everything they point at is declared.
 *
 * Owns step 3 of the structured form — `master:` (the bridge must exist and be a bridge) and
 * `hairpin:` (each name must be a port of that bridge) — and the probes' references: `from`
 * names a declared namespace, and probe names are unique. Undeclared veth peer namespaces,
 * segments and vxlan underlays are refused by the operations themselves (ops/link.ts).
 */
import type { ProbeSpec } from "../netns/spec.js";
import type { Builder } from "./builder.js";
import { setHairpin, setMaster } from "./ops/link.js";
import type { Enslavement } from "./structured-devices.js";
import type { Path } from "./yaml-positions.js";

export function applyEnslavements(b: Builder, links: readonly Enslavement[]): void {
  for (const l of links) {
    if (l.master === undefined) continue;
    const master = l.master;
    b.apply(l.ns, l.path, (w) => setMaster(w, l.ns, l.dev, master), { dev: { path: [], part: "key" } });
  }
  for (const l of links) {
    (l.hairpin ?? []).forEach((port, i) => {
      const at: Path = [...l.path, "hairpin", i];
      b.apply(l.ns, at, (w) => setHairpin(w, l.ns, port, true, l.dev), { dev: { path: [] } });
    });
  }
}

/** A parsed probe and where it was written. */
export interface ProbeAt {
  readonly probe: ProbeSpec;
  readonly path: Path;
}

export function checkProbes(b: Builder, probes: readonly ProbeAt[]): ProbeSpec[] {
  const seen = new Map<string, ProbeAt>();
  const names = b.world.namespaces.map((n) => n.name);
  const out: ProbeSpec[] = [];
  for (const p of probes) {
    let good = true;
    const first = seen.get(p.probe.name);
    if (first !== undefined) {
      const where = b.src.at([...first.path, "name"]);
      b.sink.add("duplicate-probe", `probe name "${p.probe.name}" is already used at line ${where.line}; probe names must be unique`, b.src.at([...p.path, "name"]));
      good = false;
    } else seen.set(p.probe.name, p);
    if (!names.includes(p.probe.netns)) {
      b.sink.add("unknown-namespace", `"from": unknown namespace "${p.probe.netns}"; expected one of: ${names.join(", ") || "(none declared)"}`, b.src.at([...p.path, "from"]));
      good = false;
    }
    if (good) out.push(p.probe);
  }
  return out;
}
