/**
 * The problems a scenario file can have, as data.
 *
 * Owns the list of issue codes the loader emits (one place to read them all), the `Refusal` an
 * operation on the world returns when the kernel would refuse it, and the sink that collects
 * issues so that every problem in a file is reported together, in file order.
 */
import type { Issue, Position } from "../core/issue.js";

export type IssueCode =
  // the file itself
  | "read-error"
  | "yaml-syntax"
  | "duplicate-key"
  | "internal-error"
  // shape (schema)
  | "unknown-key"
  | "missing-key"
  | "wrong-type"
  | "bad-value"
  | "bad-name"
  | "out-of-range"
  // values
  | "expected-ipv4"
  | "expected-prefix"
  | "expected-mac"
  | "expected-number"
  | "invalid-mac"
  | "invalid-prefix"
  // references and uniqueness
  | "unknown-namespace"
  | "unknown-device"
  | "unknown-segment"
  | "unknown-bridge"
  | "not-a-bridge"
  | "not-a-bridge-port"
  | "veth-peer-mismatch"
  | "duplicate-device"
  | "duplicate-segment"
  | "duplicate-probe"
  | "duplicate-address"
  | "file-exists"
  | "not-supported"
  | "vni-in-use"
  // what fib_create_info / fib_check_nh refuse
  | "nexthop-device-down"
  | "invalid-gateway"
  | "invalid-prefsrc"
  | "no-such-device"
  | "route-type-nexthop"
  | "invalid-scope"
  | "invalid-flags"
  // neighbours, fdb, listeners
  | "missing-lladdr"
  | "listener-conflict"
  | "listener-address"
  // what iptables refuses (the kernel's table checks, missing chains and rules)
  | "iptables-refused"
  // command syntax
  | "unknown-command"
  | "unexpected-token"
  | "missing-argument";

/**
 * Why an operation on the world was refused. `field` names what was wrong in the caller's terms
 * (a YAML key such as "master", or the matching command keyword), so each form can point at the
 * exact place it was written. `missing` names a device/namespace that did not resolve, so a
 * reference to something whose own definition already failed is not reported twice.
 */
export interface Refusal {
  readonly code: IssueCode;
  readonly message: string;
  readonly field?: string;
  readonly missing?: string;
}

export function refuse(code: IssueCode, message: string, field?: string, missing?: string): Refusal {
  return { code, message, ...(field !== undefined ? { field } : {}), ...(missing !== undefined ? { missing } : {}) };
}

/** Collects issues; `sorted()` gives them in file order (ties keep discovery order). */
export class IssueSink {
  private readonly found: Issue[] = [];
  /** "ns/dev" and "ns" names whose definition failed: references to them are not re-reported. */
  private readonly brokenNames = new Set<string>();

  /** Issues already found, by place and text: a cluster timeline replays a typed line in every later phase's world, and its problem is reported once. */
  private readonly seen = new Set<string>();

  add(code: IssueCode, message: string, at: Position): void {
    this.addIssue({ code, message, at });
  }

  /** An issue found by another parser (the iptables-save reader), its code kept as it is. */
  addIssue(issue: Issue): void {
    const key = `${issue.at.file}:${issue.at.line}:${issue.at.column}:${issue.code}:${issue.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.found.push(issue);
  }

  markBroken(ns: string, dev?: string): void {
    this.brokenNames.add(dev === undefined ? ns : `${ns}/${dev}`);
  }

  /** True when a refusal only repeats the consequence of an earlier, already reported problem. */
  isEcho(ns: string, r: Refusal): boolean {
    if (r.missing === undefined) return false;
    if (r.code === "unknown-namespace") return this.brokenNames.has(r.missing);
    if (r.code === "unknown-device" || r.code === "unknown-bridge" || r.code === "no-such-device") {
      return this.brokenNames.has(r.missing.includes("/") ? r.missing : `${ns}/${r.missing}`);
    }
    return false;
  }

  get count(): number {
    return this.found.length;
  }

  /** Grouped by file: `mainFile` (the scenario) first, then others (rules files) as first reported. */
  sorted(mainFile?: string): Issue[] {
    const fileOrder = new Map<string, number>();
    if (mainFile !== undefined) fileOrder.set(mainFile, 0);
    for (const i of this.found) if (!fileOrder.has(i.at.file)) fileOrder.set(i.at.file, fileOrder.size);
    const f = (i: Issue): number => fileOrder.get(i.at.file) ?? 0;
    return this.found
      .map((issue, order) => ({ issue, order }))
      .sort((a, b) => f(a.issue) - f(b.issue) || a.issue.at.line - b.issue.at.line || a.issue.at.column - b.issue.at.column || a.order - b.order)
      .map((x) => x.issue);
  }
}
