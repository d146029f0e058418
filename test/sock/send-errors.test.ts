/**
 * What a sending socket hears of its own datagram's fate (ipv4/local-out.ts, sock/udp.ts,
 * sock/ping.ts, sock/errors.ts). nf_hook_slow() turns a drop in OUTPUT or POSTROUTING (a REJECT
 * too) into -EPERM, which sendmsg() returns; a REJECT's ICMP error has reached the socket by then.
 * Later, ICMP errors reach a UDP socket without IP_RECVERR only if it is connected and the error
 * is hard (sk_err, reported once by the next send or as POLLERR).
 *
 * Kernel checks, on the router of client — router — server (strace shows the syscalls):
 *   OUTPUT -o eth2 -j DROP     ping: sendto → EPERM, recvmsg(MSG_ERRQUEUE) → EAGAIN, nothing
 *                              printed; nc -zuv: write → EPERM, exit 1; echo hi | nc -u: write →
 *                              EPERM, then poll until -w runs out, exit 0
 *   OUTPUT -o eth2 -j REJECT   ping: sendto → EPERM, recvmsg(MSG_ERRQUEUE) → the port unreachable:
 *                              `From 10.0.2.1 …` and `ping: sendmsg: Operation not permitted`;
 *                              nc -u: write → EPERM, poll → POLLERR at once, exit 0
 *   mangle POSTROUTING DROP    write → EPERM; ping silent
 *   nat OUTPUT DNAT to 192.0.2.1 (no route): write → ENETUNREACH
 * and on the client, the router REJECTing its UDP in FORWARD: net-unreachable (not a hard error)
 * leaves nc -u waiting its second; host-prohibited (hard) ends it at once, and nc -zuv's second
 * write fails with EHOSTUNREACH, which udptest() does not count, so the port `succeeded`.
 */
import { describe, expect, it } from "vitest";
import { errnoFromTraces } from "../../src/apps/outcome.js";
import { routerWorld, rule, run } from "./router-world.js";

const DROP_OUT = { filter: { rules: [rule("OUTPUT", "-o eth2 -j DROP")] } };
const REJECT_OUT = { filter: { rules: [rule("OUTPUT", "-o eth2 -j REJECT --reject-with icmp-port-unreachable")] } };
const PING_HEAD = "PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.\n";

describe("OUTPUT drops the router's own datagram", () => {
  it("ping: sendmsg fails with EPERM, the error queue is empty, ping says nothing of it", () => {
    const r = run(routerWorld(DROP_OUT), "router", "ping -c 1 -W 1 10.0.2.2");
    expect(r.result).toEqual({ stdout: `${PING_HEAD}\n--- 10.0.2.2 ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n`, stderr: "", exitCode: 1 });
    expect(r.elapsedMs).toBe(1000);
    expect(r.traces.map((t) => [t.origin, t.disposition?.kind, t.disposition?.at.stage])).toEqual([["ping", "nf-drop", "OUTPUT"]]);
  });

  it("nc -zuv: the first write fails, nc exits 1 without a word and writes no more", () => {
    const r = run(routerWorld(DROP_OUT), "router", "nc -zuv -w 1 10.0.2.2 5000");
    expect(r.result).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(r.elapsedMs).toBe(0);
    expect(r.traces.map((t) => t.origin)).toEqual(["nc -zu"]);
  });

  it("nc -u: the failed write only stops the sending; nc waits out -w and exits 0", () => {
    const r = run(routerWorld(DROP_OUT), "router", "echo hi | nc -u -w 1 10.0.2.2 5000");
    expect(r.result).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(r.elapsedMs).toBe(1000);
    // What a scenario's outcome reads when nc itself says nothing.
    expect(errnoFromTraces(r.traces)).toBe("EPERM");
  });

  it("a TCP connect does not hear of it: the SYN is retransmitted and nc times out", () => {
    const r = run(routerWorld(DROP_OUT), "router", "nc -v -w 1 10.0.2.2 9000");
    expect(r.result).toEqual({ stdout: "", stderr: "nc: connect to 10.0.2.2 port 9000 (tcp) timed out: Operation now in progress\n", exitCode: 1 });
    expect(r.traces.map((t) => t.origin)).toEqual(["nc", "nc (SYN retransmission 1)"]);
    expect(errnoFromTraces(r.traces)).toBeUndefined();
  });

  it("in POSTROUTING too: nc -zuv exits 1, ping stays silent", () => {
    const w = routerWorld({ mangle: { rules: [rule("POSTROUTING", "-o eth2 -j DROP")] } });
    expect(run(w, "router", "nc -zuv -w 1 10.0.2.2 5000").result).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(run(w, "router", "ping -c 1 -W 1 10.0.2.2").result).toEqual({ stdout: `${PING_HEAD}\n--- 10.0.2.2 ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n`, stderr: "", exitCode: 1 });
  });

  it("a DNAT in nat OUTPUT that leaves no route: the write fails with the route's errno", () => {
    const r = run(routerWorld({ nat: { rules: [rule("OUTPUT", "-d 10.0.2.2/32 -p udp -j DNAT --to-destination 192.0.2.1")] } }), "router", "nc -zuv -w 1 10.0.2.2 5000");
    expect(r.result).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(r.traces[0]?.disposition).toMatchObject({ kind: "no-route", at: { stage: "ip_route_me_harder" }, errno: "ENETUNREACH" });
  });
});

