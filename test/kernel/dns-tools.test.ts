/**
 * dig, nslookup, getent, curl and ping resolving names, on the kernel and on the simulator, with
 * the same DNS answers on both sides.
 *
 * The world (test/dns/world.ts's dnsWorldSpec, a pod behind a node): `client`
 * 10.244.1.2 with a pod's resolv.conf (`search default.svc.cluster.local svc.cluster.local
 * cluster.local`, `nameserver 10.96.0.10`, `options ndots:5`) and a one-line /etc/hosts; `node`
 * routes and DNATs the kube-dns Service 10.96.0.10:53 (UDP and TCP) to `coredns` 10.244.2.10
 * and the kubia Service 10.98.41.49:80 to `web` 10.244.3.20:8080. ICMP errors are exempt from
 * both of the kernel's rate limits (`icmp_ratemask=0`): with `icmp_ratelimit=0` alone the global
 * limiter (icmp_msgs_per_sec, whose credit Linux spends at random) still dropped some port and
 * net unreachables in a fresh namespace, and glibc then waited out a timeout — 12 ms or 5 s for
 * the same curl, run after run.
 *
 * On the kernel the world is materialized (materialize.ts) and the client's files are written to
 * /etc/netns/<client>/, which `ip netns exec` bind-mounts over /etc. In `coredns` a small UDP +
 * TCP server (RELAY_SCRIPT, Node's dgram and net) hands every query to this test process, which
 * answers it with the octets podpath's CoreDNS model produces for it (dnsListenerReply of the
 * world's `dns` listener) — so the real tools and the simulated ones read identical replies, and
 * what is compared is the tools and the resolver, not the server. (Whether the model answers as
 * the real CoreDNS does is src/sock/dns-server.ts's business, checked against CoreDNS's source.)
 * The real tools run in the client namespace; the simulated ones in a fresh simulated world per
 * command. The simulator has no `getent`: its half is rendered here from the simulator's
 * getaddrinfo() (apps/resolver.ts) in getent's format (`%-15s %s` for hosts, `%-15s %-6s %s` for
 * ahosts/ahostsv4), which is what is under test.
 *
 * Compared: exit code, stdout and stderr exactly, after masking only what must differ
 * (DNS_MASKS, each with its reason) and normalize.ts's measured times; the time the command took
 * (the real wall-clock time within 900 ms of the simulator's virtual time whenever either is a
 * second or more — the timeouts are whole seconds, so a missing or extra try shows); and for UDP
 * lookups the sequence of names the server was asked (all of dig's and nslookup's; the A queries
 * of glibc's, since glibc also asks AAAA, which the IPv4-only simulator does not).
 *
 * Variants: a server that answers; UDP to it dropped (timeouts); UDP and TCP dropped (TCP
 * connect timeouts); a nameserver with nothing on port 53 (ICMP port unreachable, TCP RST); a
 * nameserver the node has no route to (ICMP net unreachable); the nameserver listed twice (nslookup's "trying next server"); two nameservers with `timeout:2
 * attempts:3` (glibc's per-server wait); `ndots:1 timeout:1` (the as-is name first).
 *
 * Compared with (Debian 12): bind9-dnsutils 1:9.18.49-1~deb12u3 (DiG 9.18.49-1~deb12u3-Debian),
 * libc6 / libc-bin (getent) 2.36-9+deb12u14, curl 7.88.1-10+deb12u14, iputils-ping
 * 3:20221126-1+deb12u1, Linux 6.18.44-fc-v595.
 * Measured on the kernel (all as the simulator now gives them): dig and nslookup with the server
 * silent 15.0 s (3 tries × 5 s, only the first name of the search list); curl/getent of a short
 * name 20.0 s (2 attempts × 5 s for kubia.default.svc.cluster.local, where a timeout ends the
 * search list, then 2 × 5 s for `kubia` as-is) and of an absolute name 10.0 s; dig +tcp and
 * nslookup -vc with SYNs dropped 30.1 s (3 tries × TCP_TIMEOUT 10 s); two servers with
 * `timeout:2 attempts:3`: dig/nslookup 8.0 s (4 tries × 2 s), curl/getent 24.0 s (3 rounds of
 * 2 s + (2 << 1) / 2 s, for two names); `ndots:1 timeout:1`: getent/curl of kubia.default 4.0 s,
 * nslookup/dig +search 3.0 s. Port unreachable: everything at once (glibc: ECONNREFUSED ends the
 * lookup). Net unreachable from the node: glibc at once (its socket has IP_RECVERR), dig and
 * nslookup over UDP 15 s (BIND's has not, and a connected UDP socket ignores soft errors), over
 * TCP at once (a SYN_SENT socket fails on any ICMP unreachable).
 *
 * Needs root, the tools of tools.ts, and dig, nslookup, getent (Debian: bind9-dnsutils,
 * libc-bin); skipped otherwise, failed under CI=true. Takes about 40 s (the worlds run side by
 * side; the slowest waits out 30 s of TCP timeouts).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { describe, expect, test, beforeAll, afterAll } from "vitest";
import type { ListenerSpec, WorldSpec } from "../../src/netns/spec.js";
import { formatIpv4 } from "../../src/core/ip.js";
import { dnsWorldSpec, POD_RESOLV_CONF } from "../dns/world.js";
import { buildWorld } from "../../src/sim/build.js";
import { runOn } from "../../src/sim/exec.js";
import { dnsListenerReply } from "../../src/sock/dns-server.js";
import { decodeDns } from "../../src/wire/dns.js";
import { getaddrinfo, type Resolution } from "../../src/apps/resolver.js";
import { splitCommandLine } from "../../src/apps/registry.js";
import { hasCommand, kernelAvailability, searchPath } from "./tools.js";
import { skipOrFail } from "./probe-suites.js";
import { materialize, type RealWorld } from "./materialize.js";
import { cleanEnv } from "./run.js";
import { cleanupStale, listNamespaces } from "./names.js";
import { deferred, type Deferred } from "./deferred.js";
import { limited } from "./limit.js";
import { normalizeOutput } from "./normalize.js";
import { lineDiff } from "./diff.js";

const SEARCH = "search default.svc.cluster.local svc.cluster.local cluster.local\n";
const HOSTS = "127.0.0.1\tlocalhost\n";

interface Variant {
  readonly name: string;
  /** What the node's FORWARD chain drops on port 53. */
  readonly drop?: "udp" | "udp+tcp";
  readonly resolvConf?: string;
  /** Run the commands side by side (only where no query reaches the server, so none is misattributed). */
  readonly parallel: boolean;
  /**
   * A world of its own for each command: where the node answers with ICMP net unreachable,
   * ip_error()'s token bucket per source host (route/error_burst 5 s, error_cost 1 s: five
   * errors, then one a second — not exempted by icmp_ratemask, and not per namespace to set)
   * would otherwise be spent by the first commands, and the later ones would wait out timeouts.
   */
  readonly worldPerCommand?: boolean;
  readonly commands: readonly string[];
}

