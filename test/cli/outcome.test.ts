import { describe, expect, it } from "vitest";
import type { Trace } from "../../src/trace/types.js";
import { classifyOutcome, errnoFromTraces, outcomeOfErrno } from "../../src/apps/outcome.js";

const r = (exitCode: number, stdout = "", stderr = "") => ({ exitCode, stdout, stderr });
const PING_STATS = "\n--- 10.0.3.2 ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n";

describe("classifyOutcome", () => {
  it("reads ping's reply, its ICMP error lines and its local errors", () => {
    const ping = "ping -c 1 -W 1 10.0.3.2";
    const from = (msg: string) => r(1, `PING 10.0.3.2 (10.0.3.2) 56(84) bytes of data.\nFrom 10.0.0.1 icmp_seq=1 ${msg}\n${PING_STATS}`);
    expect(classifyOutcome(ping, r(0, "64 bytes from 10.0.3.2: icmp_seq=1 ttl=61 time=0.160 ms\n"))).toBe("delivered");
    expect(classifyOutcome(ping, from("Time to live exceeded"))).toBe("ttl-exceeded");
    expect(classifyOutcome(ping, from("Destination Host Unreachable"))).toBe("no-route-to-host");
    expect(classifyOutcome(ping, from("Destination Net Unreachable"))).toBe("network-unreachable");
    expect(classifyOutcome(ping, from("Destination Port Unreachable"))).toBe("refused");
    expect(classifyOutcome(ping, from("Packet filtered"))).toBe("permission-denied");
    expect(classifyOutcome(ping, from("Frag needed and DF set (mtu = 1450)"))).toBe("unknown");
    expect(classifyOutcome(ping, r(1, "PING 10.0.3.2 (10.0.3.2) 56(84) bytes of data.\n\n--- s ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n"))).toBe("timeout");
    expect(classifyOutcome(ping, r(2, "", "ping: connect: Network is unreachable\n"))).toBe("network-unreachable");
    expect(classifyOutcome(ping, r(2, "", "ping: connect: No route to host\n"))).toBe("no-route-to-host");
    expect(classifyOutcome(ping, r(2, "", "ping: connect: Invalid argument\n"))).toBe("invalid-argument");
    expect(classifyOutcome(ping, r(2, "", "ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n"))).toBe("permission-denied");
  });

  it("reads curl's exit code, and its errno text or the hint when it prints none", () => {
    const curl = "curl -sS http://10.244.2.2";
    const failed = r(7, "", "curl: (7) Failed to connect to 10.244.2.2 port 80 after 0 ms: Couldn't connect to server\n");
    expect(classifyOutcome(curl, r(0, "pod2 on node2\n"))).toBe("delivered");
    expect(classifyOutcome(curl, r(28, "", "curl: (28) Connection timed out after 1001 milliseconds\n"))).toBe("timeout");
    expect(classifyOutcome(curl, failed)).toBe("unknown");
    expect(classifyOutcome(curl, failed, { errno: "EHOSTUNREACH" })).toBe("no-route-to-host");
    expect(classifyOutcome(curl, failed, { errno: "ECONNREFUSED" })).toBe("refused");
    const verbose = r(7, "", "* connect to 10.244.2.2 port 80 failed: No route to host\n* Failed to connect to 10.244.2.2 port 80 after 0 ms: Couldn't connect to server\n");
    expect(classifyOutcome("curl -sSv http://10.244.2.2", verbose, { errno: "ECONNREFUSED" })).toBe("no-route-to-host");
  });

  it("reads traceroute's hops: the destination, router errors, time-exceeded replies or silence", () => {
    const tr = "traceroute -n -q 1 -w 1 -m 6 10.0.3.2";
    const head = "traceroute to 10.0.3.2 (10.0.3.2), 6 hops max, 60 byte packets\n";
    expect(classifyOutcome(tr, r(0, `${head} 1  10.0.0.1  0.050 ms\n 2  10.0.3.2  0.070 ms\n`))).toBe("delivered");
    expect(classifyOutcome(tr, r(0, `${head} 1  10.244.1.1  0.050 ms\n 2  10.244.1.1  0.040 ms\n`))).toBe("ttl-exceeded");
    expect(classifyOutcome(tr, r(0, `${head} 1  10.0.0.1  0.050 ms !H\n`))).toBe("no-route-to-host");
    expect(classifyOutcome(tr, r(0, `${head} 1  10.0.0.1  0.050 ms !N\n`))).toBe("network-unreachable");
    expect(classifyOutcome(tr, r(0, `${head} 1  10.0.0.1  0.050 ms !X\n`))).toBe("permission-denied");
    expect(classifyOutcome(tr, r(0, `${head} 1  *\n 2  *\n`))).toBe("timeout");
  });

  it("reads nc and the other tools by errno text, then the hint, then the exit code", () => {
    expect(classifyOutcome("nc -zv -w 1 10.0.0.2 81", r(1, "", "nc: connect to 10.0.0.2 port 81 (tcp) failed: Connection refused\n"))).toBe("refused");
    expect(classifyOutcome("nc -zv -w 1 10.0.0.9 81", r(1, "", "nc: connect to 10.0.0.9 port 81 (tcp) timed out: Operation now in progress\n"))).toBe("timeout");
    expect(classifyOutcome("echo hi | nc -u -w 1 10.0.0.2 54", r(0), { errno: "ECONNREFUSED" })).toBe("refused");
    expect(classifyOutcome("nc -z 10.0.0.2 80", r(0))).toBe("delivered");
    expect(classifyOutcome("ip route get 10.9.9.9", r(2, "", "RTNETLINK answers: Network is unreachable\n"))).toBe("network-unreachable");
    expect(classifyOutcome("ip route get 198.51.100.65", r(2, "", "RTNETLINK answers: Permission denied\n"))).toBe("permission-denied");
    expect(classifyOutcome("/usr/bin/ip route get 10.0.0.1", r(0, "local 10.0.0.1 dev lo src 10.0.0.1 uid 0\n"))).toBe("delivered");
    expect(classifyOutcome("sleep 1000", r(124))).toBe("timeout");
    expect(classifyOutcome("frobnicate", r(127, "", "sh: 1: frobnicate: not found\n"))).toBe("unknown");
    expect(classifyOutcome("echo x | ping -c 1 10.0.0.2", r(1, "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable\n"))).toBe("no-route-to-host");
  });

  it("maps errno names like the kernel's icmp_err_convert classes", () => {
    expect(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EACCES", "EPERM", "EINVAL", "EMSGSIZE"].map(outcomeOfErrno)).toEqual([
      "refused",
      "no-route-to-host",
      "network-unreachable",
      "timeout",
      "permission-denied",
      "permission-denied",
      "invalid-argument",
      "unknown",
    ]);
  });
});

