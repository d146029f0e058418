/**
 * `--enumerate` and `--choose` for exec and trace: how iptables' random rules decide. They may
 * come before `--` like every podpath option, or after the command line (`-- curl http://VIP
 * --choose kubia-zcpbb`), since no simulated tool has options of those names; given on both
 * sides they are refused.
 *
 * `--choose X` names where the random branch should lead:
 *  - `table:chain:N`: that rule;
 *  - a chain some random rule jumps to (`KUBE-SEP-…`);
 *  - an endpoint, `10.244.2.11` or `10.244.2.11:8080`: the chains whose DNAT sends packets
 *    there (kube-proxy's KUBE-SEP-… of that endpoint, one per Service port);
 *  - a pod (`kubia-zcpbb` or `default/kubia-zcpbb`), through the cluster view: its endpoints.
 *    In a scenario without a cluster, a namespace's name stands for its addresses.
 * kube-proxy writes the same chain names on every node, so a pin holds in every namespace.
 */
import { formatIpv4, parseIpv4 } from "../core/ip.js";
import type { WorldSpec } from "../netns/spec.js";
import type { Chooser, DnatEndpoint, Pin } from "../netfilter/choice.js";
import { PinChooser, SampleChooser, dnatEndpoints, parsePin, pinnedRules, randomBranches } from "../netfilter/choice.js";
import type { World } from "../sim/world.js";
import type { AddressName, StoryWorld } from "../trace/story.js";

export interface ChoiceArgs {
  readonly enumerate: boolean;
  readonly choose?: string;
}

/**
 * Takes podpath's own choice flags off the end of the command words; refuses a flag given both
 * before `--` and after the command line (or twice after it).
 */
export function trailingChoiceFlags(words: readonly string[], given: ChoiceArgs): { words: string[]; choice: ChoiceArgs } | { error: string } {
  const w = [...words];
  let enumerate = false;
  let choose: string | undefined;
  const twice = (flag: string): { error: string } => ({ error: `${flag} is given twice after the command line; give it once` });
  for (;;) {
    const last = w[w.length - 1];
    if (last === "--enumerate") {
      if (enumerate) return twice("--enumerate");
      enumerate = true;
      w.pop();
    } else if (w.length >= 2 && w[w.length - 2] === "--choose") {
      if (choose !== undefined) return twice("--choose");
      choose = last;
      w.splice(w.length - 2, 2);
    } else if (last?.startsWith("--choose=")) {
      if (choose !== undefined) return twice("--choose");
      choose = last.slice("--choose=".length);
      w.pop();
    } else break;
  }
  if (enumerate && given.enumerate) return { error: "--enumerate is given both before -- and after the command line; give it once" };
  if (choose !== undefined && given.choose !== undefined) {
    return { error: `--choose is given both before -- (${given.choose}) and after the command line (${choose}); give it once` };
  }
  if (w.length === 0) return { error: "no command line is left once podpath's own --choose / --enumerate are taken off its end" };
  const chosen = choose ?? given.choose;
  return { words: w, choice: { enumerate: enumerate || given.enumerate, ...(chosen !== undefined ? { choose: chosen } : {}) } };
}

/** The chooser `--choose X` asks for, or a message saying why X names nothing to choose. */
export function pinChooser(spec: WorldSpec, choose: string): ((world: World) => Chooser) | { readonly error: string } {
  const r = resolveChoice(spec, choose);
  if ("error" in r) return { error: `--choose ${choose}: ${r.error}` };
  const pinned = new Map<string, number>();
  for (const [k, v] of r.pinned) pinned.set(k, v.rule);
  return (world) => new PinChooser(pinned, new SampleChooser(world.rng.fork("statistic")));
}

interface Target {
  readonly pin: Pin;
  /** What the pin stands for, in an ambiguity message: `KUBE-SEP-… (10.244.0.2:53)`. */
  readonly label: string;
}

type Resolved = { readonly pinned: ReadonlyMap<string, { readonly rule: number; readonly label: string }> } | { readonly error: string };

const ENDPOINT = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/;

