/**
 * `kubectl` (v1.30) on a node or pod of a simulated cluster: the command line (cobra/pflag:
 * flags anywhere, `-n ns`, `-nns`, `-n=ns`, `--namespace ns|=ns`, bool clusters like `-Ao wide`,
 * `--` ends flags), `get` (views/kubectl-get.ts) and `logs`, with kubectl's error texts and exit
 * codes: every error exits 1 (`error: …`, `Error from server (NotFound): …`), "No resources
 * found …" goes to stderr with exit 0.
 *
 * Where the world has no cluster (a low-level scenario), kubectl has no kubeconfig and talks to
 * http://localhost:8080, which refuses: five klog `E` lines from memcache.go (discovery) and
 * "The connection to the server localhost:8080 was refused …", exit 1. Simplified: the klog
 * header's date is always 0101, its time is the virtual clock, the pid is fixed (4242), and
 * `logs` prints the same five lines as `get`.
 *
 * Anything else kubectl can do (other verbs, other resource types, -o yaml/json, watches,
 * containers of a pod) is refused with a message saying it is not simulated, exit 1.
 */
import type { App, AppIo } from "./app.js";
import type { ClusterView } from "../k8s/cluster/view.js";
import { ViewExit, runView } from "../views/common.js";
import type { ResourceKind, Requirement } from "../views/kubectl-get.js";
import { kubectlGet, parseSelector } from "../views/kubectl-get.js";

interface FlagDef {
  readonly name: string;
  readonly short?: string;
  /** Takes a value (string/int flags); otherwise a bool flag. */
  readonly value: boolean;
}

/** Global flags (kubectl's persistent flags) that the simulator reads or refuses. */
const GLOBAL: readonly FlagDef[] = [
  { name: "namespace", short: "n", value: true },
  { name: "kubeconfig", value: true },
  { name: "context", value: true },
  { name: "cluster", value: true },
  { name: "user", value: true },
  { name: "server", short: "s", value: true },
  { name: "v", short: "v", value: true },
  { name: "request-timeout", value: true },
  { name: "help", short: "h", value: false },
];

const GET_FLAGS: readonly FlagDef[] = [
  { name: "output", short: "o", value: true },
  { name: "all-namespaces", short: "A", value: false },
  { name: "selector", short: "l", value: true },
  { name: "no-headers", value: false },
  { name: "show-labels", value: false },
  { name: "watch", short: "w", value: false },
  { name: "sort-by", value: true },
  { name: "field-selector", value: true },
  { name: "ignore-not-found", value: false },
  { name: "label-columns", short: "L", value: true },
  { name: "filename", short: "f", value: true },
];

const LOGS_FLAGS: readonly FlagDef[] = [
  { name: "tail", value: true },
  { name: "container", short: "c", value: true },
  { name: "follow", short: "f", value: false },
  { name: "previous", short: "p", value: false },
  { name: "timestamps", value: false },
  { name: "all-containers", value: false },
  { name: "since", value: true },
  { name: "selector", short: "l", value: true },
];

/** kubectl's verbs, so that a real but unsimulated one is told apart from a typo. */
const OTHER_VERBS = [
  "create", "expose", "run", "set", "explain", "edit", "delete", "rollout", "scale", "autoscale", "certificate",
  "cluster-info", "top", "cordon", "uncordon", "drain", "taint", "describe", "attach", "exec", "port-forward", "proxy",
  "cp", "auth", "debug", "events", "diff", "apply", "patch", "replace", "wait", "kustomize", "label", "annotate",
  "completion", "alpha", "api-resources", "api-versions", "config", "plugin", "version", "options",
];

/** Resource names and short names as discovery maps them (lower-cased first, as the RESTMapper does). */
const KINDS: Readonly<Record<string, ResourceKind>> = {
  pods: "pods", pod: "pods", po: "pods",
  services: "services", service: "services", svc: "services",
  endpoints: "endpoints", ep: "endpoints",
  nodes: "nodes", node: "nodes", no: "nodes",
};

/** Real resource types the API server serves that the ClusterView does not hold. */
const OTHER_KINDS = [
  "all", "namespaces", "namespace", "ns", "deployments", "deployment", "deploy", "replicasets", "replicaset", "rs",
  "daemonsets", "daemonset", "ds", "statefulsets", "statefulset", "sts", "configmaps", "configmap", "cm", "secrets",
  "secret", "serviceaccounts", "serviceaccount", "sa", "events", "event", "ev", "endpointslices", "endpointslice",
  "ingresses", "ingress", "ing", "jobs", "job", "cronjobs", "cronjob", "cj", "persistentvolumes", "persistentvolume", "pv",
  "persistentvolumeclaims", "persistentvolumeclaim", "pvc", "networkpolicies", "networkpolicy", "netpol",
  "replicationcontrollers", "replicationcontroller", "rc", "storageclasses", "storageclass", "sc", "roles", "role",
  "rolebindings", "rolebinding", "clusterroles", "clusterrole", "clusterrolebindings", "clusterrolebinding",
  "customresourcedefinitions", "customresourcedefinition", "crd", "crds", "leases", "lease", "componentstatuses", "cs",
  "limitranges", "limits", "resourcequotas", "quota", "podtemplates", "poddisruptionbudgets", "pdb", "ingressclasses",
  "priorityclasses", "pc", "csidrivers", "csinodes", "runtimeclasses", "apiservices", "horizontalpodautoscalers", "hpa",
];

