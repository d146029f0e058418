/** What every template reads while one sync is written. */
import type { ProxyConfig } from "../config.js";
import type { RestoreBuffers } from "../lines.js";

export interface SyncContext {
  readonly cfg: ProxyConfig;
  readonly out: RestoreBuffers;
  /**
   * More than 1,000 endpoints in all: kube-proxy drops the `-m comment` from KUBE-SEP rules and
   * from KUBE-SVC/SVL → KUBE-SEP rules to shrink the ruleset (appendServiceCommentLocked).
   */
  readonly largeClusterMode: boolean;
}

/** `-m comment --comment <text>`, or nothing in large-cluster mode. */
export function endpointComment(ctx: SyncContext, text: string): readonly string[] {
  return ctx.largeClusterMode ? [] : ["-m", "comment", "--comment", text];
}

/** `-m <p> -p <p>`: kube-proxy writes the protocol match module first. */
export function protoMatch(protocol: string): readonly string[] {
  return ["-m", protocol, "-p", protocol];
}