describe("errnoFromTraces", () => {
  const at = (node: string) => ({ node, stage: "s" });
  const base = (id: number, origin: string, extra: Partial<Trace>): Trace => ({ id, origin, packet: "p", startMs: 0, hops: [], ...extra });

  it("finds an ICMP error that made it back to the sender", () => {
    const syn = base(1, "curl", {
      hops: [
        { node: "pod1", steps: [] },
        { node: "node1", steps: [{ kind: "icmp-sent", type: 11, code: 0, name: "Time to live exceeded", from: "10.244.1.1", to: "10.244.1.2", trace: 2 }] },
      ],
      disposition: { kind: "ttl-exceeded", at: at("node1") },
    });
    const back = base(2, "icmp error", { cause: 1, disposition: { kind: "delivered", at: at("pod1"), to: "tcp socket" } });
    expect(errnoFromTraces([syn, back])).toBe("EHOSTUNREACH");
    const lost = base(2, "icmp error", { cause: 1, disposition: { kind: "dropped", at: at("node1"), reason: "x" } });
    expect(errnoFromTraces([syn, lost])).toBeUndefined();
  });

  it("finds a reset answering the command's packet, and local route failures", () => {
    const syn = base(1, "curl", { hops: [{ node: "client", steps: [] }], disposition: { kind: "no-listener", at: at("server"), proto: "tcp", port: 81 } });
    const arp = base(2, "arp", { cause: 1, disposition: { kind: "delivered", at: at("server"), to: "arp" } });
    const rst = base(3, "tcp reset", { cause: 1, disposition: { kind: "delivered", at: at("client"), to: "reset" } });
    expect(errnoFromTraces([syn, arp, rst])).toBe("ECONNREFUSED");
    const local = base(1, "ping", { hops: [{ node: "host", steps: [] }], disposition: { kind: "route-rejected", at: at("host"), routeType: "blackhole", errno: "EINVAL" } });
    expect(errnoFromTraces([local])).toBe("EINVAL");
    const neigh = base(1, "ping", { hops: [{ node: "h2", steps: [] }], disposition: { kind: "neigh-failed", at: at("h2"), ip: "10.0.0.4", dev: "eth0" } });
    expect(errnoFromTraces([neigh])).toBe("EHOSTUNREACH");
  });

  it("reads a datagram its own host's OUTPUT or POSTROUTING dropped as EPERM, not a TCP segment", () => {
    const drop = (stage: string, node: string, packet: string) =>
      base(1, "nc -u", { packet, hops: [{ node: "router", steps: [] }], disposition: { kind: "nf-drop", at: { node, stage }, rule: "filter:OUTPUT:rule 1" } });
    const udp = "IP 10.0.2.1.40000 > 10.0.2.2.5000: UDP, length 3, ttl 64";
    expect(errnoFromTraces([drop("OUTPUT", "router", udp)])).toBe("EPERM");
    expect(errnoFromTraces([drop("POSTROUTING", "router", udp)])).toBe("EPERM");
    expect(errnoFromTraces([drop("OUTPUT", "router", "IP 10.0.2.1 > 10.0.2.2: ICMP echo request, id 7, seq 1, length 64, ttl 64")])).toBe("EPERM");
    expect(errnoFromTraces([drop("OUTPUT", "router", "IP 10.0.2.1.40000 > 10.0.2.2.9000: Flags [S], length 0, ttl 64")])).toBeUndefined();
    expect(errnoFromTraces([drop("FORWARD", "router", udp)])).toBeUndefined();
    expect(errnoFromTraces([drop("OUTPUT", "server", udp)])).toBeUndefined();
  });
});