function notSimulated(what: string): ViewExit {
  return new ViewExit(1, `kubectl: "${what}" is not simulated by podpath\n`);
}

interface Parsed {
  readonly flags: Map<string, string>;
  readonly args: string[];
}

/** pflag's parse: long flags `--x`, `--x=v`, `--x v`; shorthand clusters; interspersed args. */
function parseFlags(argv: readonly string[], defs: readonly FlagDef[], command: string): Parsed {
  const flags = new Map<string, string>();
  const args: string[] = [];
  const fail = (msg: string): ViewExit => new ViewExit(1, `error: ${msg}\nSee '${command} --help' for usage.\n`);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const def = defs.find((d) => d.name === name);
      if (!def) throw fail(`unknown flag: --${name}`);
      if (eq > 0) flags.set(def.name, a.slice(eq + 1));
      else if (!def.value) flags.set(def.name, "true");
      else if (i + 1 < argv.length) flags.set(def.name, argv[++i]!);
      else throw fail(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const def = defs.find((d) => d.short === c);
        if (!def) throw fail(`unknown shorthand flag: '${c}' in ${a}`);
        if (!def.value) {
          // `-A=false` sets a bool shorthand explicitly.
          if (a[j + 1] === "=") {
            flags.set(def.name, a.slice(j + 2));
            break;
          }
          flags.set(def.name, "true");
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest !== "") flags.set(def.name, rest.startsWith("=") ? rest.slice(1) : rest);
        else if (i + 1 < argv.length) flags.set(def.name, argv[++i]!);
        else throw fail(`flag needs an argument: '${c}' in ${a}`);
        break;
      }
      continue;
    }
    args.push(a);
  }
  return { flags, args };
}

function boolFlag(p: Parsed, name: string, command: string): boolean {
  const v = p.flags.get(name);
  if (v === undefined) return false;
  if (/^(1|t|T|true|TRUE|True)$/.test(v)) return true;
  if (/^(0|f|F|false|FALSE|False)$/.test(v)) return false;
  throw new ViewExit(1, `error: invalid argument "${v}" for "--${name}" flag: strconv.ParseBool: parsing "${v}": invalid syntax\nSee '${command} --help' for usage.\n`);
}

/** What kubectl prints when discovery cannot reach an API server. */
function connectionRefused(io: AppIo): ViewExit {
  const ms = Math.max(0, Math.floor(io.world.now));
  const two = (n: number): string => String(n).padStart(2, "0");
  const time = `${two(Math.floor(ms / 3_600_000) % 24)}:${two(Math.floor(ms / 60_000) % 60)}:${two(Math.floor(ms / 1000) % 60)}.${String((ms % 1000) * 1000).padStart(6, "0")}`;
  const line = `E0101 ${time}    4242 memcache.go:265] couldn't get current server API group list: Get "http://localhost:8080/api?timeout=32s": dial tcp 127.0.0.1:8080: connect: connection refused\n`;
  return new ViewExit(1, `${line.repeat(5)}The connection to the server localhost:8080 was refused - did you specify the right host or port?\n`);
}

function needCluster(io: AppIo): ClusterView {
  if (!io.world.cluster) throw connectionRefused(io);
  return io.world.cluster;
}

function kindOf(word: string): ResourceKind {
  const w = word.toLowerCase();
  const kind = Object.hasOwn(KINDS, w) ? KINDS[w] : undefined;
  if (kind) return kind;
  if (w.includes(",")) throw notSimulated(`get ${word}`);
  if (OTHER_KINDS.includes(w)) throw notSimulated(`get ${w}`);
  throw new ViewExit(1, `error: the server doesn't have a resource type "${word}"\n`);
}

