/**
 * The world under construction from structured items, and where their refusals are reported.
 *
 * Owns `Builder.apply`: run one change on the world as a transaction; if refused, report it at
 * the YAML node of the refused field (`master` → that key's value), or at the item itself —
 * unless the refusal only echoes a problem already reported (a route on a device whose own
 * definition failed).
 */
import type { WorldSpec } from "../netns/spec.js";
import type { IssueSink, Refusal } from "./issues.js";
import { transact, type WorldDraft } from "./ops/world.js";
import type { Path, SourceMap } from "./yaml-positions.js";

/**
 * Refusal field → where it was written: relative to the item unless `absolute` (default:
 * `[field]` under the item).
 */
export type FieldPaths = Readonly<Record<string, { readonly path: Path; readonly part?: "key" | "value"; readonly absolute?: true }>>;

export class Builder {
  constructor(
    public world: WorldSpec,
    readonly src: SourceMap,
    readonly sink: IssueSink,
  ) {}

  /** Applies `change`; returns false (after reporting) when the world refused it. */
  apply(ns: string, item: Path, change: (w: WorldDraft) => Refusal | undefined, fields: FieldPaths = {}): boolean {
    const outcome = transact(this.world, change);
    this.world = outcome.world;
    const r = outcome.refusal;
    if (r === undefined) return true;
    if (this.sink.isEcho(ns, r)) return false;
    let at = this.src.at(item);
    if (r.field !== undefined) {
      const f = fields[r.field];
      if (f === undefined) at = this.src.at([...item, r.field]);
      else at = this.src.at(f.absolute ? f.path : [...item, ...f.path], f.part ?? "value");
    }
    this.sink.add(r.code, r.message, at);
    return false;
  }
}
