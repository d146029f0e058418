/**
 * connect() as tools see it (sock/tcp.ts): the SYN-ACK establishes the connection, the kernel
 * ACKs it at once, and the tool learns of it when it next runs — poll, then SO_ERROR. An ICMP
 * error for that ACK is a soft error (sk_err_soft) that SO_ERROR reports as the connect's
 * failure; one arriving after SO_ERROR was read changes nothing.
 *
 * Kernel check (client — router — server in namespaces, the router REJECTing every packet of an
 * ASSURED connection in its original direction, i.e. from the handshake's last ACK on):
 * `nc -v -w 1 10.0.2.2 9000` printed `nc: connect to 10.0.2.2 port 9000 (tcp) failed: Connection
 * refused` 100 times out of 100; strace: connect → EINPROGRESS, select → writable,
 * getsockopt(SO_ERROR) → ECONNREFUSED. curl read SO_ERROR the same way. With the router dropping
 * the ACK instead and an ICMP port unreachable for it injected 50 ms later, SO_ERROR read 0 at
 * connect, nc said `succeeded!`, and a second SO_ERROR read after the ICMP returned
 * ECONNREFUSED once, then 0.
 */
import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../../src/core/ip.js";
import type { Netfilter } from "../../src/netfilter/hooks.js";
import { icmpSend } from "../../src/ipv4/icmp.js";
import { takeSoError } from "../../src/sock/tcp.js";
import type { TcpConn } from "../../src/sock/table.js";
import { ICMP, UNREACH } from "../../src/wire/packet.js";
import type { World } from "../../src/sim/world.js";
import { routerWorld, rule, run } from "./router-world.js";

const REJECT_ASSURED = { filter: { rules: [rule("FORWARD", "-m conntrack --ctstatus ASSURED --ctdir ORIGINAL -j REJECT --reject-with icmp-port-unreachable")] } };

describe("an ICMP error for the handshake's last ACK", () => {
  it("fails nc's connect with the soft error SO_ERROR reports", () => {
    const w = routerWorld(REJECT_ASSURED);
    const r = run(w, "client", "nc -v -w 1 10.0.2.2 9000");
    expect(r.result).toEqual({ stdout: "", stderr: "nc: connect to 10.0.2.2 port 9000 (tcp) failed: Connection refused\n", exitCode: 1 });
    const err = r.traces.find((t) => t.origin === "icmp error");
    expect(err?.disposition).toEqual({ kind: "delivered", at: { node: "client", stage: "icmp_rcv" }, to: expect.stringMatching(/^tcp socket \d+: soft error ECONNREFUSED \(sk_err_soft; the connection goes on\)$/) });
    // nc closed the socket: nothing is left in the client's table.
    expect(w.ns("client")!.sockets.conns.size).toBe(0);
  });

  it("fails curl's connect the same way, before it sends its request", () => {
    const w = routerWorld(REJECT_ASSURED);
    const r = run(w, "client", "curl -sS -m 1 http://10.0.2.2/");
    expect(r.result).toEqual({ stdout: "", stderr: "curl: (7) Failed to connect to 10.0.2.2 port 80 after 0 ms: Couldn't connect to server\n", exitCode: 7 });
    expect(r.traces.map((t) => t.origin)).toEqual(["curl", "tcp syn-ack", "tcp ack", "icmp error"]);
  });

  it("curl -sSv words it as a failed connect", () => {
    const w = routerWorld(REJECT_ASSURED);
    const r = run(w, "client", "curl -sSv -m 1 http://10.0.2.2/");
    expect(r.result.stderr).toBe(
      "*   Trying 10.0.2.2:80...\n" +
        "* connect to 10.0.2.2 port 80 failed: Connection refused\n" +
        "* Failed to connect to 10.0.2.2 port 80 after 0 ms: Couldn't connect to server\n" +
        "* Closing connection 0\n" +
        "curl: (7) Failed to connect to 10.0.2.2 port 80 after 0 ms: Couldn't connect to server\n",
    );
  });
});

/** The router drops the client's handshake ACK and, `lateMs` later, sends the port unreachable a REJECT would have. */
function lateRejectOfAck(w: World, lateMs: number): void {
  const router = w.ns("router")!;
  const inner: Netfilter = router.nf;
  const client = parseIpv4("10.0.1.2");
  router.nf = {
    hook: (ns, hook, skb, inDev, outDev) => {
      const seg = skb.pkt.payload;
      if (hook === "FORWARD" && skb.pkt.src === client && seg.kind === "tcp" && seg.flags.ack && !seg.flags.syn && seg.data === "") {
        ns.world.after(lateMs, () => icmpSend(ns, skb, ICMP.DEST_UNREACH, UNREACH.PORT, { netfilter: true }));
        return { kind: "drop", rule: "test: the handshake's ACK" };
      }
      return inner.hook(ns, hook, skb, inDev, outDev);
    },
  };
}

