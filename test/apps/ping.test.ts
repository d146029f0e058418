/**
 * ping's handling of a failed sendmsg() (apps/ping.ts), as iputils 20221126 pinger() does it:
 * read one error from the socket's queue; print `ping: sendmsg: …` only if there was one. Kernel
 * check: `ping -c 3 -i 0.3 10.0.2.2` on the client with its default route deleted after 0.45 s:
 * two replies, the third sendto() failing with ENETUNREACH, and nothing printed about it —
 * `3 packets transmitted, 2 received, 33.3333% packet loss`, exit 0.
 */
import { describe, expect, it } from "vitest";
import { Fib } from "../../src/route/fib.js";
import { routerWorld, run } from "../sock/router-world.js";

describe("ping when sendmsg() fails and nothing is queued", () => {
  it("counts the probe as transmitted and says nothing", () => {
    const w = routerWorld({});
    const client = w.ns("client")!;
    w.after(450, () => {
      const routes = [...client.fib.tables.values()].flatMap((t) => t.routes).filter((r) => r.len !== 0);
      client.fib = new Fib(routes);
    });
    const r = run(w, "client", "ping -c 3 -i 0.3 -W 1 10.0.2.2");
    expect(r.result.stderr).toBe("");
    expect(r.result.stdout.split("\n").filter((l) => !l.startsWith("rtt "))).toEqual([
      "PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.",
      "64 bytes from 10.0.2.2: icmp_seq=1 ttl=63 time=0.080 ms", // ARP on both legs first
      "64 bytes from 10.0.2.2: icmp_seq=2 ttl=63 time=0.040 ms",
      "",
      "--- 10.0.2.2 ping statistics ---",
      "3 packets transmitted, 2 received, 33.3333% packet loss, time 600ms",
      "",
    ]);
    expect(r.result.exitCode).toBe(0);
    expect(r.traces.filter((t) => t.origin === "ping")).toHaveLength(2);
  });
});
