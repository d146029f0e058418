/**
 * What a ruleset text exercises, read off the text itself (so the counts in `cases.ts --list`
 * cannot drift from the cases): header tests (`-s`, `! -d`, `-i +` …), each match module and
 * option (`tcp --dport`, `conntrack --ctstate NEW`, `recent --rcheck` …), each target and its
 * variant (`REJECT tcp-reset`, `DNAT ip:port`, `MASQUERADE --random-fully`, `jump`, `goto`),
 * and policies DROP.
 */

const TARGETS = new Set(["ACCEPT", "DROP", "RETURN", "REJECT", "MARK", "CONNMARK", "DNAT", "SNAT", "MASQUERADE", "REDIRECT", "LOG", "NOTRACK", "CT", "TRACE"]);
const HEADER = new Set(["-s", "-d", "-i", "-o", "-p", "-f"]);

/** Splits an iptables rule line into words, keeping "quoted strings" whole. */
export function words(line: string): string[] {
  return [...line.matchAll(/"(?:[^"\\]|\\.)*"|\S+/g)].map((m) => m[0]);
}

export function featuresOfLine(line: string): string[] {
  const w = words(line);
  const out: string[] = [];
  let module = "";
  let neg = false;
  for (let k = 2; k < w.length; k++) {
    const t = w[k] ?? "";
    if (t === "!") {
      neg = true;
      continue;
    }
    const bang = neg ? "! " : "";
    neg = false;
    if (HEADER.has(t)) {
      const v = t === "-f" ? "" : (w[++k] ?? "");
      out.push(`${bang}${t}`);
      if ((t === "-i" || t === "-o") && v.endsWith("+")) out.push(`${t} wildcard +`);
      if (t === "-p" && (v === "tcp" || v === "udp" || v === "icmp" || v === "6")) module = v === "6" ? "tcp" : v;
      continue;
    }
    if (t === "-m") {
      module = w[++k] ?? "";
      out.push(`-m ${module}`);
      continue;
    }
    if (t === "-j" || t === "-g") {
      const target = w[++k] ?? "";
      const rest = w.slice(k + 1);
      if (!TARGETS.has(target)) out.push(t === "-g" ? "goto user chain" : "jump user chain");
      else out.push(...targetFeatures(target, rest));
      break;
    }
    if (t.startsWith("--")) {
      out.push(`${module} ${bang}${t}`);
      if (t === "--ctstate" || t === "--state") for (const s of (w[k + 1] ?? "").split(",")) out.push(`${module} ${t} ${s}`);
      if (t === "--mode") out.push(`${module} --mode ${w[k + 1] ?? ""}`);
    }
  }
  return out;
}

function targetFeatures(target: string, rest: readonly string[]): string[] {
  const has = (o: string): boolean => rest.includes(o);
  const val = (o: string): string => rest[rest.indexOf(o) + 1] ?? "";
  switch (target) {
    case "REJECT":
      return [`REJECT ${has("--reject-with") ? val("--reject-with") : "(default)"}`];
    case "DNAT": {
      const to = val("--to-destination") || val("--to");
      return [`DNAT ${to.startsWith(":") ? "port only" : to.includes(":") ? "ip:port" : "ip"}`];
    }
    case "SNAT":
      return [`SNAT ${(val("--to-source") || val("--to")).includes(":") ? "ip:port" : "ip"}${has("--random-fully") ? " --random-fully" : has("--random") ? " --random" : ""}`];
    case "MASQUERADE":
      return [`MASQUERADE${has("--to-ports") ? " --to-ports" : ""}${has("--random") ? " --random" : ""}${has("--random-fully") ? " --random-fully" : ""}`];
    case "REDIRECT":
      return [`REDIRECT${has("--to-ports") ? " --to-ports" : ""}`];
    case "MARK":
      return rest.filter((r) => r.startsWith("--")).map((o) => (o === "--set-xmark" ? `MARK ${xmarkForm(val(o))}` : `MARK ${o}`));
    case "CT":
      return ["CT --notrack"];
    default:
      return [target];
  }
}

/** Which MARK option iptables-save's `--set-xmark value/mask` was written as (new = (old & ~mask) ^ value). */
function xmarkForm(vm: string): string {
  const [v, m] = vm.split("/").map((x) => Number(x)) as [number, number | undefined];
  const mask = m ?? 0xffffffff;
  if (mask === 0xffffffff) return "--set-mark (as --set-xmark v/0xffffffff)";
  if (mask === 0) return "--xor-mark (as --set-xmark v/0x0)";
  if (v === mask) return "--or-mark (as --set-xmark v/v)";
  if (v === 0) return "--and-mark (as --set-xmark 0x0/~v)";
  return "--set-xmark value/mask";
}

/** Every feature a ruleset text exercises (a set: each counted once per case). */
export function features(text: string): Set<string> {
  const out = new Set<string>();
  let table = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("*")) table = line.slice(1);
    const pol = /^:(\w+) DROP /.exec(line);
    if (pol) out.add(`policy DROP (${table} ${pol[1] ?? ""})`);
    if (!line.startsWith("-A ")) continue;
    const chain = words(line)[1] ?? "";
    for (const f of featuresOfLine(line)) {
      out.add(f);
      if (/^(DNAT|SNAT|MASQUERADE|REDIRECT|MARK)/.test(f)) out.add(`${f.split(" ")[0] ?? f} in ${table} ${chain.startsWith("KUBE") ? "(user chain)" : chain}`);
    }
  }
  return out;
}