describe("OUTPUT rejects the router's own datagram", () => {
  it("ping: the REJECT's error is queued before sendmsg returns EPERM, so ping prints both", () => {
    const r = run(routerWorld(REJECT_OUT), "router", "ping -c 1 -W 1 10.0.2.2");
    expect(r.result).toEqual({
      stdout: `${PING_HEAD}From 10.0.2.1 icmp_seq=1 Destination Port Unreachable\n\n--- 10.0.2.2 ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n\n`,
      stderr: "ping: sendmsg: Operation not permitted\n",
      exitCode: 1,
    });
  });

  it("ping -q counts the error and prints neither line", () => {
    const r = run(routerWorld(REJECT_OUT), "router", "ping -q -c 1 -W 1 10.0.2.2");
    expect(r.result).toEqual({ stdout: `${PING_HEAD}\n--- 10.0.2.2 ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n\n`, stderr: "", exitCode: 1 });
  });

  it("nc -u: the port unreachable sets sk_err, poll reports POLLERR, nc exits 0 at once", () => {
    const r = run(routerWorld(REJECT_OUT), "router", "echo hi | nc -u -w 1 10.0.2.2 5000");
    expect(r.result).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(r.elapsedMs).toBeLessThan(1);
  });

  it("nc -zuv: the first write fails with EPERM, exit 1", () => {
    const r = run(routerWorld(REJECT_OUT), "router", "nc -zuv -w 1 10.0.2.2 5000");
    expect(r.result).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(r.traces.map((t) => t.origin)).toEqual(["nc -zu", "icmp error"]);
  });
});

describe("ICMP errors for a connected UDP socket without IP_RECVERR", () => {
  const rejectUdp = (code: string) => routerWorld({ filter: { rules: [rule("FORWARD", `-p udp -j REJECT --reject-with ${code}`)] } });

  it("net unreachable is not a hard error: nc -u waits out -w, nc -zuv succeeds", () => {
    const w = rejectUdp("icmp-net-unreachable");
    const u = run(w, "client", "echo hi | nc -u -w 1 10.0.2.2 5000");
    expect(u.result).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(u.elapsedMs).toBe(1000);
    expect(u.traces.find((t) => t.origin === "icmp error")?.disposition).toMatchObject({ kind: "delivered", to: expect.stringContaining("ENETUNREACH ignored (not a hard error, no IP_RECVERR)") });
    expect(run(w, "client", "nc -zuv -w 1 10.0.2.2 5000").result).toEqual({ stdout: "", stderr: "Connection to 10.0.2.2 5000 port [udp/*] succeeded!\n", exitCode: 0 });
  });

  it("host prohibited is: nc -u ends at once; nc -zuv's second write fails with EHOSTUNREACH, which does not fail the test", () => {
    const w = rejectUdp("icmp-host-prohibited");
    const u = run(w, "client", "echo hi | nc -u -w 1 10.0.2.2 5000");
    expect(u.result).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(u.elapsedMs).toBeLessThan(1);
    const z = run(w, "client", "nc -zuv -w 1 10.0.2.2 5000");
    expect(z.result).toEqual({ stdout: "", stderr: "Connection to 10.0.2.2 5000 port [udp/*] succeeded!\n", exitCode: 0 });
    // Writes 1 and 3 leave; write 2 reports the pending EHOSTUNREACH instead.
    expect(z.traces.filter((t) => t.origin === "nc -zu").map((t) => t.startMs)).toEqual([0, 1000.1].map((ms) => ms + z.traces[0]!.startMs));
  });

  it("port unreachable fails nc -zuv at its second write", () => {
    const z = run(rejectUdp("icmp-port-unreachable"), "client", "nc -zuv -w 1 10.0.2.2 5000");
    expect(z.result).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(z.traces.filter((t) => t.origin === "nc -zu")).toHaveLength(1);
  });
});
