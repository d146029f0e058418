/**
 * The kube-proxy scenario from the command line: `run` passes, `trace --enumerate` shows the
 * three endpoints at the probabilities the kernel's statistic match really has (its 31-bit
 * fixed-point values, not exactly 1/3), `--choose` takes one endpoint, and the netfilter tools
 * (iptables, iptables-save, conntrack) answer on the node as the real ones do.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runMain, scenario } from "./run-main.js";

const KP = scenario("kube-proxy-three-endpoints.yaml");
const OFF = scenario("kube-proxy-bridge-nf-off.yaml");
const CURL = ["client", "--", "curl", "http://10.96.0.50"];

const SVC = "KUBE-SVC-CDGGSHYLG3RE2FKL";
/** The endpoints in rule order, with their KUBE-SEP chains (sha256/base32 of "default/web:httptcp" + ip:port). */
const ENDPOINTS = [
  { pod: "web1", ip: "10.244.1.11", sep: "KUBE-SEP-ELX6N4Z5RGB67TLC" },
  { pod: "web2", ip: "10.244.1.12", sep: "KUBE-SEP-BQ6CYJXGREWSNKJL" },
  { pod: "web3", ip: "10.244.1.13", sep: "KUBE-SEP-5QELHRCC7S7TONMB" },
] as const;

/** xt_statistic keeps `--probability p` as round(p · 2^31) and matches when (random & 0x7fffffff) < that. */
const stored = (p: number): number => Math.round(p * 2 ** 31) / 2 ** 31;
const P1 = stored(0.3333333333);
const P2 = stored(0.5);
/** Branch probabilities: the first rule taken; not taken, then the second; neither. */
const EXPECTED = [P1, (1 - P1) * P2, (1 - P1) * (1 - P2)];

interface BranchJson {
  readonly probability: number;
  readonly decisions: readonly { readonly chain: string; readonly rule: number; readonly taken: boolean; readonly jumpTo?: string }[];
  readonly result: { readonly exitCode: number; readonly stdout: string };
}

describe("kube-proxy-three-endpoints", () => {
  it("runs every probe and passes", async () => {
    const r = await runMain(["run", KP]);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/\n10 passed, 0 failed\n$/);
    expect(r.code).toBe(0);
  });

  it("the same node without br_netfilter passes its probes too", async () => {
    const r = await runMain(["run", OFF]);
    expect(r.out).toMatch(/\n4 passed, 0 failed\n$/);
    expect(r.code).toBe(0);
  });

  it("enumerates exactly three branches, at the kernel's probabilities, one per endpoint", async () => {
    const text = await runMain(["trace", KP, ...CURL, "--enumerate"]);
    expect(text.code).toBe(0);
    const lines = text.out.split("\n").filter((l) => /^branch \d+ of \d+: /.test(l));
    expect(lines).toHaveLength(3);
    lines.forEach((l, i) => {
      const m = /^branch (\d+) of 3: probability (\d\.\d{11}) /.exec(l);
      expect(m?.[1]).toBe(String(i + 1));
      expect(Number(m?.[2])).toBeCloseTo(EXPECTED[i]!, 8);
      expect(l).toContain(`DNAT 10.96.0.50:80 → ${ENDPOINTS[i]!.ip}:8080 in node; exit 0`);
    });
    expect(text.out).toContain("3 branches, total probability 1.00000000000\n");
    // The summary line prints the stored fraction with 11 decimals, as iptables-save does.
    expect(lines[0]).toContain("probability 0.33333333349 (33.33%) → KUBE-SEP-ELX6N4Z5RGB67TLC");

    const json = await runMain(["trace", "--json", KP, ...CURL, "--enumerate"]);
    const branches = (JSON.parse(json.out) as { branches: BranchJson[] }).branches;
    expect(branches).toHaveLength(3);
    branches.forEach((b, i) => {
      expect(b.probability).toBeCloseTo(EXPECTED[i]!, 8);
      expect(b.result).toMatchObject({ exitCode: 0, stdout: `${ENDPOINTS[i]!.pod} saw 10.244.1.2\n` });
      expect(b.decisions.every((d) => d.chain === SVC)).toBe(true);
    });
    expect(branches.reduce((s, b) => s + b.probability, 0)).toBeCloseTo(1, 12);
    expect(branches[0]!.decisions).toMatchObject([{ rule: 2, taken: true, jumpTo: ENDPOINTS[0].sep }]);
    expect(branches[1]!.decisions).toMatchObject([{ rule: 2, taken: false }, { rule: 3, taken: true, jumpTo: ENDPOINTS[1].sep }]);
    expect(branches[2]!.decisions).toMatchObject([{ rule: 2, taken: false }, { rule: 3, taken: false }]);
  });

  it("--choose takes web2's KUBE-SEP chain", async () => {
    const r = await runMain(["trace", KP, ...CURL, "--choose", ENDPOINTS[1].sep]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`random nat:${SVC}:rule:3 statistic probability 0.50000000000 (50.00%) → taken (pinned by --choose)`);
    expect(r.out).toContain("DNAT: dst 10.96.0.50:80 → 10.244.1.12:8080");
    expect(r.out).toMatch(/── curl http:\/\/10\.96\.0\.50: exit 0 ──\nweb2 saw 10\.244\.1\.2\n$/);

    const exec = await runMain(["exec", KP, ...CURL, "--choose", ENDPOINTS[1].sep]);
    expect(exec).toEqual({ code: 0, out: "web2 saw 10.244.1.2\n", err: "" });
  });

  it("every endpoint can be chosen, from the client and from the node", async () => {
    for (const e of ENDPOINTS) {
      expect(await runMain(["exec", KP, ...CURL, "--choose", e.sep])).toEqual({ code: 0, out: `${e.pod} saw 10.244.1.2\n`, err: "" });
      const node = await runMain(["exec", KP, "node", "--", "curl", "-s", "http://10.96.0.50", "--choose", e.sep]);
      expect(node).toEqual({ code: 0, out: `${e.pod} saw 10.244.1.1\n`, err: "" });
    }
  });
});