describe("an ICMP error that arrives after the application read SO_ERROR", () => {
  it("changes nothing: nc has connected and its -w idle timeout ends it with exit 0", () => {
    const w = routerWorld({});
    lateRejectOfAck(w, 50);
    const r = run(w, "client", "nc -v -w 1 10.0.2.2 9000");
    expect(r.result).toEqual({ stdout: "", stderr: "Connection to 10.0.2.2 9000 port [tcp/*] succeeded!\n", exitCode: 0 });
    expect(r.traces.find((t) => t.origin === "icmp error")?.disposition).toMatchObject({ kind: "delivered", to: expect.stringContaining("soft error ECONNREFUSED") });
  });

  it("stays in sk_err_soft until SO_ERROR reads it, once", () => {
    const w = routerWorld({});
    lateRejectOfAck(w, 50);
    const client = w.ns("client")!;
    const seen: (string | undefined)[] = [];
    const conn = () => [...client.sockets.conns.values()][0]!;
    w.after(20, () => seen.push(conn().state, takeSoError(conn())));
    w.after(60, () => seen.push(takeSoError(conn()), takeSoError(conn())));
    run(w, "client", "nc -w 1 10.0.2.2 9000");
    expect(seen).toEqual(["established", undefined, "ECONNREFUSED", undefined]);
  });
});

describe("data that arrives before the application runs", () => {
  it("waits in the socket until the connect has returned: nc says succeeded, then prints it", () => {
    const w = routerWorld({});
    const r = run(w, "client", "nc -v -w 1 10.0.2.2 9000");
    expect(r.result.stderr).toBe("Connection to 10.0.2.2 9000 port [tcp/*] succeeded!\n");
    expect(r.result.stdout).toMatch(/^server: 10\.0\.1\.2:\d+ -> 10\.0\.2\.2:9000\n$/);
    expect(r.result.exitCode).toBe(0);
  });

  it("curl's request leaves after the ACK, as a segment of its own", () => {
    const w = routerWorld({});
    const r = run(w, "client", "curl -sS -m 1 http://10.0.2.2/");
    expect(r.result.exitCode).toBe(0);
    const origins = r.traces.filter((t) => t.packet.startsWith("IP 10.0.1.2")).map((t) => t.origin);
    expect(origins).toEqual(["curl", "tcp ack", "tcp request"]);
    const ack = r.traces.find((t) => t.origin === "tcp ack")!;
    const request = r.traces.find((t) => t.origin === "tcp request")!;
    expect(request.startMs - ack.startMs).toBeCloseTo(0.1, 6);
  });
});

describe("an ICMP error for the server's SYN-ACK", () => {
  const rejectReplies = (code: string) => routerWorld({ filter: { rules: [rule("FORWARD", `-m conntrack --ctstate ESTABLISHED -j REJECT --reject-with ${code}`)] } });

  it("leaves the request socket alone when it is a port unreachable; the client times out", () => {
    const w = rejectReplies("icmp-port-unreachable");
    const r = run(w, "client", "nc -v -w 1 10.0.2.2 9000");
    expect(r.result).toEqual({ stdout: "", stderr: "nc: connect to 10.0.2.2 port 9000 (tcp) timed out: Operation now in progress\n", exitCode: 1 });
    expect(r.traces.find((t) => t.origin === "icmp error")?.disposition).toEqual({ kind: "consumed", at: { node: "server", stage: "icmp_rcv" }, by: "request socket for *:9000 in SYN-RECV: ignored (tcp_req_err)" });
    expect(w.ns("server")!.sockets.conns.size).toBe(1);
  });

  it("drops it on host unreachable", () => {
    const w = rejectReplies("icmp-host-unreachable");
    const r = run(w, "client", "nc -w 1 10.0.2.2 9000");
    expect(r.traces.find((t) => t.origin === "icmp error")?.disposition).toMatchObject({ kind: "consumed", by: "request socket for *:9000 in SYN-RECV: dropped (tcp_req_err)" });
    expect(w.ns("server")!.sockets.conns.size).toBe(0);
  });
});

describe("SO_ERROR", () => {
  it("reads the soft error once (xchg(sk_err_soft, 0))", () => {
    const conn: TcpConn = { laddr: parseIpv4("10.0.1.2")!, lport: 40000, raddr: parseIpv4("10.0.2.2")!, rport: 9000, state: "established", seq: 0, ack: 0, softErr: "ECONNREFUSED" };
    expect(takeSoError(conn)).toBe("ECONNREFUSED");
    expect(takeSoError(conn)).toBeUndefined();
  });
});
