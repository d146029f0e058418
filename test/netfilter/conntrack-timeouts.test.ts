/**
 * Conntrack entries live in virtual time, with the kernel's default timeouts: an unreplied UDP
 * flow is forgotten 30 s after its last packet, so a packet 29 s later still belongs to it and
 * one 31 s after that starts a new connection (a new NAT choice, a new ctstate NEW).
 */
import { describe, expect, it } from "vitest";
import { buildWorld } from "../../src/sim/build.js";
import { oneNodeWorld } from "./one-node.js";
import { parseIpv4 } from "../../src/core/ip.js";
import { IptablesEngine } from "../../src/netfilter/engine.js";
import { parseIptablesSave } from "../../src/netfilter/syntax/index.js";
import type { Conn } from "../../src/netfilter/conntrack/conn.js";
import type { Skb } from "../../src/ipv4/skb.js";
import { DiscardingTrace } from "../../src/trace/recorder.js";

const RULES = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate NEW -j ACCEPT
COMMIT
`;


describe("conntrack timeouts in virtual time", () => {
  it("an unreplied UDP flow lasts 30 s after its last packet", () => {
    const built = buildWorld(oneNodeWorld(), "1");
    if (!built.ok) throw new Error("world");
    const w = built.value;
    const ns = w.ns("node")!;
    const eth0 = ns.device("eth0")!;
    const parsed = parseIptablesSave(RULES, "rules");
    if (!parsed.ok) throw new Error("rules");
    const engine = new IptablesEngine(ns, parsed.value);
    const seen: { at: number; conn: Conn; info: string }[] = [];
    const send = () => {
      const skb: Skb = {
        pkt: { kind: "ipv4", src: parseIpv4("10.0.2.2")!, dst: parseIpv4("10.0.2.15")!, ttl: 64, id: 1, tos: 0, df: false, payload: { kind: "udp", sport: 5000, dport: 53, data: "q" } },
        trace: new DiscardingTrace(), dev: eth0, pktType: "host", mark: 0,
      };
      engine.hook(ns, "PREROUTING", skb, eth0, undefined);
      engine.hook(ns, "INPUT", skb, eth0, undefined);
      if (skb.ct?.kind !== "conn") throw new Error("not tracked");
      seen.push({ at: w.now, conn: skb.ct.conn, info: skb.ct.info });
    };
    w.after(0, send);
    w.after(29_000, send);
    w.after(29_000 + 30_001, send);
    w.queue.runUntil();
    expect(seen.map((s) => [s.at, s.info])).toEqual([[0, "NEW"], [29_000, "NEW"], [59_001, "NEW"]]);
    expect(seen[1]!.conn).toBe(seen[0]!.conn);
    expect(seen[2]!.conn).not.toBe(seen[0]!.conn);
    expect(engine.conntrack.entries(w.now)).toEqual([seen[2]!.conn]);
  });
});