const VARIANTS: readonly Variant[] = [
  {
    name: "answering",
    parallel: false,
    commands: [
      "dig kubia.default.svc.cluster.local",
      "dig kubia.default.svc.cluster.local.",
      "dig +short kubia.default.svc.cluster.local",
      "dig kubia",
      "dig +search kubia",
      "dig +search kubia.default",
      "dig +search nosuch",
      "dig nosuch.default.svc.cluster.local",
      "dig +short nosuch.default.svc.cluster.local",
      "dig 10-244-3-20.default.pod.cluster.local",
      "dig -t AAAA kubia.default.svc.cluster.local",
      "dig -t SOA cluster.local",
      "dig svc.cluster.local",
      "dig +tcp kubia.default.svc.cluster.local",
      "dig @10.244.2.10 kubia.default.svc.cluster.local",
      "nslookup kubia",
      "nslookup kubia.default",
      "nslookup kubia.default.svc.cluster.local",
      "nslookup kubia.default.svc.cluster.local.",
      "nslookup nosuch",
      "nslookup nosuch.default.svc.cluster.local",
      "nslookup nosuch.default.svc.cluster.local.",
      "nslookup -type=aaaa kubia",
      "nslookup -type=soa cluster.local",
      "nslookup 10-244-3-20.default.pod.cluster.local",
      "nslookup -vc kubia",
      "nslookup kubia.default.svc.cluster.local 10.244.2.10",
      "nslookup nosuch 10.244.2.10",
      "getent hosts kubia",
      "getent hosts nosuch",
      "getent ahosts kubia",
      "getent ahostsv4 kubia.default",
      "getent ahosts 10-244-3-20.default.pod.cluster.local",
      "getent ahosts nosuch.default.svc.cluster.local.",
      "curl -sS http://kubia/",
      "curl -sS http://kubia.default/",
      "curl -sS http://kubia.default.svc.cluster.local./",
      "curl -sS http://nosuch/",
      "curl -sS http://nosuch.default.svc.cluster.local./",
      "ping -c 1 nosuch.default.svc.cluster.local.",
    ],
  },
  {
    name: "udp dropped",
    drop: "udp",
    parallel: true,
    commands: [
      "dig kubia.default.svc.cluster.local",
      "dig +short kubia.default.svc.cluster.local",
      "dig +search kubia",
      "dig +tcp +short kubia.default.svc.cluster.local",
      "nslookup kubia",
      "nslookup kubia.default.svc.cluster.local.",
      "curl -sS http://kubia/",
      "curl -sS http://kubia.default.svc.cluster.local./",
      "getent ahosts kubia",
      "getent ahostsv4 kubia.default.svc.cluster.local.",
      "ping -c 1 kubia",
    ],
  },
  {
    name: "udp and tcp dropped",
    drop: "udp+tcp",
    parallel: true,
    commands: ["dig +tcp kubia.default.svc.cluster.local", "nslookup -vc kubia"],
  },
  {
    name: "port unreachable",
    resolvConf: `${SEARCH}nameserver 10.244.3.20\noptions ndots:5\n`,
    parallel: true,
    commands: [
      "dig kubia.default.svc.cluster.local",
      "dig +tcp kubia.default.svc.cluster.local",
      "nslookup kubia",
      "nslookup -vc kubia",
      "curl -sS http://kubia/",
      "getent ahosts kubia",
    ],
  },
  {
    name: "no route to the nameserver",
    resolvConf: `${SEARCH}nameserver 10.244.9.9\noptions ndots:5\n`,
    parallel: true,
    worldPerCommand: true,
    commands: [
      "dig kubia.default.svc.cluster.local",
      "dig +tcp kubia.default.svc.cluster.local",
      "nslookup kubia",
      "nslookup -vc kubia",
      "curl -sS http://kubia/",
      "getent ahosts kubia",
    ],
  },
  {
    name: "nameserver listed twice",
    resolvConf: `${SEARCH}nameserver 10.96.0.10\nnameserver 10.96.0.10\noptions ndots:5\n`,
    parallel: false,
    commands: ["nslookup kubia", "nslookup nosuch", "dig kubia.default.svc.cluster.local", "curl -sS http://kubia/"],
  },
  {
    name: "two silent servers, timeout:2 attempts:3",
    drop: "udp",
    resolvConf: `${SEARCH}nameserver 10.96.0.10\nnameserver 10.96.0.10\noptions ndots:5 timeout:2 attempts:3\n`,
    parallel: true,
    commands: ["dig kubia.default.svc.cluster.local", "nslookup kubia", "curl -sS http://kubia/", "getent ahostsv4 kubia"],
  },
  {
    name: "silent server, ndots:1 timeout:1",
    drop: "udp",
    resolvConf: `${SEARCH}nameserver 10.96.0.10\noptions ndots:1 timeout:1\n`,
    parallel: true,
    commands: ["getent ahostsv4 kubia.default", "curl -sS http://kubia.default/", "nslookup kubia.default", "dig +search kubia.default"],
  },
];


