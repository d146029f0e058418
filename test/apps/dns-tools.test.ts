/**
 * nslookup, dig, curl and ping resolving names through a CoreDNS pod behind the kube-dns Service
 * (test/dns/world.ts). Expected texts are what BIND 9.18.49 (Debian 12) and glibc 2.36 print,
 * as test/kernel/dns-tools.test.ts checks them against the real tools; the timeouts are the
 * tools' defaults: BIND tries each query 3 times (irs_resconf attempts) with UDP_TIMEOUT 5 s,
 * glibc 2 attempts of 5 s, and glibc still tries the name as-is after a timeout ended the search
 * list.
 */
import { describe, expect, it } from "vitest";
import { POD_RESOLV_CONF, run } from "../dns/world.js";

const SERVER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n";
const TIMED_OUT = ";; communications error to 10.96.0.10#53: timed out\n";
/** nslookup checks RA on the servers of resolv.conf; CoreDNS never sets it. One line per reply. */
const NO_RA = ";; Got recursion not available from 10.96.0.10\n";
const DIG_BANNER = (args: string) => `\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> ${args}\n;; global options: +cmd\n`;

describe("nslookup", () => {
  it("finds a Service by its full name (4 dots < ndots:5: the search list first); the reply is authoritative, so no 'Non-authoritative answer'", () => {
    // Three NXDOMAINs for the search list, then the answer, then the empty AAAA answer: each reply says it has no RA.
    expect(run("nslookup kubia.default.svc.cluster.local")).toMatchObject({
      stdout: `${NO_RA.repeat(4)}${SERVER}Name:\tkubia.default.svc.cluster.local\nAddress: 10.98.41.49\n${NO_RA}\n`,
      stderr: "",
      exitCode: 0,
    });
  });

  it("expands a short name with the pod's search list (kubia → kubia.default.svc.cluster.local)", () => {
    expect(run("nslookup kubia").stdout).toBe(`${NO_RA}${SERVER}Name:\tkubia.default.svc.cluster.local\nAddress: 10.98.41.49\n${NO_RA}\n`);
  });

  it("kubia.default has fewer dots than ndots:5: kubia.default.default.svc… is NXDOMAIN, kubia.default.svc.cluster.local answers", () => {
    expect(run("nslookup kubia.default").stdout).toBe(`${NO_RA.repeat(2)}${SERVER}Name:\tkubia.default.svc.cluster.local\nAddress: 10.98.41.49\n${NO_RA}\n`);
  });

  it("a name under cluster.local that does not exist: NXDOMAIN for the last name tried, exit 1", () => {
    expect(run("nslookup nosuch.default.svc.cluster.local")).toMatchObject({ stdout: `${NO_RA.repeat(4)}${SERVER}** server can't find nosuch.default.svc.cluster.local: NXDOMAIN\n\n`, exitCode: 1 });
  });

  it("a short name outside every zone ends on the as-is try, which CoreDNS would forward: SERVFAIL here", () => {
    expect(run("nslookup nosuch")).toMatchObject({ stdout: `${NO_RA.repeat(3)};; Got SERVFAIL reply from 10.96.0.10\n${SERVER}** server can't find nosuch: SERVFAIL\n\n`, exitCode: 1 });
  });

  it("with the nameserver listed twice, a reply without RA goes to the next server first", () => {
    const resolvConf = "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\nnameserver 10.96.0.10\noptions ndots:5\n";
    const twice = ";; Got recursion not available from 10.96.0.10, trying next server\n" + NO_RA;
    expect(run("nslookup kubia", { resolvConf }).stdout).toBe(`${twice}${SERVER}Name:\tkubia.default.svc.cluster.local\nAddress: 10.98.41.49\n${twice}\n`);
  });

  it("an explicit type with no answer: '*** Can't find' the name as typed", () => {
    expect(run("nslookup -type=aaaa kubia").stdout).toBe(`${NO_RA}${SERVER}*** Can't find kubia: No answer\n\n`);
  });

  it("with the DNS datagrams dropped: three tries of 5 s each, then no servers and nslookup's closing blank line, exit 1, after exactly 15 s", () => {
    const r = run("nslookup kubia", { dropDns: true });
    expect(r).toMatchObject({ stdout: `${TIMED_OUT.repeat(3)};; no servers could be reached\n\n`, stderr: "", exitCode: 1 });
    expect(r.elapsedMs).toBe(15_000);
  });

  it("options timeout:1 attempts:2 in resolv.conf shorten the wait to 2 s", () => {
    const r = run("nslookup kubia", { dropDns: true, resolvConf: `${POD_RESOLV_CONF}options timeout:1 attempts:2\n` });
    expect(r.stdout).toBe(`${TIMED_OUT.repeat(2)};; no servers could be reached\n\n`);
    expect(r.elapsedMs).toBe(2_000);
  });

  it("asks the server given as second argument, and then does not check RA", () => {
    expect(run("nslookup kubia.default.svc.cluster.local 10.244.2.10").stdout).toBe("Server:\t\t10.244.2.10\nAddress:\t10.244.2.10#53\n\nName:\tkubia.default.svc.cluster.local\nAddress: 10.98.41.49\n\n");
  });

  it("-vc to a server the node has no route to: each try's failed connect is two lines", () => {
    const r = run("nslookup -vc kubia", { resolvConf: "nameserver 10.244.9.9\n" });
    expect(r.stdout).toBe(`${";; Connection to 10.244.9.9#53(10.244.9.9) for kubia failed: network unreachable.\n;; no servers could be reached\n".repeat(3)}\n`);
    expect(r.exitCode).toBe(1);
  });
});

