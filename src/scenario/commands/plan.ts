/**
 * What a parsed command line is: a plan to change the world, and where its parts were written.
 *
 * Owns the contract between the per-command parsers (ip-link.ts, ip-addr.ts, …) and the runner:
 * a parser turns tokens into a `Plan` (or a `Syn`); the runner applies the plan as one
 * transaction and, if the world refuses it, points at the token of the refused field.
 */
import type { Position } from "../../core/issue.js";
import type { Refusal } from "../issues.js";
import type { WorldDraft } from "../ops/world.js";
import type { Token } from "./tokens.js";

export interface Plan {
  readonly apply: (w: WorldDraft) => Refusal | undefined;
  /** Refusal field → the token that wrote it ("dev" → `eth0`). */
  readonly fields: Readonly<Record<string, Token>>;
  /** Devices the command creates: if it fails, later references to them are not re-reported. */
  readonly creates?: readonly { readonly ns: string; readonly name: string }[];
}

/** Where a command runs: its namespace, and the position of its first word (the items' `at`). */
export interface Ctx {
  readonly ns: string;
  readonly at: Position;
}
