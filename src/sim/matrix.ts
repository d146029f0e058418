/**
 * `podpath matrix`: who can reach whom in a cluster scenario, cell by cell, each cell from
 * probes run on fresh worlds through the one packet path (sim/exec.ts) — no reachability is
 * computed any other way.
 *
 * Rows are the workload pods (namespace/name order; `all` adds kube-system and kube-flannel),
 * then, with `nodes`, each node. Columns are the same pods, then each ClusterIP Service port.
 *  - pod → pod: a TCP connect (`nc -zv`, what curl's connect() does) to the target's first
 *    listening port; a UDP port is asked for an answer (`nc -u`, `dig` for a DNS server); a pod
 *    with no listening port of its own (host-network pods included: their ports are the node's)
 *    gets one ping. Reachable = the connection or the answer came.
 *  - pod → Service port: the ClusterIP:port probed once per endpoint kube-proxy on the source's
 *    node can pick, that endpoint's KUBE-SEP chain pinned as `--choose` pins it
 *    (netfilter/choice.ts); reachable, unreachable, or partly (`1/2`). Without endpoints, one
 *    unpinned probe shows what kube-proxy's rules do then (REJECT: connection refused).
 * A failing probe carries its outcome class (apps/outcome.ts), read from the tool's words and
 * the errno its socket saw, as `podpath run` classifies probes.
 *
 * Deterministic: every probe builds its world from the same spec and seed.
 */
import type { Outcome } from "../apps/outcome.js";
import { classifyOutcome, errnoFromTraces } from "../apps/outcome.js";
import type { ClusterView, PodView, ServicePortView } from "../k8s/cluster/view.js";
import { endpointChainName, servicePortName } from "../k8s/kube-proxy/chain-names.js";
import type { Chooser } from "../netfilter/choice.js";
import { PinChooser, SampleChooser, pinnedRules } from "../netfilter/choice.js";
import type { Ruleset } from "../netfilter/rule.js";
import type { WorldSpec } from "../netns/spec.js";
import type { ExecOptions } from "./exec.js";
import { simulate as realSimulate } from "./exec.js";
import type { Simulate } from "./probes.js";
import type { World } from "./world.js";

/** Namespaces whose pods and Services are the cluster's own, left out unless `all`. */
export const SYSTEM_NAMESPACES: readonly string[] = ["kube-system", "kube-flannel"];

export interface MatrixOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: string;
  /** Also the system pods and Services (kube-system, kube-flannel, default/kubernetes). */
  readonly all?: boolean;
  /** Each node as a source row too. */
  readonly nodes?: boolean;
  readonly simulate?: Simulate;
}

export type MatrixRow =
  | { readonly kind: "pod"; readonly namespace: string; readonly name: string; readonly node: string; readonly ip?: string; readonly netns: string }
  | { readonly kind: "node"; readonly name: string; readonly ip: string; readonly netns: string };

/** How a pod column is probed: a TCP connect, a UDP answer, a DNS answer, or a ping. */
export type PodProbe = { readonly how: "tcp" | "udp" | "dns"; readonly port: number } | { readonly how: "ping" };

export interface PodColumn {
  readonly kind: "pod";
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  /** Absent: the pod has no address (its sandbox never got a network); not probed. */
  readonly ip?: string;
  readonly probe?: PodProbe;
}

export interface EndpointTarget {
  readonly ip: string;
  readonly port: number;
  /** `namespace/name` of the pod behind it. */
  readonly pod?: string;
  /** kube-proxy's KUBE-SEP chain for it. */
  readonly chain: string;
}

export interface ServiceColumn {
  readonly kind: "service";
  readonly namespace: string;
  readonly name: string;
  readonly clusterIP: string;
  readonly port: number;
  readonly protocol: "TCP" | "UDP" | "SCTP";
  readonly how: "tcp" | "udp" | "dns";
  /** The ready endpoints, in the Endpoints object's order. */
  readonly endpoints: readonly EndpointTarget[];
}

export type MatrixColumn = PodColumn | ServiceColumn;

