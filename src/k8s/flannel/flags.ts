/**
 * flanneld's command line as the DaemonSet writes it (`args:` of the kube-flannel container),
 * read the way flanneld v0.26.0 reads it: Go's flag package (FlagSet.parseOne: `-x` or `--x`,
 * `--x=v` or `--x v` for non-bool flags, `--x` alone sets a bool, parsing stops at the first
 * argument that is not a flag or after `--`), repeatable `--iface` / `--iface-regex`
 * (flagSlice appends), then FLANNELD_* environment variables for flags the command line left
 * unset (coreos/pkg flagutil.SetFlagsFromEnv: one value each). A flag flanneld does not define
 * is bad input and comes back as an Issue carrying flanneld's own message.
 */
import type { Issue, Position, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import type { LogEntry } from "./klog.js";
import { goQuote, goSlice } from "./klog.js";
import { SITES } from "./sites.js";

/** CmdLineOpts of flanneld v0.26.0, in its field order (the `CLI flags config` line prints them so). */
export interface FlannelOpts {
  readonly etcdEndpoints: string;
  readonly etcdPrefix: string;
  readonly etcdKeyfile: string;
  readonly etcdCertfile: string;
  readonly etcdCAFile: string;
  readonly etcdUsername: string;
  readonly etcdPassword: string;
  readonly version: boolean;
  readonly kubeSubnetMgr: boolean;
  readonly kubeApiUrl: string;
  readonly kubeAnnotationPrefix: string;
  readonly kubeConfigFile: string;
  readonly iface: readonly string[];
  readonly ifaceRegex: readonly string[];
  readonly ipMasq: boolean;
  readonly ifaceCanReach: string;
  readonly subnetFile: string;
  readonly publicIP: string;
  readonly publicIPv6: string;
  readonly subnetLeaseRenewMargin: number;
  readonly healthzIP: string;
  readonly healthzPort: number;
  readonly iptablesResyncSeconds: number;
  readonly iptablesForwardRules: boolean;
  readonly netConfPath: string;
  readonly setNodeNetworkUnavailable: boolean;
}

type Field = keyof FlannelOpts;
type Kind = "string" | "bool" | "int" | "slice";
interface FlagDef {
  readonly kind: Kind;
  /** The opts field; klog's copied flags (-v, -vmodule, -log_backtrace_at) have none. */
  readonly field?: Field;
}

export const DEFAULT_OPTS: FlannelOpts = {
  etcdEndpoints: "http://127.0.0.1:4001,http://127.0.0.1:2379",
  etcdPrefix: "/coreos.com/network",
  etcdKeyfile: "",
  etcdCertfile: "",
  etcdCAFile: "",
  etcdUsername: "",
  etcdPassword: "",
  version: false,
  kubeSubnetMgr: false,
  kubeApiUrl: "",
  kubeAnnotationPrefix: "flannel.alpha.coreos.com",
  kubeConfigFile: "",
  iface: [],
  ifaceRegex: [],
  ipMasq: false,
  ifaceCanReach: "",
  subnetFile: "/run/flannel/subnet.env",
  publicIP: "",
  publicIPv6: "",
  subnetLeaseRenewMargin: 60,
  healthzIP: "0.0.0.0",
  healthzPort: 0,
  iptablesResyncSeconds: 5,
  iptablesForwardRules: true,
  netConfPath: "/etc/kube-flannel/net-conf.json",
  setNodeNetworkUnavailable: true,
};

/** Every flag flanneld v0.26.0 defines (main.go init()), in definition order (VisitAll is sorted, so order only matters for docs). */
const FLAGS: Readonly<Record<string, FlagDef>> = {
  "etcd-endpoints": { kind: "string", field: "etcdEndpoints" },
  "etcd-prefix": { kind: "string", field: "etcdPrefix" },
  "etcd-keyfile": { kind: "string", field: "etcdKeyfile" },
  "etcd-certfile": { kind: "string", field: "etcdCertfile" },
  "etcd-cafile": { kind: "string", field: "etcdCAFile" },
  "etcd-username": { kind: "string", field: "etcdUsername" },
  "etcd-password": { kind: "string", field: "etcdPassword" },
  iface: { kind: "slice", field: "iface" },
  "iface-regex": { kind: "slice", field: "ifaceRegex" },
  "iface-can-reach": { kind: "string", field: "ifaceCanReach" },
  "subnet-file": { kind: "string", field: "subnetFile" },
  "public-ip": { kind: "string", field: "publicIP" },
  "public-ipv6": { kind: "string", field: "publicIPv6" },
  "subnet-lease-renew-margin": { kind: "int", field: "subnetLeaseRenewMargin" },
  "ip-masq": { kind: "bool", field: "ipMasq" },
  "kube-subnet-mgr": { kind: "bool", field: "kubeSubnetMgr" },
  "kube-api-url": { kind: "string", field: "kubeApiUrl" },
  "kube-annotation-prefix": { kind: "string", field: "kubeAnnotationPrefix" },
  "kubeconfig-file": { kind: "string", field: "kubeConfigFile" },
  version: { kind: "bool", field: "version" },
  "healthz-ip": { kind: "string", field: "healthzIP" },
  "healthz-port": { kind: "int", field: "healthzPort" },
  "iptables-resync": { kind: "int", field: "iptablesResyncSeconds" },
  "iptables-forward-rules": { kind: "bool", field: "iptablesForwardRules" },
  "net-config-path": { kind: "string", field: "netConfPath" },
  "set-node-network-unavailable": { kind: "bool", field: "setNodeNetworkUnavailable" },
  v: { kind: "int" },
  vmodule: { kind: "string" },
  log_backtrace_at: { kind: "string" },
};

/** strconv.ParseBool. */
function parseGoBool(v: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  return undefined;
}

/** strconv.ParseInt(v, 0, 64) as flag.intValue does: decimal, 0x, 0o/0, 0b, optional sign and underscores. */
function parseGoInt(v: string): { readonly ok: true; readonly n: number } | { readonly ok: false; readonly err: string } {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]*|[1-9][0-9_]*)$/.exec(v);
  if (!m || /__|_$|^[+-]?_/.test(v)) return { ok: false, err: "parse error" };
  const body = m[2]!.replace(/_/g, "");
  const n = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16)
    : /^0[bB]/.test(body) ? parseInt(body.slice(2), 2)
    : /^0[oO]/.test(body) ? parseInt(body.slice(2), 8)
    : body.length > 1 && body.startsWith("0") ? parseInt(body.slice(1), 8)
    : parseInt(body, 10);
  const signed = m[1] === "-" ? -n : n;
  return Number.isSafeInteger(signed) ? { ok: true, n: signed } : { ok: false, err: "value out of range" };
}