function resolveChoice(spec: WorldSpec, text: string): Resolved {
  const pin = parsePin(text);
  if (pin?.kind === "rule") return pinAll(spec, [{ pin, label: text }], "no rule behind a statistic --mode random test leads there in any namespace's ruleset");
  const ep = ENDPOINT.exec(text);
  if (ep) {
    const ip = parseIpv4(ep[1]!);
    if (ip === undefined) return { error: `${ep[1]} is not an IPv4 address` };
    return endpointPins(spec, [{ ip, ...(ep[2] !== undefined ? { port: Number(ep[2]) } : {}) }]);
  }
  if (pin && chainExists(spec, pin.chain)) return pinAll(spec, [{ pin, label: pin.chain }], "no rule behind a statistic --mode random test leads there in any namespace's ruleset");
  const pod = podEndpoints(spec, text);
  if (pod) return "error" in pod ? pod : endpointPins(spec, pod);
  const pods = choosablePods(spec);
  const kind = spec.cluster ? "pod" : "namespace";
  return {
    error:
      `no chain in any namespace's ruleset and no ${kind} has that name (--choose takes a chain such as KUBE-SEP-…, a rule as table:chain:N, a ${kind} name, or an endpoint IP[:port])` +
      (pods.length > 0 ? `; the ${kind}s a random rule can choose are: ${pods.join(", ")}` : ""),
  };
}

/** The pins of every target in every namespace; a chain pinned to two different rules is ambiguous. */
function pinAll(spec: WorldSpec, targets: readonly Target[], none: string): Resolved {
  const merged = new Map<string, { rule: number; label: string }>();
  for (const n of spec.namespaces) {
    if (!n.iptables) continue;
    for (const t of targets) {
      for (const [key, rule] of pinnedRules(n.iptables.ruleset, t.pin) ?? []) {
        const had = merged.get(key);
        if (had && had.rule !== rule) {
          const [a, b] = [had, { rule, label: t.label }].sort((x, y) => x.rule - y.rule);
          return { error: `ambiguous: in ${key} it means both rule ${a!.rule} (→ ${a!.label}) and rule ${b!.rule} (→ ${b!.label})${targets.length > 1 ? "; name one endpoint with IP:port or its chain" : ""}` };
        }
        merged.set(key, { rule, label: t.label });
      }
    }
  }
  if (merged.size === 0) return { error: none };
  return { pinned: merged };
}

interface Endpoint {
  readonly ip: number;
  readonly port?: number;
}

function endpointText(e: Endpoint): string {
  return `${formatIpv4(e.ip)}${e.port !== undefined ? `:${e.port}` : ""}`;
}

/** The chains that DNAT to one of these endpoints, pinned wherever a random rule leads to them. */
function endpointPins(spec: WorldSpec, wanted: readonly Endpoint[]): Resolved {
  const all = allDnatEndpoints(spec);
  const hits = all.filter((d) => wanted.some((w) => w.ip === d.ip && (w.port === undefined || w.port === d.port)));
  const names = addressNames(spec);
  const labelled = (d: DnatEndpoint): string => `${d.chain} (${endpointText(d)})`;
  if (hits.length === 0) {
    const list = choosableEndpoints(spec).map((d) => {
      const who = names.nameOf(formatIpv4(d.ip));
      return `${endpointText(d)}${who ? ` (${who.name})` : ""}`;
    });
    return {
      error: `no DNAT rule sends packets to ${wanted.map(endpointText).join(" or ")} in any namespace's ruleset` + (list.length > 0 ? `; the endpoints a random rule can choose are: ${list.join(", ")}` : "; no random rule leads to any DNAT endpoint"),
    };
  }
  const nothing = `${hits.map(labelled).join(", ")} DNAT${hits.length === 1 ? "s" : ""} there, but no statistic --mode random rule chooses between ${hits.length === 1 ? "it" : "them"} and another endpoint (a Service with one endpoint): there is nothing to choose`;
  return pinAll(spec, hits.map((d) => ({ pin: { kind: "chain", chain: d.chain }, label: labelled(d) })), nothing);
}

/** One entry per chain name: kube-proxy writes the same KUBE-SEP-… chains on every node. */
function allDnatEndpoints(spec: WorldSpec): DnatEndpoint[] {
  const byChain = new Map<string, DnatEndpoint>();
  for (const n of spec.namespaces) for (const d of n.iptables ? dnatEndpoints(n.iptables.ruleset) : []) if (!byChain.has(`${d.table}:${d.chain}`)) byChain.set(`${d.table}:${d.chain}`, d);
  return [...byChain.values()];
}

/** The DNAT endpoints some random rule leads to, by address and port, each once. */
function choosableEndpoints(spec: WorldSpec): Endpoint[] {
  const seen = new Map<string, Endpoint>();
  for (const d of allDnatEndpoints(spec)) {
    const reachable = spec.namespaces.some((n) => n.iptables && pinnedRules(n.iptables.ruleset, { kind: "chain", chain: d.chain }));
    if (reachable) seen.set(endpointText(d), d);
  }
  return [...seen.values()].sort((a, b) => a.ip - b.ip || (a.port ?? 0) - (b.port ?? 0));
}