export interface ProbeRun {
  /** The command line, run in the row's namespace. */
  readonly command: string;
  /** The KUBE-SEP chain pinned (`--choose`), for a Service probe with a choice to make. */
  readonly choose?: string;
  /** The Service endpoint this probe is about (`ip:port`). */
  readonly endpoint?: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly reachable: boolean;
  /** `delivered` when reachable; else why not. */
  readonly outcome: Outcome;
  /** Virtual milliseconds the command took. */
  readonly elapsedMs: number;
}

export type CellStatus = "reachable" | "unreachable" | "partly" | "not-probed";

export interface MatrixCell {
  readonly status: CellStatus;
  /** Probes that reached their target, of `probes.length`. */
  readonly answered: number;
  readonly probes: readonly ProbeRun[];
  /** Why a cell was not probed. */
  readonly note?: string;
}

export interface MatrixCounts {
  readonly podPairs: number;
  readonly podReachable: number;
  readonly serviceCells: number;
  readonly serviceFully: number;
  readonly servicePartly: number;
  readonly notProbed: number;
}

export interface Matrix {
  readonly seed: string;
  readonly rows: readonly MatrixRow[];
  readonly columns: readonly MatrixColumn[];
  /** cells[row][column]. */
  readonly cells: readonly (readonly MatrixCell[])[];
  readonly counts: MatrixCounts;
}

/** The matrix of a cluster world (one point of its timeline, as cli/phase.ts picks it). */
export function computeMatrix(spec: WorldSpec & { readonly cluster: ClusterView }, options: MatrixOptions = {}): Matrix {
  const seed = options.seed ?? spec.seed;
  const sim = options.simulate ?? realSimulate;
  const c = spec.cluster;
  const wanted = (ns: string): boolean => options.all === true || !SYSTEM_NAMESPACES.includes(ns);
  const pods = c.pods.filter((p) => wanted(p.namespace)).sort(byNamespaceName);
  const rows: MatrixRow[] = pods.map(podRow);
  if (options.nodes === true) for (const n of c.nodes) rows.push({ kind: "node", name: n.name, ip: n.internalIP, netns: n.name });
  const columns: MatrixColumn[] = [...pods.map((p) => podColumn(spec, p)), ...serviceColumns(spec, c, options.all === true)];

  // A pod without an address (its sandbox never got a network) is neither source nor target.
  const noAddress = (p: PodView): string => `${p.namespace}/${p.name} has no address (${p.status})`;
  const cells = rows.map((row, r) =>
    columns.map((col, k): MatrixCell => {
      if (row.kind === "pod" && row.ip === undefined) return notProbed(noAddress(pods[r]!));
      const node = row.kind === "pod" ? row.node : row.name;
      if (col.kind === "pod") {
        if (col.ip === undefined || col.probe === undefined) return notProbed(noAddress(pods[k]!));
        return cellOf([probe(sim, spec, seed, row.netns, podCommand(col.ip, col.probe, c.domain), col.probe.how)]);
      }
      return cellOf(serviceProbes(sim, spec, seed, row.netns, node, col, c.domain));
    }),
  );
  return { seed, rows, columns, cells, counts: countCells(columns, cells) };
}