function worldSpec(v: Variant): WorldSpec {
  const drop = v.drop === undefined ? {} : { dropDns: v.drop === "udp" ? true : ("udp+tcp" as const) };
  return dnsWorldSpec({ ...drop, noIcmpRatelimit: true, resolvConf: v.resolvConf ?? POD_RESOLV_CONF, hosts: HOSTS });
}

/**
 * The only differences allowed besides normalize.ts's, each something the kernel does not decide:
 *  - dig's `id: N`: a random 16-bit query id on the real side (isc_random), drawn from the seed
 *    on the simulated side;
 *  - the client COOKIE's 16 hex digits: random per run in real dig, seeded in the simulator; the
 *    server echoes whatever it got, and "(echoed)" / "(good)" stays compared;
 *  - `;; Query time: N msec`: wall-clock time on the kernel, virtual on the simulator (the time
 *    a command takes is compared on its own, with a tolerance);
 *  - `;; WHEN:`: today's date against the virtual clock's 2024-01-01.
 */
const DNS_MASKS: readonly (readonly [RegExp, string])[] = [
  [/^(;; ->>HEADER<<- opcode: \w+, status: \w+, id: )\d+$/gm, "$1<id>"],
  [/^(; COOKIE: )[0-9a-f]{16}/gm, "$1<cookie>"],
  [/^(;; Query time: )\d+( msec)$/gm, "$1<t>$2"],
  [/^(;; WHEN: ).*$/gm, "$1<date>"],
];