/** The names (pods, or namespaces without a cluster) behind the choosable endpoints. */
function choosablePods(spec: WorldSpec): string[] {
  const names = addressNames(spec);
  const out = new Set<string>();
  for (const e of choosableEndpoints(spec)) {
    const who = names.nameOf(formatIpv4(e.ip));
    if (who && who.kind !== "service") out.add(who.name);
  }
  return [...out];
}

function chainExists(spec: WorldSpec, chain: string): boolean {
  return spec.namespaces.some((n) =>
    n.iptables?.ruleset.tables.some((t) => t.chains.some((c) => c.name === chain || c.rules.some((r) => r.target?.kind === "jump" && r.target.chain === chain))),
  );
}

/**
 * The endpoints a pod name stands for: the pod's IP (any port); for a host-network pod, whose IP
 * is its node's, only the Service endpoints that name the pod. Without a cluster, a namespace's
 * name stands for its addresses. Undefined when nothing has that name.
 */
function podEndpoints(spec: WorldSpec, text: string): Endpoint[] | { error: string } | undefined {
  const cluster = spec.cluster;
  if (cluster) {
    const pods = cluster.pods.filter((p) => p.name === text || `${p.namespace}/${p.name}` === text);
    if (pods.length === 0) return undefined;
    if (pods.length > 1) return { error: `ambiguous: ${pods.map((p) => `${p.namespace}/${p.name}`).join(" and ")} share that name; write namespace/name` };
    const p = pods[0]!;
    const full = `${p.namespace}/${p.name}`;
    if (p.ip === undefined) return { error: `pod ${full} has no IP (it is ${p.status})` };
    if (!p.hostNetwork) return [{ ip: parseIpv4(p.ip)! }];
    const endpoints: Endpoint[] = [];
    for (const e of cluster.endpoints)
      for (const a of e.addresses) if (a.pod === full) for (const port of e.ports) endpoints.push({ ip: parseIpv4(a.ip)!, port: port.port });
    if (endpoints.length === 0) return { error: `pod ${full} uses its node's network (${p.ip}) and no Service's endpoints name it` };
    return endpoints;
  }
  const ns = spec.namespaces.find((n) => n.name === text);
  if (!ns) return undefined;
  const addrs = ns.addresses.filter((a) => a.addr >>> 24 !== 127);
  if (addrs.length === 0) return { error: `namespace ${text} has no address` };
  return addrs.map((a) => ({ ip: a.addr }));
}

/**
 * Names for addresses, as a person would say them: a cluster's pods (not host-network ones),
 * Services (cluster and external IPs) and nodes (InternalIP); without a cluster, the namespace
 * holding an address, when only one does.
 */
export function addressNames(spec: WorldSpec): Required<Pick<StoryWorld, "nameOf">> {
  const names = new Map<string, AddressName | null>();
  const add = (ip: string, n: AddressName): void => {
    const had = names.get(ip);
    names.set(ip, had === undefined || (had && had.name === n.name) ? n : null);
  };
  const cluster = spec.cluster;
  if (cluster) {
    const short = new Map<string, number>();
    for (const p of cluster.pods) short.set(p.name, (short.get(p.name) ?? 0) + 1);
    for (const p of cluster.pods) if (p.ip !== undefined && !p.hostNetwork) add(p.ip, { kind: "pod", name: short.get(p.name) === 1 ? p.name : `${p.namespace}/${p.name}` });
    for (const s of cluster.services) for (const ip of [s.clusterIP, ...s.externalIPs]) if (ip !== "None") add(ip, { kind: "service", name: `${s.namespace}/${s.name}` });
    for (const n of cluster.nodes) add(n.internalIP, { kind: "node", name: n.name });
  } else {
    for (const n of spec.namespaces) for (const a of n.addresses) if (a.addr >>> 24 !== 127) add(formatIpv4(a.addr), { kind: "host", name: n.name });
  }
  return { nameOf: (ip) => names.get(ip) ?? undefined };
}

/** What the story of a run may know about the world: names for addresses, and how chains branch. */
export function storyWorld(spec: WorldSpec): StoryWorld {
  return {
    ...addressNames(spec),
    branchesOf: (node, table, chain) => {
      const rs = spec.namespaces.find((n) => n.name === node)?.iptables?.ruleset;
      return rs ? randomBranches(rs, table, chain) : undefined;
    },
  };
}