function byNamespaceName(a: { readonly namespace: string; readonly name: string }, b: { readonly namespace: string; readonly name: string }): number {
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function podRow(p: PodView): MatrixRow {
  return { kind: "pod", namespace: p.namespace, name: p.name, node: p.node, ...(p.ip !== undefined ? { ip: p.ip } : {}), netns: p.netns };
}

function podColumn(spec: WorldSpec, p: PodView): PodColumn {
  const base = { kind: "pod" as const, namespace: p.namespace, name: p.name, node: p.node };
  if (p.ip === undefined) return base;
  return { ...base, ip: p.ip, probe: podProbe(spec, p) };
}

/** The pod's first listening port, from its own namespace (a host-network pod's ports are the node's: a ping). */
function podProbe(spec: WorldSpec, p: PodView): PodProbe {
  if (p.hostNetwork) return { how: "ping" };
  const first = spec.namespaces.find((n) => n.name === p.netns)?.listeners[0];
  if (!first) return { how: "ping" };
  return { how: first.kind === "udp" ? "udp" : "tcp", port: first.port };
}

function serviceColumns(spec: WorldSpec, c: ClusterView, all: boolean): ServiceColumn[] {
  const out: ServiceColumn[] = [];
  const services = c.services
    .filter((s) => s.clusterIP !== "None" && (all || (!SYSTEM_NAMESPACES.includes(s.namespace) && !(s.namespace === "default" && s.name === "kubernetes"))))
    .sort(byNamespaceName);
  for (const s of services) {
    const ep = c.endpoints.find((e) => e.namespace === s.namespace && e.name === s.name);
    for (const p of s.ports) {
      const epPort = ep?.ports.find((x) => x.protocol === p.protocol && (x.name ?? "") === (p.name ?? ""));
      const endpoints: EndpointTarget[] = epPort
        ? ep!.addresses.filter((a) => a.ready).map((a) => ({ ip: a.ip, port: epPort.port, ...(a.pod !== undefined ? { pod: a.pod } : {}), chain: endpointChainName(servicePortName(s.namespace, s.name, p.name ?? ""), p.protocol, `${a.ip}:${epPort.port}`) }))
        : [];
      out.push({ kind: "service", namespace: s.namespace, name: s.name, clusterIP: s.clusterIP, port: p.port, protocol: p.protocol, how: serviceHow(spec, c, p, endpoints), endpoints });
    }
  }
  return out;
}

/** TCP connects; UDP asks for an answer — with a DNS query when the endpoints are name servers. */
function serviceHow(spec: WorldSpec, c: ClusterView, p: ServicePortView, endpoints: readonly EndpointTarget[]): ServiceColumn["how"] {
  if (p.protocol !== "UDP") return "tcp";
  const dns = endpoints.some((e) => {
    const pod = c.pods.find((x) => `${x.namespace}/${x.name}` === e.pod);
    const ns = pod ? spec.namespaces.find((n) => n.name === pod.netns) : undefined;
    return ns?.listeners.some((l) => l.kind === "dns" && l.port === e.port) === true;
  });
  return dns ? "dns" : "udp";
}

/** What a person would type to ask the question (nc -v says why a connect failed). */
function podCommand(ip: string, p: PodProbe, domain: string): string {
  return p.how === "ping" ? `ping -c 1 -W 1 ${ip}` : targetCommand(p.how, ip, p.port, domain);
}

/** A DNS server is asked for the kubernetes Service's name, which every cluster has. */
function targetCommand(how: "tcp" | "udp" | "dns", ip: string, port: number, domain: string): string {
  switch (how) {
    case "tcp":
      return `nc -zv ${ip} ${port}`;
    case "udp":
      return `echo podpath | nc -u -w 1 ${ip} ${port}`;
    case "dns":
      return `dig +tries=1 +time=1 @${ip} -p ${port} kubernetes.default.svc.${domain}`;
  }
}

/**
 * One probe per endpoint kube-proxy on `node` can pick: a random rule leading to its KUBE-SEP
 * chain is pinned there; an endpoint reached without a random rule (the only one) needs no pin;
 * endpoints this node's rules never lead to (internalTrafficPolicy Local elsewhere) are no choice
 * from here. No choice at all: one unpinned probe, whatever the rules then do.
 */
function serviceProbes(sim: Simulate, spec: WorldSpec, seed: string, netns: string, node: string, col: ServiceColumn, domain: string): ProbeRun[] {
  const ruleset = spec.namespaces.find((n) => n.name === node)?.iptables?.ruleset;
  const command = targetCommand(col.how, col.clusterIP, col.port, domain);
  const runs: ProbeRun[] = [];
  for (const e of col.endpoints) {
    const endpoint = `${e.ip}:${e.port}`;
    if (ruleset && pinnedRules(ruleset, { kind: "chain", chain: e.chain })) {
      runs.push(probe(sim, spec, seed, netns, command, col.how, { choose: e.chain, endpoint }));
    } else if (ruleset && jumpsTo(ruleset, e.chain)) {
      runs.push(probe(sim, spec, seed, netns, command, col.how, { endpoint }));
    }
  }
  if (runs.length === 0) runs.push(probe(sim, spec, seed, netns, command, col.how));
  return runs;
}

function jumpsTo(rs: Ruleset, chain: string): boolean {
  return rs.tables.some((t) => t.chains.some((c) => c.rules.some((r) => r.target?.kind === "jump" && r.target.chain === chain)));
}

/** `--choose CHAIN` as the CLI builds it (cli/choices.ts pinChooser): every namespace's random rules leading there. */
function pinned(spec: WorldSpec, chain: string): (world: World) => Chooser {
  const merged = new Map<string, number>();
  for (const n of spec.namespaces) for (const [k, v] of (n.iptables ? pinnedRules(n.iptables.ruleset, { kind: "chain", chain }) : undefined) ?? []) merged.set(k, v);
  return (world) => new PinChooser(merged, new SampleChooser(world.rng.fork("statistic")));
}

function probe(sim: Simulate, spec: WorldSpec, seed: string, netns: string, command: string, how: PodProbe["how"], pin: { choose?: string; endpoint?: string } = {}): ProbeRun {
  const options: ExecOptions = { seed, ...(pin.choose !== undefined ? { chooser: pinned(spec, pin.choose) } : {}) };
  const run = sim(spec, netns, command, options);
  const r = run.result;
  const errno = errnoFromTraces(run.traces);
  let outcome = classifyOutcome(command, r, errno !== undefined ? { errno } : {});
  // nc -u exits 0 whether or not an answer came: the answer decides.
  const reachable = how === "udp" ? r.stdout !== "" : r.exitCode === 0;
  if (!reachable && outcome === "delivered") outcome = "timeout";
  if (!reachable && outcome === "unknown" && how === "dns") outcome = digOutcome(r.stdout);
  if (reachable) outcome = "delivered";
  return { command, ...pin, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, reachable, outcome, elapsedMs: run.elapsedMs };
}

/**
 * dig prints why a server failed on stdout (`;; communications error to 10.96.0.10#53: timed
 * out`, isc_result_totext()), which apps/outcome.ts does not read yet.
 */
const DIG_REASONS: readonly (readonly [string, Outcome])[] = [
  ["timed out", "timeout"],
  ["connection refused", "refused"],
  ["host unreachable", "no-route-to-host"],
  ["network unreachable", "network-unreachable"],
];

function digOutcome(stdout: string): Outcome {
  const reason = /^;; communications error to \S+: (.+)$/m.exec(stdout)?.[1];
  return DIG_REASONS.find(([text]) => reason === text)?.[1] ?? "unknown";
}

function cellOf(probes: readonly ProbeRun[]): MatrixCell {
  const answered = probes.filter((p) => p.reachable).length;
  const status: CellStatus = answered === probes.length ? "reachable" : answered === 0 ? "unreachable" : "partly";
  return { status, answered, probes };
}

function notProbed(note: string): MatrixCell {
  return { status: "not-probed", answered: 0, probes: [], note };
}

function countCells(columns: readonly MatrixColumn[], cells: readonly (readonly MatrixCell[])[]): MatrixCounts {
  let podPairs = 0, podReachable = 0, serviceCells = 0, serviceFully = 0, servicePartly = 0, notProbedCount = 0;
  for (const row of cells) {
    row.forEach((cell, i) => {
      if (cell.status === "not-probed") notProbedCount++;
      if (columns[i]!.kind === "pod") {
        podPairs++;
        if (cell.status === "reachable") podReachable++;
      } else {
        serviceCells++;
        if (cell.status === "reachable") serviceFully++;
        if (cell.status === "partly") servicePartly++;
      }
    });
  }
  return { podPairs, podReachable, serviceCells, serviceFully, servicePartly, notProbed: notProbedCount };
}

/** `default/kubia:80`, with `/UDP` when the port is not TCP. */
export function servicePortLabel(c: Pick<ServiceColumn, "namespace" | "name" | "port" | "protocol">): string {
  return `${c.namespace}/${c.name}:${c.port}${c.protocol === "TCP" ? "" : `/${c.protocol}`}`;
}