describe("dig", () => {
  it("prints the whole answer; MSG SIZE is the reply's wire size (12 header + 37 question + 47 answer + 23 OPT with cookie)", () => {
    const r = run("dig kubia.default.svc.cluster.local");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        "^\\n; <<>> DiG 9\\.18\\.49-1~deb12u3-Debian <<>> kubia\\.default\\.svc\\.cluster\\.local\\n" +
          ";; global options: \\+cmd\\n;; Got answer:\\n" +
          ";; WARNING: \\.local is reserved for Multicast DNS\\n;; You are currently testing what happens when an mDNS query is leaked to DNS\\n" +
          ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \\d+\\n" +
          ";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\\n" +
          ";; WARNING: recursion requested but not available\\n\\n" +
          ";; OPT PSEUDOSECTION:\\n; EDNS: version: 0, flags:; udp: 1232\\n; COOKIE: [0-9a-f]{16} \\(echoed\\)\\n" +
          ";; QUESTION SECTION:\\n;kubia\\.default\\.svc\\.cluster\\.local\\. IN\\tA\\n\\n" +
          ";; ANSWER SECTION:\\nkubia\\.default\\.svc\\.cluster\\.local\\. 30 IN\\tA\\t10\\.98\\.41\\.49\\n\\n" +
          ";; Query time: 0 msec\\n;; SERVER: 10\\.96\\.0\\.10#53\\(10\\.96\\.0\\.10\\) \\(UDP\\)\\n" +
          ";; WHEN: Mon Jan 01 00:00:00 UTC 2024\\n;; MSG SIZE  rcvd: 119\\n\\n$",
      ),
    );
  });

  it("draws the query id from the seed: the same world and seed give the same id", () => {
    const id = (s: string) => /id: (\d+)/.exec(s)?.[1];
    expect(id(run("dig kubia.default.svc.cluster.local").stdout)).toBe(id(run("dig kubia.default.svc.cluster.local").stdout));
  });

  it("NXDOMAIN comes with the plugin's SOA in the authority section, and dig still exits 0", () => {
    const r = run("dig nosuch.default.svc.cluster.local");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("status: NXDOMAIN");
    expect(r.stdout).toContain(";; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n");
    expect(r.stdout).toContain(";; AUTHORITY SECTION:\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1704067200 7200 1800 86400 30\n\n");
    expect(r.stdout).toContain(";; MSG SIZE  rcvd: 166\n");
  });

  it("does not use the search list unless +search", () => {
    expect(run("dig kubia").stdout).toContain("status: SERVFAIL");
    expect(run("dig +search kubia").stdout).toContain(";; ANSWER SECTION:\nkubia.default.svc.cluster.local. 30 IN\tA\t10.98.41.49\n");
  });

  it("the question's ';' is not counted when the class column is reached (masterdump's indent)", () => {
    expect(run("dig +search nosuch").stdout).toContain(";; QUESTION SECTION:\n;nosuch.\t\t\t\tIN\tA\n");
    expect(run("dig 10-244-3-20.default.pod.cluster.local").stdout).toContain(";; QUESTION SECTION:\n;10-244-3-20.default.pod.cluster.local. IN A\n");
  });

  it("a pod-style name (pods insecure) answers with the address it spells", () => {
    expect(run("dig +short 10-244-3-20.default.pod.cluster.local")).toMatchObject({ stdout: "10.244.3.20\n", exitCode: 0 });
  });

  it("@server: the banner says how many servers the argument came to", () => {
    expect(run("dig @10.96.0.10 kubia.default.svc.cluster.local").stdout).toMatch(/^\n; <<>> DiG [^\n]+ <<>> @10\.96\.0\.10 kubia\.default\.svc\.cluster\.local\n; \(1 server found\)\n;; global options: \+cmd\n;; Got answer:\n/);
  });

  it("+short prints the addresses only", () => {
    expect(run("dig +short kubia.default.svc.cluster.local @10.96.0.10")).toMatchObject({ stdout: "10.98.41.49\n", stderr: "", exitCode: 0 });
  });

  it("+tcp asks over TCP through the same DNAT and says so", () => {
    const r = run("dig +tcp kubia.default.svc.cluster.local");
    expect(r.stdout).toContain(";; SERVER: 10.96.0.10#53(10.96.0.10) (TCP)\n");
    expect(r.stdout).toContain("kubia.default.svc.cluster.local. 30 IN\tA\t10.98.41.49\n");
  });

  it("+tcp still works when only UDP is dropped", () => {
    expect(run("dig +tcp +short kubia.default.svc.cluster.local", { dropDns: true }).stdout).toBe("10.98.41.49\n");
  });

  it("no answer: a warning per try, then the banner (dig prints it with the first output) and no servers could be reached, exit 9 after 3 × 5 s", () => {
    const r = run("dig kubia.default.svc.cluster.local", { dropDns: true });
    expect(r.stdout).toBe(`${TIMED_OUT.repeat(3)}${DIG_BANNER("kubia.default.svc.cluster.local")};; no servers could be reached\n`);
    expect(r.exitCode).toBe(9);
    expect(r.elapsedMs).toBe(15_000);
  });

  it("+tcp to an unreachable server: per try, the failed connect in two lines and no banner at all", () => {
    const r = run("dig +tcp kubia.default.svc.cluster.local @10.244.9.9");
    expect(r.stdout).toBe(";; Connection to 10.244.9.9#53(10.244.9.9) for kubia.default.svc.cluster.local failed: network unreachable.\n;; no servers could be reached\n".repeat(3));
    expect(r.exitCode).toBe(9);
  });

  it("+tries=1 +time=2 is one try of 2 s", () => {
    const r = run("dig +tries=1 +time=2 kubia.default.svc.cluster.local", { dropDns: true });
    expect(r.elapsedMs).toBe(2_000);
    expect(r.exitCode).toBe(9);
  });

  it("refuses an unknown option and a server that is not an address", () => {
    expect(run("dig +bogus kubia")).toMatchObject({ exitCode: 1, stdout: "" });
    expect(run("dig +bogus kubia").stderr).toMatch(/^Invalid option: \+bogus\nUsage:  dig /);
    expect(run("dig @nowhere kubia")).toMatchObject({ exitCode: 10, stderr: "dig: couldn't get address for 'nowhere': not found\n" });
  });
});