type Mutable = { -readonly [K in keyof FlannelOpts]: FlannelOpts[K] extends readonly string[] ? string[] : FlannelOpts[K] };

/** flag.Value.Set for one flag; returns the Go error text on failure. */
function setFlag(opts: Mutable, def: FlagDef, value: string): string | undefined {
  if (def.kind === "slice") {
    if (def.field) (opts[def.field] as string[]).push(value);
    return undefined;
  }
  if (def.kind === "bool") {
    const b = parseGoBool(value);
    if (b === undefined) return "parse error";
    if (def.field) (opts as Record<string, unknown>)[def.field] = b;
    return undefined;
  }
  if (def.kind === "int") {
    const r = parseGoInt(value);
    if (!r.ok) return r.err;
    if (def.field) (opts as Record<string, unknown>)[def.field] = r.n;
    return undefined;
  }
  if (def.field) (opts as Record<string, unknown>)[def.field] = value;
  return undefined;
}

export interface ParsedArgs {
  readonly opts: FlannelOpts;
  /** Arguments after the first non-flag (or after `--`): Go's flag package leaves them unparsed, and flanneld ignores them. */
  readonly ignored: readonly string[];
}

/**
 * Parses the container args (without the command itself) and the container environment.
 * `at` is where the args list is written, `argAt(i)` (if given) where argument i is; each Issue
 * names the argument by index.
 */
