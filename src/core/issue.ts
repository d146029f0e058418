/**
 * Problems as data (Zod-style): every problem found in user input has a place and a code, and
 * all of them are collected before anything is reported. Nothing in here throws at a user.
 */
export interface Position {
  readonly file: string;
  readonly line: number; // 1-based
  readonly column: number; // 1-based
}

export interface Issue {
  readonly code: string; // e.g. "expected-prefix", "unknown-device"
  readonly message: string; // what was wrong and what was expected
  readonly at: Position;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly Issue[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(issues: readonly Issue[]): Result<T> => ({ ok: false, issues });

export function formatIssue(i: Issue): string {
  return `${i.at.file}:${i.at.line}:${i.at.column}: error: ${i.message} [${i.code}]`;
}

/** Raised only for user-input problems that the CLI must print (never a stack trace). */
export class InputError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "InputError";
  }
}
