/**
 * `kubectl get pods|services|endpoints|nodes` (kubectl v1.30 against a v1.30 API server) as a
 * read-only view of a ClusterView: the tables the server's printers build
 * (pkg/printers/internalversion/printers.go: printPod, printService, printEndpoints via
 * formatEndpoints, printNode) and what kubectl's get command does around them
 * (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go):
 *
 *  - a list comes in the API server's order, namespace then name; named objects in the order
 *    asked, each missing one an `Error from server (NotFound)` line and exit 1;
 *  - `-A` puts NAMESPACE first (never for nodes, which have no namespace), `-o wide` adds the
 *    priority-1 columns, `--no-headers` drops the header line;
 *  - nothing printed and no error: `No resources found in NS namespace.` on stderr, exit 0 —
 *    or `No resources found` with `-A` or when a cluster-scoped object was listed (an empty
 *    node list therefore still says "in default namespace", as kubectl does);
 *  - an empty table prints no header either (the table printer returns early on no rows).
 *
 * Not modelled: objects' own labels other than pods' (so `-l` is refused for other types),
 * LoadBalancer status (its EXTERNAL-IP stays `<pending>` unless externalIPs are set),
 * init containers, readiness gates and nominated nodes (always `<none>`), deletion (Terminating).
 */
import type { ClusterView, EndpointsView, NodeView, PodView, ServiceView } from "../k8s/cluster/view.js";
import { byteOrder, formatLabels, humanDuration, tabwrite } from "./kubectl-table.js";

export type ResourceKind = "pods" | "services" | "endpoints" | "nodes";

/** One requirement of a label selector (labels.Parse): `k=v`, `k==v`, `k!=v`, `k`, `!k`. */
export type Requirement =
  | { readonly op: "=" | "!="; readonly key: string; readonly value: string }
  | { readonly op: "exists" | "!exists"; readonly key: string };

export interface GetRequest {
  readonly kind: ResourceKind;
  /** Names asked for; empty lists every object. */
  readonly names: readonly string[];
  readonly namespace: string;
  readonly allNamespaces: boolean;
  readonly wide: boolean;
  readonly noHeaders: boolean;
  readonly selector: readonly Requirement[];
}

export interface GetResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Parses the simple selector forms; undefined for the set-based ones (`in`, `notin`, `>`…). */
export function parseSelector(text: string): Requirement[] | undefined {
  const out: Requirement[] = [];
  for (const raw of text.split(",")) {
    const part = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([A-Za-z0-9._/-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(part))) {
      out.push({ op: m[2] === "!=" ? "!=" : "=", key: m[1]!, value: m[3]! });
    } else if ((m = /^!\s*([A-Za-z0-9._/-]+)$/.exec(part))) {
      out.push({ op: "!exists", key: m[1]! });
    } else if ((m = /^([A-Za-z0-9._/-]+)$/.exec(part))) {
      out.push({ op: "exists", key: m[1]! });
    } else {
      return undefined;
    }
  }
  return out;
}

function selects(selector: readonly Requirement[], labels: Readonly<Record<string, string>>): boolean {
  return selector.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case "=":
        return has && labels[r.key] === r.value;
      case "!=":
        return !has || labels[r.key] !== r.value;
      case "exists":
        return has;
      case "!exists":
        return !has;
    }
  });
}

/** The resource's name as the API server words NotFound errors. */
const PLURAL: Readonly<Record<ResourceKind, string>> = { pods: "pods", services: "services", endpoints: "endpoints", nodes: "nodes" };

const age = (nowSeconds: number, createdAt: number): string => humanDuration(nowSeconds - createdAt);

function podRow(p: PodView, now: number, wide: boolean): string[] {
  // printPod(): RESTARTS gains "(AGO ago)" once a container has terminated before.
  const restarts = p.restarts !== 0 && p.lastRestartAt !== undefined ? `${p.restarts} (${age(now, p.lastRestartAt)} ago)` : String(p.restarts);
  const row = [p.name, `${p.ready[0]}/${p.ready[1]}`, p.status, restarts, age(now, p.createdAt)];
  if (wide) row.push(p.ip ?? "<none>", p.node === "" ? "<none>" : p.node, "<none>", "<none>");
  return row;
}

/** getServiceExternalIP(). */
function externalIP(s: ServiceView): string {
  if (s.type === "LoadBalancer") return s.externalIPs.length > 0 ? s.externalIPs.join(",") : "<pending>";
  return s.externalIPs.length > 0 ? s.externalIPs.join(",") : "<none>";
}

