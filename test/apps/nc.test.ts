/**
 * nc as netcat-openbsd 1.219 (Debian 12) behaves (apps/nc.ts), on the client — router — server
 * topology with no rules. Kernel checks in namespaces, with strace for the writes:
 *   nc -w 1 10.0.2.2 9009           (closed)   nothing printed, exit 1; with -v `… failed: Connection refused`
 *   nc -w 1 … 9000, TCP dropped                nothing printed, exit 1; with -v `… timed out: Operation now in progress`
 *   nc -zu -w 1 10.0.2.2 5002       (closed)   connect, no write at all, exit 0
 *   nc -zuv -w 1 10.0.2.2 5000      (open)     write, write, sleep(1), write, `succeeded!`, exit 0
 *   nc -zuv 10.0.2.2 5000           (open)     write, write, then sleep(1) + write three times
 *   nc -zuv -w 1 10.0.2.2 5002      (closed)   write, write → ECONNREFUSED, exit 1, nothing printed
 *   nc -u -w 1 192.0.2.1 5000       (router, no route)  exit 1; with -v `… (udp) failed: Network is unreachable`
 */
import { describe, expect, it } from "vitest";
import { routerWorld, rule, run } from "../sock/router-world.js";

const writes = (traces: readonly { origin: string; startMs: number }[]) => {
  const w = traces.filter((t) => t.origin === "nc -zu");
  return w.map((t) => Math.round((t.startMs - w[0]!.startMs) * 1000) / 1000);
};

describe("nc says why a connect failed only with -v", () => {
  it("refused", () => {
    const w = routerWorld({});
    expect(run(w, "client", "nc -w 1 10.0.2.2 9009").result).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(run(w, "client", "nc -v -w 1 10.0.2.2 9009").result).toEqual({ stdout: "", stderr: "nc: connect to 10.0.2.2 port 9009 (tcp) failed: Connection refused\n", exitCode: 1 });
  });

  it("timed out", () => {
    const w = routerWorld({ filter: { rules: [rule("FORWARD", "-p tcp -j DROP")] } });
    expect(run(w, "client", "nc -w 1 10.0.2.2 9000").result).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(run(w, "client", "nc -v -w 1 10.0.2.2 9000").result).toEqual({ stdout: "", stderr: "nc: connect to 10.0.2.2 port 9000 (tcp) timed out: Operation now in progress\n", exitCode: 1 });
  });

  it("no route: UDP's connect() does the route lookup", () => {
    const w = routerWorld({});
    expect(run(w, "router", "nc -u -w 1 192.0.2.1 5000").result).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(run(w, "router", "nc -uv -w 1 192.0.2.1 5000").result).toEqual({ stdout: "", stderr: "nc: connect to 192.0.2.1 port 5000 (udp) failed: Network is unreachable\n", exitCode: 1 });
  });
});

describe("nc -zu (udptest)", () => {
  it("without -v writes nothing and exits 0, open or closed", () => {
    const w = routerWorld({});
    const r = run(w, "client", "nc -zu -w 1 10.0.2.2 5002");
    expect(r.result).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(r.traces).toEqual([]);
  });

  it("an open port: two writes, then one a second for -w seconds, then succeeded", () => {
    const r = run(routerWorld({}), "client", "nc -zuv -w 1 10.0.2.2 5000");
    expect(r.result).toEqual({ stdout: "", stderr: "Connection to 10.0.2.2 5000 port [udp/*] succeeded!\n", exitCode: 0 });
    expect(writes(r.traces)).toEqual([0, 0.1, 1000.1]);
    expect(r.elapsedMs).toBeCloseTo(1000.1, 6);
  });

  it("without -w it waits UDP_SCAN_TIMEOUT, 3 seconds", () => {
    const r = run(routerWorld({}), "client", "nc -zuv 10.0.2.2 5000");
    expect(r.result.exitCode).toBe(0);
    expect(writes(r.traces)).toEqual([0, 0.1, 1000.1, 2000.1, 3000.1]);
  });

  it("a closed port: the second write fails with the ECONNREFUSED the first drew; exit 1, nothing said", () => {
    const r = run(routerWorld({}), "client", "nc -zuv -w 1 10.0.2.2 5002");
    expect(r.result).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(writes(r.traces)).toEqual([0]);
    expect(r.elapsedMs).toBeCloseTo(0.1, 6);
  });
});

describe("nc -u", () => {
  it("prints what the server sends back and waits out -w", () => {
    const r = run(routerWorld({}), "client", "echo hi | nc -u -w 1 10.0.2.2 5000");
    expect(r.result.stdout).toMatch(/^server: 10\.0\.1\.2:\d+ -> 10\.0\.2\.2:5000\n$/);
    expect(r.result.exitCode).toBe(0);
    expect(r.elapsedMs).toBe(1000);
  });

  it("with nothing on stdin sends nothing", () => {
    const r = run(routerWorld({}), "client", "nc -u -w 1 10.0.2.2 5000");
    expect(r.result).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(r.traces).toEqual([]);
  });
});