describe("names in curl and ping (glibc's resolver)", () => {
  it("curl resolves the short name with the search list and reaches the Service", () => {
    expect(run("curl -s http://kubia/")).toMatchObject({ stdout: "You've hit kubia\n", stderr: "", exitCode: 0 });
  });

  it("curl -v names the address it tries", () => {
    expect(run("curl -sv http://kubia/").stderr).toContain("*   Trying 10.98.41.49:80...\n* Connected to kubia (10.98.41.49) port 80 (#0)\n");
  });

  it("curl: an unknown name is error 6", () => {
    expect(run("curl -sS http://nope.default.svc.cluster.local./")).toMatchObject({ stderr: "curl: (6) Could not resolve host: nope.default.svc.cluster.local.\n", exitCode: 6 });
  });

  it("curl with DNS dropped: error 6 after 20 s (10 s for kubia.default.svc.cluster.local, then 10 s for kubia as-is)", () => {
    const r = run("curl -sS http://kubia/", { dropDns: true });
    expect(r).toMatchObject({ stderr: "curl: (6) Could not resolve host: kubia\n", exitCode: 6 });
    expect(r.elapsedMs).toBe(20_000);
  });

  it("a nameserver the node has no route to: glibc hears the net unreachable (IP_RECVERR) and gives up at once; dig waits out 3 × 5 s", () => {
    const resolvConf = "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.244.9.9\noptions ndots:5\n";
    const curl = run("curl -sS http://kubia/", { resolvConf });
    expect(curl).toMatchObject({ stderr: "curl: (6) Could not resolve host: kubia\n", exitCode: 6 });
    expect(curl.elapsedMs).toBeLessThan(10);
    const dig = run("dig kubia.default.svc.cluster.local", { resolvConf });
    expect(dig).toMatchObject({ exitCode: 9 });
    expect(dig.elapsedMs).toBe(15_000);
  });

  it("ping names the host by its canonical name", () => {
    expect(run("ping -c 1 kubia").stdout).toMatch(/^PING kubia\.default\.svc\.cluster\.local \(10\.98\.41\.49\) 56\(84\) bytes of data\.\n/);
  });

  it("ping: NXDOMAIN is 'Name or service not known', exit 2", () => {
    expect(run("ping -c 1 nope.default.svc.cluster.local.")).toMatchObject({ stdout: "", stderr: "ping: nope.default.svc.cluster.local.: Name or service not known\n", exitCode: 2 });
  });

  it("ping: an unreachable server is a temporary failure, exit 2", () => {
    expect(run("ping -c 1 kubia", { dropDns: true })).toMatchObject({ stderr: "ping: kubia: Temporary failure in name resolution\n", exitCode: 2 });
  });

  it("/etc/hosts comes before DNS", () => {
    const hosts = "127.0.0.1\tlocalhost\n10.244.3.20\tweb.local web\n";
    expect(run("curl -s http://web:8080/", { hosts, dropDns: true })).toMatchObject({ stdout: "You've hit kubia\n", exitCode: 0, elapsedMs: expect.any(Number) });
    expect(run("ping -c 1 -W 1 localhost", { hosts }).stdout).toMatch(/^PING localhost \(127\.0\.0\.1\) /);
  });
});
