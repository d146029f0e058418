/**
 * The normalisation upstream's proxier tests apply before comparing a sync with an expected
 * dump (pkg/proxy/iptables/proxier_test.go sortIPTablesRules, printed as
 * pkg/util/iptables/testing/parse.go's IPTablesDump.String()), so that Go's random Service
 * order does not matter:
 *
 *  - tables by name (filter before nat);
 *  - chains: KUBE-NODEPORTS, then KUBE-SERVICES, then other KUBE-* chains by name, then the rest;
 *  - all chain lines first (`:NAME - [0:0]`), then every chain's rules in that chain order, then
 *    `-X` lines of deleted chains;
 *  - rules of both tables' KUBE-NODEPORTS and KUBE-SERVICES stably sorted by the service name in
 *    their comment (the comment up to the first space or colon), nat KUBE-SERVICES' "must be the
 *    last rule" rule kept last. Rule text stays as written.
 *
 * With it, the expected dumps of research/kube-proxy.md §10.1 and §10.2 compare byte for byte.
 */

interface Chain {
  readonly name: string;
  rules: string[];
  deleted: boolean;
}

interface Table {
  readonly name: string;
  readonly chains: Chain[];
}

/** The `--comment` value (quotes dropped), or undefined. */
function commentOf(rule: string): string | undefined {
  const m = /--comment (?:"([^"]*)"|(\S+))/.exec(rule);
  return m ? (m[1] ?? m[2]) : undefined;
}

function serviceName(comment: string): string {
  const i = comment.search(/[ :]/);
  return i < 0 ? comment : comment.slice(0, i);
}

/** orderByCommentServiceName as a comparator (0 when either rule has no comment: stable). */
function byServiceName(a: string, b: string): number {
  const ca = commentOf(a);
  const cb = commentOf(b);
  if (ca === undefined || cb === undefined) return 0;
  const na = serviceName(ca);
  const nb = serviceName(cb);
  return na < nb ? -1 : na > nb ? 1 : 0;
}

function chainRank(name: string): number {
  if (name === "KUBE-NODEPORTS") return 0;
  if (name === "KUBE-SERVICES") return 1;
  return name.startsWith("KUBE-") ? 2 : 3;
}

function parseDump(text: string): Table[] {
  const tables: Table[] = [];
  let table: Table | undefined;
  const chain = (name: string): Chain => {
    const c = table!.chains.find((x) => x.name === name);
    if (!c) throw new Error(`no chain ${name} in ${table!.name}`);
    return c;
  };
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("*")) {
      table = { name: line.slice(1), chains: [] };
      tables.push(table);
    } else if (line === "COMMIT") table = undefined;
    else if (line.startsWith(":")) table!.chains.push({ name: line.slice(1).split(" ")[0]!, rules: [], deleted: false });
    else if (line.startsWith("-A ")) chain(line.split(" ")[1]!).rules.push(line);
    else if (line.startsWith("-X ")) chain(line.slice(3)).deleted = true;
    else throw new Error(`unexpected line ${JSON.stringify(line)}`);
  }
  return tables;
}

export function sortLikeUpstreamTests(text: string): string {
  const tables = parseDump(text).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const t of tables) {
    t.chains.sort((a, b) => chainRank(a.name) - chainRank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const c of t.chains) {
      if (c.name === "KUBE-NODEPORTS" || (c.name === "KUBE-SERVICES" && t.name === "filter")) c.rules.sort(byServiceName);
      if (c.name === "KUBE-SERVICES" && t.name === "nat") {
        const last = (r: string): boolean => commentOf(r)?.includes("must be the last rule") ?? false;
        c.rules.sort((a, b) => (last(a) ? (last(b) ? 0 : 1) : last(b) ? -1 : byServiceName(a, b)));
      }
    }
  }
  let out = "";
  for (const t of tables) {
    out += `*${t.name}\n`;
    for (const c of t.chains) out += `:${c.name} - [0:0]\n`;
    for (const c of t.chains) for (const r of c.rules) out += `${r}\n`;
    for (const c of t.chains) if (c.deleted) out += `-X ${c.name}\n`;
    out += "COMMIT\n";
  }
  return out;
}