function masked(text: string): string {
  let out = normalizeOutput(text);
  for (const [re, to] of DNS_MASKS) out = out.replace(re, to);
  return out;
}

interface Answer {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  readonly elapsedMs: number;
  /** UDP questions in the order asked, `name type` (types as numbers). */
  readonly queries: readonly { readonly name: string; readonly type: number }[];
}

interface KernelAnswer extends Answer {
  readonly timedOut: boolean;
}

/**
 * The server in the `coredns` namespace: every datagram and every framed TCP message goes to the
 * test process as a JSON line `{k, t, q}` (q the octets in hex, TCP framing included); the answer
 * comes back as `{k, r}` (r null: send nothing). Prints `{"ready":true}` once both sockets are bound.
 */
const RELAY_SCRIPT = `
import dgram from "node:dgram"; import net from "node:net"; import readline from "node:readline";
const pending = new Map(); let next = 0;
const ask = (t, octets) => new Promise((res) => { const k = next++; pending.set(k, res); process.stdout.write(JSON.stringify({ k, t, q: octets.toString("hex") }) + "\\n"); });
readline.createInterface({ input: process.stdin }).on("line", (l) => { const m = JSON.parse(l); const r = pending.get(m.k); pending.delete(m.k); if (r) r(m.r === null ? undefined : Buffer.from(m.r, "hex")); });
let bound = 0; const ready = () => { if (++bound === 2) process.stdout.write(JSON.stringify({ ready: true }) + "\\n"); };
const udp = dgram.createSocket("udp4");
udp.on("message", async (msg, rinfo) => { const r = await ask("udp", msg); if (r) udp.send(r, rinfo.port, rinfo.address); });
udp.on("error", (e) => { process.stderr.write(String(e) + "\\n"); process.exit(1); });
udp.bind(53, "0.0.0.0", ready);
const tcp = net.createServer((sock) => {
  let buf = Buffer.alloc(0);
  sock.on("error", () => {});
  sock.on("data", async (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const frame = buf.subarray(0, 2 + buf.readUInt16BE(0));
      buf = buf.subarray(frame.length);
      const r = await ask("tcp", frame);
      if (r) sock.write(r);
    }
  });
});
tcp.on("error", (e) => { process.stderr.write(String(e) + "\\n"); process.exit(1); });
tcp.listen(53, "0.0.0.0", ready);
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
`;

interface Relay {
  /** Questions seen since the last take(). */
  take(): { name: string; type: number; transport: string }[];
  stop(): Promise<void>;
}

function startRelay(realNs: string, listener: ListenerSpec): Promise<Relay> {
  const child: ChildProcess = spawn("ip", ["netns", "exec", realNs, "node", "--input-type=module", "-e", RELAY_SCRIPT], {
    env: cleanEnv(),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let seen: { name: string; type: number; transport: string }[] = [];
  let err = "";
  child.stderr?.on("data", (b: Buffer) => (err += b.toString("utf8")));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 2_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin?.end();
      child.kill("SIGTERM");
    });
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`DNS relay in ${realNs} did not start within 10 s\n${err}`));
    }, 10_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`DNS relay in ${realNs} exited with ${code}: ${err.trim()}`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const m = JSON.parse(line) as { ready?: boolean; k: number; t: "udp" | "tcp"; q: string };
      if (m.ready) {
        clearTimeout(timer);
        resolve({ take: () => [seen, (seen = [])][0]!, stop });
        return;
      }
      const payload = Buffer.from(m.q, "hex").toString("latin1");
      const q = decodeDns(m.t === "tcp" ? payload.slice(2) : payload)?.questions[0];
      if (q) seen.push({ name: q.name, type: q.type, transport: m.t });
      const reply = dnsListenerReply(listener, payload, m.t);
      child.stdin?.write(`${JSON.stringify({ k: m.k, r: reply === undefined ? null : Buffer.from(reply, "latin1").toString("hex") })}\n`);
    });
  });
}