function runGet(io: AppIo, argv: readonly string[]): number {
  const p = parseFlags(argv, [...GLOBAL, ...GET_FLAGS], "kubectl get");
  refuseCommon(p);
  for (const f of ["watch", "show-labels", "sort-by", "field-selector", "label-columns", "filename", "ignore-not-found"]) {
    if (p.flags.has(f)) throw notSimulated(`get --${f}`);
  }
  const output = p.flags.get("output") ?? "";
  if (!["", "wide"].includes(output)) {
    const known = ["custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file", "name", "template", "templatefile", "yaml"];
    if (known.includes(output.split("=")[0]!)) throw notSimulated(`get -o ${output}`);
    throw new ViewExit(
      1,
      `error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n`,
    );
  }
  const allNamespaces = boolFlag(p, "all-namespaces", "kubectl get");
  const noHeaders = boolFlag(p, "no-headers", "kubectl get");
  if (p.args.length === 0) {
    throw new ViewExit(
      1,
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
        'error: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
        "See 'kubectl get -h' for help and examples\n",
    );
  }
  const cluster = needCluster(io);
  // `TYPE NAME…` or `TYPE/NAME…`, one type at a time.
  let kind: ResourceKind;
  let names: string[];
  if (p.args[0]!.includes("/")) {
    const pairs = p.args.map((a) => {
      const slash = a.indexOf("/");
      if (slash < 0) throw new ViewExit(1, `error: arguments in resource/name form must have a single resource and name\n`);
      return { kind: kindOf(a.slice(0, slash)), name: a.slice(slash + 1) };
    });
    kind = pairs[0]!.kind;
    if (pairs.some((x) => x.kind !== kind)) throw notSimulated("get of several resource types");
    names = pairs.map((x) => x.name);
  } else {
    kind = kindOf(p.args[0]!);
    names = p.args.slice(1);
    if (names.some((n) => n.includes("/"))) {
      throw new ViewExit(
        1,
        "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n",
      );
    }
  }
  if (allNamespaces && names.length > 0) throw new ViewExit(1, "error: a resource cannot be retrieved by name across all namespaces\n");
  let selector: Requirement[] = [];
  const sel = p.flags.get("selector");
  // resource.Builder refuses the pair before any request.
  if (sel !== undefined && names.length > 0) throw new ViewExit(1, "error: name cannot be provided when a selector is specified\n");
  if (sel !== undefined) {
    if (kind !== "pods") throw notSimulated(`get ${kind} -l`);
    const parsed = parseSelector(sel);
    if (!parsed) throw notSimulated(`-l ${sel}`);
    selector = parsed;
  }
  const r = kubectlGet(cluster, io.world.now / 1000, {
    kind,
    names,
    namespace: p.flags.get("namespace") ?? "default",
    allNamespaces,
    wide: output === "wide",
    noHeaders,
    selector,
  });
  io.out(r.stdout);
  io.err(r.stderr);
  return r.exitCode;
}

function runLogs(io: AppIo, argv: readonly string[]): number {
  const p = parseFlags(argv, [...GLOBAL, ...LOGS_FLAGS], "kubectl logs");
  refuseCommon(p);
  for (const f of ["follow", "previous", "timestamps", "all-containers", "since", "selector"]) {
    if (p.flags.has(f)) throw notSimulated(`logs --${f}`);
  }
  let tail = -1;
  const t = p.flags.get("tail");
  if (t !== undefined) {
    if (!/^-?\d+$/.test(t)) throw new ViewExit(1, `error: invalid argument "${t}" for "--tail" flag: strconv.ParseInt: parsing "${t}": invalid syntax\nSee 'kubectl logs --help' for usage.\n`);
    tail = Number(t);
  }
  if (p.args.length === 0 || p.args.length > 2) {
    throw new ViewExit(
      1,
      "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n",
    );
  }
  const cluster = needCluster(io);
  let name = p.args[0]!;
  const slash = name.indexOf("/");
  if (slash >= 0) {
    const type = name.slice(0, slash).toLowerCase();
    if (KINDS[type] !== "pods") throw notSimulated(`logs ${name}`);
    name = name.slice(slash + 1);
  }
  const namespace = p.flags.get("namespace") ?? "default";
  const pod = cluster.pods.find((x) => x.namespace === namespace && x.name === name);
  if (!pod) throw new ViewExit(1, `error: error from server (NotFound): pods "${name}" not found in namespace "${namespace}"\n`);
  if (p.args.length === 2 || p.flags.has("container")) throw notSimulated("logs of a named container");
  // The server answers BadRequest naming the waiting container, whose name the view does not hold.
  if (pod.status === "ContainerCreating") throw notSimulated("logs of a pod whose container has not started");
  const lines = pod.logs ?? [];
  const shown = tail >= 0 ? lines.slice(Math.max(0, lines.length - tail)) : lines;
  io.out(shown.map((l) => `${l}\n`).join(""));
  return 0;
}

/** Global flags the simulator has no counterpart for. */
function refuseCommon(p: Parsed): void {
  for (const f of ["kubeconfig", "context", "cluster", "user", "server", "v", "request-timeout", "help"]) {
    if (p.flags.has(f)) throw notSimulated(`--${f}`);
  }
}

export const kubectlApp: App = (argv, io) =>
  runView(io, () => {
    // The verb is the first word that is not a flag (or a global flag's value).
    let i = 1;
    while (i < argv.length && argv[i]!.startsWith("-")) {
      const a = argv[i]!;
      const def = GLOBAL.find((d) => `--${d.name}` === a || `-${d.short ?? "\0"}` === a);
      i += def?.value ? 2 : 1;
    }
    const verb = argv[i];
    const rest = [...argv.slice(1, i), ...argv.slice(i + 1)];
    if (verb === undefined) throw notSimulated("kubectl without a command (its help text)");
    if (verb === "get") return runGet(io, rest);
    if (verb === "logs") return runLogs(io, rest);
    if (OTHER_VERBS.includes(verb)) throw notSimulated(verb);
    throw new ViewExit(1, `error: unknown command "${verb}" for "kubectl"\n`);
  });
