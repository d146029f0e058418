/**
 * `statistic --mode random` as kube-proxy uses it, and the arithmetic to judge observed
 * frequencies: a ClusterIP (10.96.0.20:80) whose KUBE-SVC chain picks one of three endpoints
 * with `--probability 0.3333333333`, then `0.5000000000`, then unconditionally — kube-proxy's
 * restore text, 10 decimals.
 *
 * The kernel does not keep the decimal: iptables stores lround(p · 2^31) and xt_statistic
 * matches when (get_random_u32() & 0x7fffffff) < that value, so a rule matches with exactly
 * round(p · 2^31) / 2^31 (0.3333333333 → 715827883 / 2^31 = 0.33333333349…). The endpoint
 * probabilities are the products along the chain: p1, (1 − p1) · p2, (1 − p1) · (1 − p2).
 *
 * Tolerance: over N connections the count of an endpoint with probability p is binomial, mean
 * N·p, standard deviation σ = √(N·p·(1 − p)). An observed count must lie within 4.5 σ of the
 * mean (N = 2000, p ≈ 1/3: σ ≈ 21.1, ±95 connections, ±4.7 points). A correct kernel or
 * simulator fails one endpoint's check with probability ≈ 6.8·10⁻⁶ (two-sided normal tail at
 * 4.5 σ), about 2·10⁻⁵ for all three.
 */
import type { NfCase } from "./case.js";
import { mkCase } from "./gen.js";
import { SERVER, SERVER2 } from "./probes.js";

export const SERVICE_IP = "10.96.0.20";
export const CONNECTIONS = 2000;
export const SIGMAS = 4.5;

export interface Endpoint {
  readonly addr: string;
  /** The decimal kube-proxy writes for the rule that picks it (absent: the last, unconditional one). */
  readonly written?: string;
}

export const ENDPOINTS: readonly Endpoint[] = [
  { addr: `${SERVER}:9000`, written: "0.3333333333" },
  { addr: `${SERVER2}:9001`, written: "0.5000000000" },
  { addr: `${SERVER}:9002` },
];

/** What the kernel stores for `--probability p`, as a fraction: lround(p · 2^31) / 2^31. */
export function storedProbability(written: string): number {
  return Math.round(Number(written) * 0x80000000) / 0x80000000;
}

/** Each endpoint's exact probability of being chosen, from the stored fixed-point values. */
export function endpointProbabilities(endpoints: readonly Endpoint[] = ENDPOINTS): Map<string, number> {
  const out = new Map<string, number>();
  let rest = 1;
  for (const e of endpoints) {
    const p = e.written === undefined ? 1 : storedProbability(e.written);
    out.set(e.addr, rest * p);
    rest *= 1 - p;
  }
  return out;
}

export interface FrequencyCheck {
  readonly addr: string;
  readonly count: number;
  readonly expected: number;
  readonly sigma: number;
  readonly ok: boolean;
}

/** Each endpoint's count against N·p ± SIGMAS·σ. */
export function checkFrequencies(counts: ReadonlyMap<string, number>, n: number, probs = endpointProbabilities()): FrequencyCheck[] {
  return [...probs].map(([addr, p]) => {
    const count = counts.get(addr) ?? 0;
    const expected = n * p;
    const sigma = Math.sqrt(n * p * (1 - p));
    return { addr, count, expected, sigma, ok: Math.abs(count - expected) <= SIGMAS * sigma };
  });
}

export function describeChecks(checks: readonly FrequencyCheck[], n: number): string {
  return checks.map((c) => `${c.addr}: ${c.count}/${n} (${((100 * c.count) / n).toFixed(2)}%), expected ${c.expected.toFixed(1)} ± ${(SIGMAS * c.sigma).toFixed(1)} (${SIGMAS} σ)${c.ok ? "" : "  ← outside"}`).join("\n");
}

/** The endpoint a listener echo names (`server: 10.0.1.2:41234 -> 10.0.2.2:9000`), per line. */
export function endpointsIn(stdout: string): string[] {
  return [...stdout.matchAll(/ -> (\d+\.\d+\.\d+\.\d+:\d+)$/gm)].map((m) => m[1] ?? "");
}

export function countEndpoints(stdout: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of endpointsIn(stdout)) counts.set(e, (counts.get(e) ?? 0) + 1);
  return counts;
}

const sep = (i: number): string => `KUBE-SEP-${String.fromCharCode(65 + i)}`;

/** kube-proxy's nat rules for the service, in its restore form (10-decimal probabilities). */
export function serviceRuleset(endpoints: readonly Endpoint[] = ENDPOINTS): string {
  const comment = '"default/stat:tcp"';
  return [
    "*nat",
    ":PREROUTING ACCEPT [0:0]",
    ":INPUT ACCEPT [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    ":POSTROUTING ACCEPT [0:0]",
    ...endpoints.map((_, i) => `:${sep(i)} - [0:0]`),
    ":KUBE-SERVICES - [0:0]",
    ":KUBE-SVC-STAT - [0:0]",
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ...endpoints.map((e, i) => `-A ${sep(i)} -p tcp -m comment --comment ${comment} -m tcp -j DNAT --to-destination ${e.addr}`),
    `-A KUBE-SERVICES -d ${SERVICE_IP}/32 -p tcp -m comment --comment "default/stat:tcp cluster IP" -m tcp --dport 80 -j KUBE-SVC-STAT`,
    ...endpoints.map((e, i) => `-A KUBE-SVC-STAT -m comment --comment "default/stat:tcp -> ${e.addr}"${e.written !== undefined ? ` -m statistic --mode random --probability ${e.written}` : ""} -j ${sep(i)}`),
    "COMMIT",
    "",
  ].join("\n");
}

/** One connection to the service; its echo names the endpoint. */
export const ONE_CONNECTION = `nc -w 1 ${SERVICE_IP} 80`;

/** CONNECTIONS connections in one shell loop inside the client (one process spawn from node, not 2000). */
export const CONNECTION_LOOP = `i=0; while [ $i -lt ${CONNECTIONS} ]; do ${ONE_CONNECTION}; i=$((i+1)); done`;

export const STATISTIC_CASE: NfCase = mkCase("statistic-random-kube-proxy", ["statistic --mode random --probability", "DNAT", "kube-proxy"], serviceRuleset(), [], { form: "restore", ports: "any" });