/** /etc/netns/<ns>/ directories of this harness's namespaces that no longer exist (a crashed run). */
async function cleanupStaleEtc(): Promise<void> {
  if (!existsSync("/etc/netns")) return;
  const live = new Set(await listNamespaces());
  for (const d of readdirSync("/etc/netns")) if (/^pp[0-9a-f]{4}-ns-/.test(d) && !live.has(d)) rmSync(`/etc/netns/${d}`, { recursive: true, force: true });
}

const COMMAND_TIMEOUT_MS = 60_000;

/** The commands of one variant on the kernel: in one materialized world, or each in its own. */
async function askKernel(v: Variant, answers: ReadonlyMap<string, Deferred<KernelAnswer>>): Promise<void> {
  if (v.worldPerCommand) await Promise.all(v.commands.map((c) => askKernelIn(v, [c], answers)));
  else await askKernelIn(v, v.commands, answers);
}

async function askKernelIn(v: Variant, commands: readonly string[], answers: ReadonlyMap<string, Deferred<KernelAnswer>>): Promise<void> {
  const spec = worldSpec(v);
  const dns = spec.namespaces.find((n) => n.name === "coredns")!.listeners.find((l) => l.kind === "dns")!;
  const kernelSpec: WorldSpec = { ...spec, namespaces: spec.namespaces.map((n) => ({ ...n, listeners: n.listeners.filter((l) => l.kind !== "dns") })) };
  let real: RealWorld | undefined;
  let relay: Relay | undefined;
  let etc: string | undefined;
  try {
    real = await materialize(kernelSpec);
    const client = real.namespaces.get("client")!;
    etc = `/etc/netns/${client}`;
    mkdirSync(etc, { recursive: true });
    for (const [path, text] of Object.entries(spec.namespaces.find((n) => n.name === "client")!.files ?? {})) writeFileSync(`${etc}/${path.replace(/^\/etc\//, "")}`, text);
    relay = await startRelay(real.namespaces.get("coredns")!, dns);
    const world = real;
    const one = async (command: string): Promise<void> => {
      const d = answers.get(command)!;
      try {
        relay!.take();
        const r = await world.exec("client", command, COMMAND_TIMEOUT_MS);
        const queries = v.parallel ? [] : relay!.take().filter((q) => q.transport === "udp").map(({ name, type }) => ({ name, type }));
        d.resolve({ stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, elapsedMs: r.elapsedMs, timedOut: r.timedOut, queries });
      } catch (e) {
        d.reject(e);
      }
    };
    if (v.parallel) await Promise.all(commands.map(one));
    else for (const c of commands) await one(c);
  } catch (e) {
    for (const c of commands) answers.get(c)!.reject(e);
  } finally {
    await relay?.stop();
    await real?.teardown();
    if (etc !== undefined) rmSync(etc, { recursive: true, force: true });
  }
}

/** `getent DB KEY` rendered from the simulator's getaddrinfo (see the module comment). */
function simGetent(spec: WorldSpec, argv: readonly string[]): Answer & { readonly traces: readonly string[] } {
  const built = buildWorld(spec, "1");
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  const world = built.value;
  const [db = "", key = ""] = argv.slice(1);
  let res: Resolution | undefined;
  const start = world.now;
  // As in simulate(): an idle event keeps the clock from jumping to the limit when the queue runs dry.
  world.after(800_000, () => undefined);
  getaddrinfo(world.ns("client")!, key, (r) => (res = r));
  while (res === undefined && world.queue.size > 0) world.queue.runUntil(start + 900_000, 1);
  const r = res as Resolution | undefined;
  let stdout = "";
  if (r?.ok) {
    r.addrs.forEach((a, i) => {
      const ip = formatIpv4(a).padEnd(15);
      if (db === "hosts") stdout += `${ip} ${r.canonical}\n`;
      else stdout += `${ip} STREAM ${i === 0 ? r.canonical : ""}\n${ip} DGRAM  \n${ip} RAW    \n`;
    });
  }
  const traces = world.log.traces.map((t) => t.origin);
  return { stdout, stderr: "", exitCode: r?.ok ? 0 : 2, elapsedMs: world.now - start, queries: [], traces };
}