export function parseFlannelArgs(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  at: Position = { file: "<flanneld args>", line: 1, column: 1 },
  argAt?: (index: number) => Position,
): Result<ParsedArgs> {
  const opts: Mutable = { ...DEFAULT_OPTS, iface: [], ifaceRegex: [] };
  const set = new Set<string>();
  const issue = (code: string, i: number, message: string): Result<ParsedArgs> =>
    fail([{ code, at: argAt ? argAt(i) : at, message: `args[${i}] ${JSON.stringify(args[i])}: ${message}` } satisfies Issue]);
  let i = 0;
  while (i < args.length) {
    const s = args[i]!;
    if (s.length < 2 || s[0] !== "-") break;
    let name = s.slice(1);
    if (s[1] === "-") {
      if (s.length === 2) {
        i++;
        break;
      }
      name = s.slice(2);
    }
    if (name.length === 0 || name[0] === "-" || name[0] === "=") return issue("flag-syntax", i, `flanneld exits 2: bad flag syntax: ${s}`);
    const eq = name.indexOf("=", 1);
    const hasValue = eq > 0;
    const value = hasValue ? name.slice(eq + 1) : "";
    if (hasValue) name = name.slice(0, eq);
    const def = FLAGS[name];
    if (!def) {
      if (name === "help" || name === "h") return issue("flag-help", i, "flanneld prints its usage and exits 0 without starting");
      return issue("unknown-flag", i, `flanneld exits 2: flag provided but not defined: -${name}`);
    }
    const argIndex = i;
    i++;
    if (def.kind === "bool") {
      const err = setFlag(opts, def, hasValue ? value : "true");
      if (err) return issue("bad-flag-value", argIndex, `flanneld exits 2: invalid boolean value ${goQuote(value)} for -${name}: ${err}`);
    } else {
      let v = value;
      if (!hasValue) {
        if (i >= args.length) return issue("flag-needs-argument", argIndex, `flanneld exits 2: flag needs an argument: -${name}`);
        v = args[i]!;
        i++;
      }
      const err = setFlag(opts, def, v);
      if (err) return issue("bad-flag-value", argIndex, `flanneld exits 2: invalid value ${goQuote(v)} for flag -${name}: ${err}`);
    }
    set.add(name);
  }
  const ignored = args.slice(i);
  // SetFlagsFromEnv visits flags in lexical order; each unset flag takes at most one value.
  for (const name of Object.keys(FLAGS).sort()) {
    if (set.has(name)) continue;
    const key = `FLANNELD_${name.replace(/-/g, "_").toUpperCase()}`;
    const v = env[key];
    if (v === undefined || v === "") continue;
    const err = setFlag(opts, FLAGS[name]!, v);
    if (err) return fail([{ code: "bad-env-value", at, message: `env ${key}: invalid value ${goQuote(v)} for ${key}: ${err}` }]);
  }
  if (opts.version) return fail([{ code: "flag-version", at, message: "--version: flanneld prints its version and exits 0 without starting" }]);
  return ok({ opts, ignored });
}

/** main.go's first line: `CLI flags config: %+v` of CmdLineOpts. */
export function cliFlagsEntry(o: FlannelOpts): LogEntry {
  const fields = (Object.keys(DEFAULT_OPTS) as Field[]).map((k) => {
    const v = o[k];
    return `${k}:${Array.isArray(v) ? goSlice(v) : String(v)}`;
  });
  return { severity: "I", site: SITES.cliFlags, message: `CLI flags config: {${fields.join(" ")}}` };
}