describe("netfilter tools on the node", () => {
  const on = (ns: string, ...words: string[]) => runMain(["exec", KP, ns, "--", ...words]);

  it("iptables -t nat -S CHAIN prints the kernel's form of kube-proxy's rules", async () => {
    const r = await on("node", "iptables", "-t", "nat", "-S", SVC);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toBe(
      [
        `-N ${SVC}`,
        `-A ${SVC} ! -s 10.244.0.0/16 -d 10.96.0.50/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
        `-A ${SVC} -m comment --comment "default/web:http -> 10.244.1.11:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-ELX6N4Z5RGB67TLC`,
        `-A ${SVC} -m comment --comment "default/web:http -> 10.244.1.12:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-BQ6CYJXGREWSNKJL`,
        `-A ${SVC} -m comment --comment "default/web:http -> 10.244.1.13:8080" -j KUBE-SEP-5QELHRCC7S7TONMB`,
        "",
      ].join("\n"),
    );
  });

  it("iptables-save prints every table the node has, in the backend's order, without date lines", async () => {
    const r = await on("node", "iptables-save");
    expect(r.code).toBe(0);
    expect(r.out.startsWith("*filter\n:INPUT ACCEPT [0:0]\n")).toBe(true);
    expect(r.out).toContain("\nCOMMIT\n*nat\n");
    expect(r.out).toContain("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n");
    expect(r.out).not.toContain("# Generated");
    // A pod has no rules: nothing at all, as on a fresh namespace.
    expect(await on("client", "iptables-save")).toEqual({ code: 0, out: "", err: "" });
  });

  it("iptables -L -n --line-numbers and -v", async () => {
    const r = await on("node", "iptables", "-t", "nat", "-L", "KUBE-SERVICES", "-n", "--line-numbers");
    expect(r.out.split("\n").slice(0, 3)).toEqual([
      "Chain KUBE-SERVICES (2 references)",
      "num  target     prot opt source               destination         ",
      "1    KUBE-SVC-CDGGSHYLG3RE2FKL  6    --  0.0.0.0/0            10.96.0.50           /* default/web:http cluster IP */ tcp dpt:80",
    ]);
    const v = await on("node", "iptables", "-t", "nat", "-nvL", "PREROUTING");
    expect(v.out).toBe(
      "Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)\n" +
        " pkts bytes target     prot opt in     out     source               destination         \n" +
        "    0     0 KUBE-SERVICES  0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes service portals */\n",
    );
  });

  it("usage errors are the real tool's, with its exit codes", async () => {
    expect(await on("node", "iptables", "-S", "-L")).toEqual({
      code: 2,
      out: "",
      err: "iptables v1.8.9 (nf_tables): Cannot use -L with -S\nTry `iptables -h' or 'iptables --help' for more information.\n",
    });
    expect((await on("node", "iptables", "-L", "-n", "-p", "tcp")).err).toContain("Illegal option `-p' with this command");
    expect((await on("node", "iptables", "-t", "bogus", "-S")).code).toBe(3);
    expect((await on("node", "iptables-save", "--bogus")).err).toBe("iptables-save: unrecognized option '--bogus'\nLook at manual page `iptables-save.8' for more information.\n");
    expect((await on("node", "conntrack", "-L", "-p", "bogus")).err).toBe(
      "conntrack v1.4.7 (conntrack-tools): `bogus' unsupported protocol\nTry `conntrack -h' or 'conntrack --help' for more information.\n",
    );
  });

  it("changes are refused: the rules come from the scenario file", async () => {
    const add = await on("node", "iptables", "-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT");
    expect(add.code).toBe(4);
    expect(add.err).toContain("read-only");
    expect(add.err).toContain('"rules:"');
    expect((await on("node", "iptables-restore")).code).toBe(4);
    expect((await on("node", "conntrack", "-F")).code).toBe(1);
  });

  it("conntrack -L on a fresh world lists nothing, and says so on stderr", async () => {
    expect(await on("node", "conntrack", "-L")).toEqual({ code: 0, out: "", err: "conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n" });
    expect(await on("client", "conntrack", "-C")).toEqual({ code: 0, out: "0\n", err: "" });
  });

  it("the scenario's rules file loads as written (kube-proxy's restore input)", () => {
    const text = readFileSync(scenario("kube-proxy-three-endpoints.node.iptables"), "utf8");
    expect(text).toContain(`-A ${SVC} -m comment --comment "default/web:http -> 10.244.1.11:8080" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-ELX6N4Z5RGB67TLC\n`);
    expect(text).toContain("-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n");
  });
});