/** makePortString(): `80/TCP`, `80:30309/TCP`, joined by commas. */
function portString(s: ServiceView): string {
  const text = s.ports.map((p) => (p.nodePort !== undefined && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(",");
  return text === "" ? "<none>" : text;
}

function serviceRow(s: ServiceView, now: number, wide: boolean): string[] {
  const row = [s.name, s.type, s.clusterIP === "" ? "<none>" : s.clusterIP, externalIP(s), portString(s), age(now, s.createdAt)];
  if (wide) row.push(formatLabels(s.selector));
  return row;
}

/**
 * formatEndpoints(): ready addresses only, port by port, at most three `ip:port` and then
 * `+ N more...`; `<none>` only when the object has no subset at all (no address, ready or not),
 * so a Service whose pods are all unready shows an empty cell.
 */
export function formatEndpoints(e: EndpointsView): string {
  if (e.addresses.length === 0) return "<none>";
  const ready = e.addresses.filter((a) => a.ready);
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (text: string): void => {
    if (list.length === max) more = true;
    else list.push(text);
  };
  if (e.ports.length === 0) {
    // A headless Service without ports: bare addresses.
    count += ready.length;
    for (const a of ready) add(a.ip);
  } else {
    for (const p of e.ports) {
      count += ready.length;
      for (const a of ready) add(`${a.ip}:${p.port}`);
    }
  }
  const text = list.join(",");
  return more ? `${text} + ${count - max} more...` : text;
}

function endpointsRow(e: EndpointsView, now: number): string[] {
  return [e.name, formatEndpoints(e), age(now, e.createdAt)];
}

function nodeRow(n: NodeView, now: number, wide: boolean): string[] {
  const roles = [...n.roles].sort(byteOrder).join(",");
  const row = [n.name, n.ready ? "Ready" : "NotReady", roles === "" ? "<none>" : roles, age(now, n.createdAt), n.kubeletVersion];
  if (wide) {
    const unknown = (s: string): string => (s === "" ? "<unknown>" : s);
    row.push(n.internalIP === "" ? "<none>" : n.internalIP, "<none>", unknown(n.osImage), unknown(n.kernelVersion), unknown(n.containerRuntime));
  }
  return row;
}

const HEADERS: Readonly<Record<ResourceKind, { readonly base: readonly string[]; readonly wide: readonly string[] }>> = {
  pods: { base: ["NAME", "READY", "STATUS", "RESTARTS", "AGE"], wide: ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] },
  services: { base: ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], wide: ["SELECTOR"] },
  endpoints: { base: ["NAME", "ENDPOINTS", "AGE"], wide: [] },
  nodes: { base: ["NAME", "STATUS", "ROLES", "AGE", "VERSION"], wide: ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"] },
};

interface Item {
  readonly namespace?: string;
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  row(wide: boolean): string[];
}

function items(cluster: ClusterView, kind: ResourceKind, now: number): Item[] {
  switch (kind) {
    case "pods":
      return cluster.pods.map((p) => ({ namespace: p.namespace, name: p.name, labels: p.labels, row: (w) => podRow(p, now, w) }));
    case "services":
      return cluster.services.map((s) => ({ namespace: s.namespace, name: s.name, row: (w) => serviceRow(s, now, w) }));
    case "endpoints":
      return cluster.endpoints.map((e) => ({ namespace: e.namespace, name: e.name, row: () => endpointsRow(e, now) }));
    case "nodes":
      return cluster.nodes.map((n) => ({ name: n.name, row: (w) => nodeRow(n, now, w) }));
  }
}

/** Runs one `kubectl get` against the cluster at `nowSeconds` (virtual seconds). */
export function kubectlGet(cluster: ClusterView, nowSeconds: number, req: GetRequest): GetResult {
  const namespaced = req.kind !== "nodes";
  const all = items(cluster, req.kind, nowSeconds);
  const inScope = (i: Item): boolean => !namespaced || req.allNamespaces || i.namespace === req.namespace;
  let chosen: Item[] = [];
  let stderr = "";
  if (req.names.length > 0) {
    for (const name of req.names) {
      const found = all.find((i) => i.name === name && inScope(i));
      if (found) chosen.push(found);
      else stderr += `Error from server (NotFound): ${PLURAL[req.kind]} "${name}" not found\n`;
    }
  } else {
    chosen = all
      .filter(inScope)
      .filter((i) => selects(req.selector, i.labels ?? {}))
      .sort((a, b) => byteOrder(a.namespace ?? "", b.namespace ?? "") || byteOrder(a.name, b.name));
  }
  const withNamespace = req.allNamespaces && namespaced;
  const rows = chosen.map((i) => {
    const row = i.row(req.wide);
    return withNamespace ? [i.namespace ?? "", ...row] : row;
  });
  if (rows.length === 0) {
    if (stderr !== "") return { stdout: "", stderr, exitCode: 1 };
    // allResourcesNamespaced starts as !AllNamespaces and only printed objects can clear it.
    const none = req.allNamespaces ? "No resources found\n" : `No resources found in ${req.namespace} namespace.\n`;
    return { stdout: "", stderr: none, exitCode: 0 };
  }
  const h = HEADERS[req.kind];
  const header = [...(withNamespace ? ["NAMESPACE"] : []), ...h.base, ...(req.wide ? h.wide : [])];
  const table = tabwrite(req.noHeaders ? rows : [header, ...rows]);
  return { stdout: table, stderr, exitCode: stderr === "" ? 0 : 1 };
}