/** The command on a fresh simulated world; `queries` from the traces' origins (names only). */
function simulate(v: Variant, command: string): Answer & { readonly names: readonly string[] } {
  const spec = worldSpec(v);
  const argv = splitCommandLine(command);
  let out: Answer & { readonly traces: readonly string[] };
  if (argv[0] === "getent") out = simGetent(spec, argv);
  else {
    const built = buildWorld(spec, "1");
    if (!built.ok) throw new Error(JSON.stringify(built.issues));
    // An idle event far ahead keeps the clock at the tool's exit (runOn would move it to its limit).
    built.value.after(800_000, () => undefined);
    const r = runOn(built.value, "client", command);
    out = { ...r.result, elapsedMs: r.elapsedMs, queries: [], traces: r.traces.map((t) => t.origin) };
  }
  const names = out.traces.flatMap((o) => /^(?:udp query|getaddrinfo) (.+)$/.exec(o)?.slice(1) ?? []);
  return { ...out, names };
}

/** The names asked that the simulator is expected to ask too: all of BIND's, glibc's A queries. */
function kernelNames(command: string, a: KernelAnswer): string[] {
  const bind = /^(dig|nslookup)\b/.test(command);
  return a.queries.filter((q) => bind || q.type === 1).map((q) => q.name);
}

function show(a: Answer): string {
  const block = (t: string) => (t === "" ? "    (empty)" : t.replace(/\n$/, "").split("\n").map((l) => `    ${JSON.stringify(l).slice(1, -1)}`).join("\n"));
  return `exit ${a.exitCode} after ${Math.round(a.elapsedMs)} ms\n  stdout:\n${block(a.stdout)}\n  stderr:\n${block(a.stderr)}`;
}


const TITLE = "dns tools: simulator ≡ kernel";
const avail = kernelAvailability();
const missing = ["dig", "nslookup", "getent"].filter((t) => !hasCommand(t));
if (!avail.usable || missing.length > 0) {
  const reasons = [...(avail.usable ? [] : [avail.reason]), ...(missing.length > 0 ? [`missing tools: ${missing.join(", ")} (Debian: bind9-dnsutils libc-bin)`] : [])];
  skipOrFail(TITLE, reasons.join("; "));
} else {
  const answers = new Map<Variant, Map<string, Deferred<KernelAnswer>>>();
  for (const v of VARIANTS) answers.set(v, new Map(v.commands.map((c) => [c, deferred<KernelAnswer>()])));
  let runs: Promise<void>[] = [];

  beforeAll(async () => {
    await cleanupStale();
    await cleanupStaleEtc();
    runs = limited(VARIANTS.map((v) => () => askKernel(v, answers.get(v)!)), VARIANTS.length);
  });
  afterAll(async () => {
    await Promise.allSettled(runs);
  });

  describe(TITLE, () => {
    for (const v of VARIANTS) {
      describe(v.name, () => {
        for (const command of v.commands) {
          test(command, { timeout: 180_000 }, async () => {
            const k = await answers.get(v)!.get(command)!.promise;
            expect(k.timedOut, `the command outlived ${COMMAND_TIMEOUT_MS} ms on the kernel\n${show(k)}`).toBe(false);
            const s = simulate(v, command);
            const context = `\nkernel: ${show(k)}\nsimulator: ${show(s)}\nqueries on the kernel: ${k.queries.map((q) => `${q.name}/${q.type}`).join(" ") || "(none seen)"}\n`;
            const same = (x: Answer) => ({ exitCode: x.exitCode, stdout: masked(x.stdout), stderr: masked(x.stderr) });
            const diffs = [
              ...(k.exitCode !== s.exitCode ? [`exit ${k.exitCode} on the kernel, ${s.exitCode} on the simulator`] : []),
              ...(masked(k.stdout) !== masked(s.stdout) ? [`stdout:\n${lineDiff(masked(k.stdout), masked(s.stdout))}`] : []),
              ...(masked(k.stderr) !== masked(s.stderr) ? [`stderr:\n${lineDiff(masked(k.stderr), masked(s.stderr))}`] : []),
            ];
            expect(same(s), `simulator and kernel disagree\n${diffs.join("\n")}${context}`).toEqual(same(k));
            // Timeouts are whole seconds: within 900 ms whenever either side took a second or more.
            if (k.elapsedMs >= 1000 || s.elapsedMs >= 1000) {
              expect(Math.abs(k.elapsedMs - s.elapsedMs), `took ${Math.round(k.elapsedMs)} ms on the kernel, ${s.elapsedMs} ms (virtual) on the simulator${context}`).toBeLessThan(900);
            }
            if (!v.parallel) expect(s.names, `the names asked differ${context}`).toEqual(kernelNames(command, k));
          });
        }
      });
    }
  });
}
