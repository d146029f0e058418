import { describe, expect, it } from "vitest";
import type { Disposition, Hop, Step, Trace } from "../../src/trace/types.js";
import { renderDisposition, renderStep, renderTraceText, renderTracesText } from "../../src/trace/render-text.js";

const ECHO = (ttl: number) => `IP 10.244.1.2 > 10.244.2.2: ICMP echo request, id 7, seq 1, length 64, ttl ${ttl}`;
const FRAME = (ttl: number) => `02:fa:00:00:01:01 > 02:fa:00:00:02:01, ${ECHO(ttl)}`;
const at = (node: string, stage: string) => ({ node, stage });

function trace(id: number, hops: Hop[], disposition?: Disposition, extra: Partial<Trace> = {}): Trace {
  return { id, packet: ECHO(64), origin: "ping", startMs: 0, hops, ...(disposition ? { disposition } : {}), ...extra };
}

/** One lap of the VXLAN local-bypass loop: forward, resolve, transmit, hand back, receive, route. */
function lap(ttl: number): Step[] {
  return [
    { kind: "ttl", from: ttl, to: ttl - 1 },
    { kind: "neigh", dev: "flannel.1", ip: "10.244.2.0", result: "hit", mac: "02:fa:00:00:02:01", state: "PERMANENT" },
    { kind: "exit-dev", dev: "flannel.1", packet: FRAME(ttl - 1) },
    { kind: "vxlan-fdb", dev: "flannel.1", mac: "02:fa:00:00:02:01", dst: "10.0.2.15", entry: "02:fa:00:00:02:01 dev flannel.1 dst 10.0.2.15 self permanent" },
    { kind: "encap-bypass", dev: "flannel.1", to: "flannel.1", why: "remote VTEP 10.0.2.15 is local" },
    { kind: "enter-dev", dev: "flannel.1", ms: (65 - ttl) * 0.01, packet: FRAME(ttl - 1) },
    {
      kind: "route",
      direction: "input",
      table: "main",
      matched: "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink",
      type: "unicast",
      result: "forward",
      text: "10.244.2.2 from 10.244.1.2 via 10.244.2.0 dev flannel.1 iif flannel.1",
    },
  ];
}

describe("renderStep", () => {
  it("writes each step kind in the words of the tool that shows that state", () => {
    const steps: Step[] = [
      { kind: "send", app: "ping", packet: ECHO(64) },
      { kind: "enter-dev", dev: "cni0", ms: 0.01, packet: "a > b, IP x > y" },
      { kind: "exit-dev", dev: "eth0", packet: "a > b, IP x > y" },
      { kind: "bridge", bridge: "cni0", action: "learn", mac: "0a:58:0a:f4:01:02", port: "veth1" },
      { kind: "bridge", bridge: "cni0", action: "fdb-hit", mac: "0a:58:0a:f4:01:02", port: "veth1" },
      { kind: "bridge", bridge: "br0", action: "flood", mac: "02:00:00:00:00:99", ports: ["p2", "p3"] },
      { kind: "bridge", bridge: "cni0", action: "local", mac: "02:c0:00:00:01:01" },
      { kind: "bridge", bridge: "br0", action: "hairpin-drop", mac: "02:00:00:00:00:01", port: "p1" },
      { kind: "nf", hook: "PREROUTING", table: "nat", chain: "KUBE-SERVICES", rule: 7, text: "-A KUBE-SERVICES -d 10.96.0.10/32 -j KUBE-SVC-X", verdict: "KUBE-SVC-X" },
      { kind: "nf", hook: "FORWARD", table: "filter", chain: "FORWARD", verdict: "ACCEPT" },
      { kind: "nf", hook: "PREROUTING", table: "nat", chain: "KUBE-SVC-X", verdict: "RETURN" },
      {
        kind: "route",
        direction: "output",
        table: "main",
        matched: "default via 10.244.1.1 dev eth0",
        type: "unicast",
        result: "eth0",
        text: "10.244.2.2 via 10.244.1.1 dev eth0 src 10.244.1.2",
      },
      { kind: "route", direction: "input", table: "-", matched: "(none)", type: "unreachable", result: "ENETUNREACH", text: "10.9.9.9 from 10.0.0.2 iif eth0: no route" },
      { kind: "neigh", dev: "flannel.1", ip: "10.244.2.0", result: "hit", mac: "02:fa:00:00:02:01", state: "PERMANENT" },
      { kind: "neigh", dev: "eth0", ip: "10.244.1.1", result: "incomplete", state: "INCOMPLETE" },
      { kind: "neigh", dev: "eth0", ip: "10.244.1.1", result: "resolved", mac: "02:c0:00:00:01:01", state: "REACHABLE" },
      { kind: "neigh", dev: "eth0", ip: "10.0.0.4", result: "failed", state: "FAILED" },
      { kind: "vxlan-fdb", dev: "flannel.1", mac: "02:fa:00:00:02:01", dst: "10.0.2.15", entry: "02:fa:00:00:02:01 dev flannel.1 dst 10.0.2.15 self permanent" },
      { kind: "vxlan-fdb", dev: "vx0", mac: "02:aa:00:00:00:01", dst: "10.0.0.2", entry: "00:00:00:00:00:00 dev vx0 dst 10.0.0.2 self permanent" },
      { kind: "vxlan-fdb", dev: "vx0", mac: "02:aa:00:00:00:01", entry: "(no entry, no default entry)" },
      { kind: "encap", dev: "flannel.1", vni: 1, outer: "IP 192.168.56.101.40000 > 192.168.56.102.8472: OTV/VXLAN vni 1: …" },
      { kind: "encap-bypass", dev: "flannel.1", to: "flannel.1", why: "remote VTEP 10.0.2.15 is local" },
      { kind: "decap", dev: "flannel.1", vni: 1 },
      { kind: "ttl", from: 64, to: 63 },
      { kind: "icmp-sent", type: 11, code: 0, name: "Time to live exceeded", from: "10.244.1.1", to: "10.244.1.2", trace: 7 },
      { kind: "icmp-suppressed", why: "rate limit towards 10.244.1.2 (icmp_ratelimit)" },
      { kind: "deliver", to: "ping socket id 7" },
      { kind: "note", text: "anything else worth saying" },
    ];
    expect(steps.map(renderStep).join("\n") + "\n").toBe(`\
send   ping: IP 10.244.1.2 > 10.244.2.2: ICMP echo request, id 7, seq 1, length 64, ttl 64
in     cni0  a > b, IP x > y
out    eth0  a > b, IP x > y
bridge cni0: learned 0a:58:0a:f4:01:02 on port veth1
bridge cni0: 0a:58:0a:f4:01:02 → port veth1 (fdb)
bridge br0: 02:00:00:00:00:99 flooded to p2, p3
bridge cni0: 02:c0:00:00:01:01 is cni0's own address → up to its IP stack
bridge br0: 02:00:00:00:00:01 is behind the ingress port p1 and hairpin is off → dropped
TRACE: nat:KUBE-SERVICES:rule:7 → KUBE-SVC-X  -A KUBE-SERVICES -d 10.96.0.10/32 -j KUBE-SVC-X [PREROUTING]
TRACE: filter:FORWARD:policy → ACCEPT
TRACE: nat:KUBE-SVC-X:return → RETURN [PREROUTING]
route  10.244.2.2 via 10.244.1.1 dev eth0 src 10.244.1.2  (table main, matched default via 10.244.1.1 dev eth0)
route  10.9.9.9 from 10.0.0.2 iif eth0: no route → ENETUNREACH  (table -, matched (none))
neigh  10.244.2.0 dev flannel.1 → 02:fa:00:00:02:01 PERMANENT
neigh  10.244.1.1 dev eth0 → INCOMPLETE: ARP request sent, packet queued
neigh  10.244.1.1 dev eth0 → 02:c0:00:00:01:01 REACHABLE (ARP reply), queued packet sent
neigh  10.0.0.4 dev eth0 → FAILED: no ARP reply
fdb    flannel.1: 02:fa:00:00:02:01 → dst 10.0.2.15
fdb    vx0: 02:aa:00:00:00:01 → dst 10.0.0.2  (entry: 00:00:00:00:00:00 dev vx0 dst 10.0.0.2 self permanent)
fdb    vx0: 02:aa:00:00:00:01 → no entry, no default entry: dropped
encap  flannel.1 vni 1: IP 192.168.56.101.40000 > 192.168.56.102.8472: OTV/VXLAN vni 1: …
encap-bypass flannel.1 → flannel.1: remote VTEP 10.0.2.15 is local
decap  flannel.1 vni 1: inner frame arrives on flannel.1
ttl    64 → 63
icmp   Time to live exceeded from 10.244.1.1 to 10.244.1.2 (#7)
icmp   no error sent: rate limit towards 10.244.1.2 (icmp_ratelimit)
deliver ping socket id 7
note   anything else worth saying
`);
  });
});

describe("renderDisposition", () => {
  it("says what happened, where, in plain words", () => {
    const ds: (Disposition | undefined)[] = [
      { kind: "delivered", at: at("pod2", "icmp_rcv"), to: "icmp_echo (kernel answers)" },
      { kind: "consumed", at: at("pod1", "icmp_rcv"), by: "no ping socket with id 9" },
      { kind: "exits-world", at: at("node1", "segment nat1"), dev: "enp0s3" },
      { kind: "no-route", at: at("pod1", "ip_route_output"), reason: "no route to 10.9.9.9", errno: "ENETUNREACH" },
      { kind: "route-rejected", at: at("r1", "ip_route_input"), routeType: "prohibit", errno: "EACCES" },
      { kind: "ttl-exceeded", at: at("node1", "ip_forward") },
      { kind: "neigh-failed", at: at("h2", "neigh_invalidate"), ip: "10.0.0.4", dev: "eth0" },
      { kind: "no-listener", at: at("server", "tcp_v4_rcv"), proto: "tcp", port: 81 },
      { kind: "forwarding-disabled", at: at("r1", "ip_route_input") },
      { kind: "martian", at: at("node1", "ip_route_input"), reason: "martian source 10.244.1.0" },
      { kind: "not-for-us", at: at("h3", "ip_rcv"), reason: "destination MAC is not eth0's (PACKET_OTHERHOST)" },
      { kind: "nf-drop", at: at("node1", "FORWARD"), rule: "filter:FORWARD:rule 3 (-A FORWARD -j DROP)" },
      { kind: "nf-reject", at: at("node1", "INPUT"), rule: "filter:KUBE-SERVICES:rule 1", with: "icmp-port-unreachable" },
      { kind: "link-down", at: at("sw", "dev_queue_xmit"), dev: "p4" },
      { kind: "dropped", at: at("node1", "vxlan_xmit"), reason: "no FDB entry" },
      undefined,
    ];
    expect(ds.map(renderDisposition)).toEqual([
      "✓ delivered at pod2 icmp_rcv: icmp_echo (kernel answers)",
      "✓ consumed at pod1 icmp_rcv: no ping socket with id 9",
      "→ leaves the simulated world at node1 segment nat1 through enp0s3",
      "✗ no route at pod1 ip_route_output: no route to 10.9.9.9 (ENETUNREACH)",
      "✗ refused at r1 ip_route_input by a prohibit route (EACCES)",
      "✗ dropped at node1 ip_forward: TTL exceeded",
      "✗ dropped at h2 neigh_invalidate: no ARP reply for 10.0.0.4 on eth0 (neighbour FAILED)",
      "✗ refused at server tcp_v4_rcv: nothing listens on tcp port 81",
      "✗ dropped at r1 ip_route_input: forwarding is disabled (net.ipv4.ip_forward = 0)",
      "✗ dropped as a martian at node1 ip_route_input: martian source 10.244.1.0",
      "· ignored at h3 ip_rcv: destination MAC is not eth0's (PACKET_OTHERHOST)",
      "✗ dropped by netfilter at node1 FORWARD: filter:FORWARD:rule 3 (-A FORWARD -j DROP)",
      "✗ rejected by netfilter at node1 INPUT with icmp-port-unreachable: filter:KUBE-SERVICES:rule 1",
      "✗ dropped at sw dev_queue_xmit: p4 is down",
      "✗ dropped at node1 vxlan_xmit: no FDB entry",
      "… still in flight when the command ended",
    ]);
  });
});

describe("renderTraceText", () => {
  it("writes a header with its links, a rule per hop and the disposition", () => {
    const reply = trace(
      3,
      [
        { node: "pod2", steps: [{ kind: "route", direction: "output", table: "main", matched: "default via 10.244.2.1 dev eth0", type: "unicast", result: "eth0", text: "10.244.1.2 via 10.244.2.1 dev eth0 src 10.244.2.2" }] },
        { node: "node2", steps: [{ kind: "enter-dev", dev: "veth1", ms: 1.5, packet: "frame" }] },
      ],
      { kind: "delivered", at: at("pod1", "ping_rcv"), to: "ping socket id 7" },
      { origin: "echo reply", packet: "IP 10.244.2.2 > 10.244.1.2: ICMP echo reply, id 7, seq 1, length 64, ttl 64", cause: 1, startMs: 1.5 },
    );
    const copy = trace(5, [{ node: "h3", steps: [{ kind: "enter-dev", dev: "eth0", ms: 0, packet: "frame" }] }], { kind: "not-for-us", at: at("h3", "ip_rcv"), reason: "not eth0's MAC" }, { forkOf: 4 });
    expect(renderTracesText([reply, copy])).toBe(`\
#3 echo reply: IP 10.244.2.2 > 10.244.1.2: ICMP echo reply, id 7, seq 1, length 64, ttl 64 (caused by #1, at 1.5 ms)
  ── pod2 ──
    route  10.244.1.2 via 10.244.2.1 dev eth0 src 10.244.2.2  (table main, matched default via 10.244.2.1 dev eth0)
  ── node2 ──
    in     veth1  frame
  ✓ delivered at pod1 ping_rcv: ping socket id 7

#5 ping: IP 10.244.1.2 > 10.244.2.2: ICMP echo request, id 7, seq 1, length 64, ttl 64 (copy of #4)
  ── h3 ──
    in     eth0  frame
  · ignored at h3 ip_rcv: not eth0's MAC
`);
  });

  it("folds identical rounds of a loop into one line with the TTL range", () => {
    const steps: Step[] = [{ kind: "enter-dev", dev: "cni0", ms: 0, packet: FRAME(64) }];
    for (let ttl = 64; ttl > 1; ttl--) steps.push(...lap(ttl));
    steps.push({ kind: "icmp-sent", type: 11, code: 0, name: "Time to live exceeded", from: "10.244.1.1", to: "10.244.1.2", trace: 2 });
    const t = trace(1, [{ node: "node1", steps }], { kind: "ttl-exceeded", at: at("node1", "ip_forward") });
    expect(renderTraceText(t)).toBe(`\
#1 ping: IP 10.244.1.2 > 10.244.2.2: ICMP echo request, id 7, seq 1, length 64, ttl 64
  ── node1 ──
    in     cni0  02:fa:00:00:01:01 > 02:fa:00:00:02:01, IP 10.244.1.2 > 10.244.2.2: ICMP echo request, id 7, seq 1, length 64, ttl 64
    ttl    64 → 63
    neigh  10.244.2.0 dev flannel.1 → 02:fa:00:00:02:01 PERMANENT
    out    flannel.1  02:fa:00:00:01:01 > 02:fa:00:00:02:01, IP 10.244.1.2 > 10.244.2.2: ICMP echo request, id 7, seq 1, length 64, ttl 63
    fdb    flannel.1: 02:fa:00:00:02:01 → dst 10.0.2.15
    encap-bypass flannel.1 → flannel.1: remote VTEP 10.0.2.15 is local
    in     flannel.1  02:fa:00:00:01:01 > 02:fa:00:00:02:01, IP 10.244.1.2 > 10.244.2.2: ICMP echo request, id 7, seq 1, length 64, ttl 63
    route  10.244.2.2 from 10.244.1.2 via 10.244.2.0 dev flannel.1 iif flannel.1  (table main, matched 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink)
    … the same 7 steps repeat 62 more times (ttl 63 → 1) …
    icmp   Time to live exceeded from 10.244.1.1 to 10.244.1.2 (#2)
  ✗ dropped at node1 ip_forward: TTL exceeded
`);
    // Without folding every lap is there: 1 + 63 × 7 + 1 step lines.
    const full = renderTraceText(t, { collapse: false }).split("\n").filter((l) => l.startsWith("    "));
    expect(full).toHaveLength(1 + 63 * 7 + 1);
  });

  it("folds a loop between two routers, naming both, and goes on with what follows", () => {
    const hops: Hop[] = [];
    const fwd = (node: string, dev: string, ttl: number): Hop => ({
      node,
      steps: [
        { kind: "enter-dev", dev, ms: 0, packet: `IP 10.0.0.1 > 10.9.0.1: UDP, length 0, ttl ${ttl}` },
        { kind: "ttl", from: ttl, to: ttl - 1 },
      ],
    });
    for (let ttl = 10; ttl > 2; ttl -= 2) hops.push(fwd("r1", "eth1", ttl), fwd("r2", "eth0", ttl - 1));
    hops.push({ node: "r1", steps: [{ kind: "enter-dev", dev: "eth1", ms: 0, packet: "IP 10.0.0.1 > 10.9.0.1: UDP, length 0, ttl 2" }, { kind: "ttl", from: 2, to: 1 }] });
    hops.push({ node: "r2", steps: [{ kind: "enter-dev", dev: "eth0", ms: 0, packet: "IP 10.0.0.1 > 10.9.0.1: UDP, length 0, ttl 1" }] });
    const t = trace(1, hops, { kind: "ttl-exceeded", at: at("r2", "ip_forward") }, { origin: "nc", packet: "IP 10.0.0.1 > 10.9.0.1: UDP, length 0, ttl 10" });
    expect(renderTraceText(t)).toBe(`\
#1 nc: IP 10.0.0.1 > 10.9.0.1: UDP, length 0, ttl 10
  ── r1 ──
    in     eth1  IP 10.0.0.1 > 10.9.0.1: UDP, length 0, ttl 10
    ttl    10 → 9
  ── r2 ──
    in     eth0  IP 10.0.0.1 > 10.9.0.1: UDP, length 0, ttl 9
    ttl    9 → 8
    … the same 4 steps repeat 3 more times (through r1, r2, ttl 8 → 2) …
  ── r1 ──
    in     eth1  IP 10.0.0.1 > 10.9.0.1: UDP, length 0, ttl 2
    ttl    2 → 1
  ── r2 ──
    in     eth0  IP 10.0.0.1 > 10.9.0.1: UDP, length 0, ttl 1
  ✗ dropped at r2 ip_forward: TTL exceeded
`);
  });

  it("leaves two repetitions alone: only three or more rounds are folded", () => {
    const note: Step = { kind: "note", text: "same" };
    const t = trace(1, [{ node: "a", steps: [note, note] }], { kind: "dropped", at: at("a", "x"), reason: "r" });
    expect(renderTraceText(t)).toBe("#1 ping: " + ECHO(64) + "\n  ── a ──\n    note   same\n    note   same\n  ✗ dropped at a x: r\n");
    const three = trace(1, [{ node: "a", steps: [note, note, note] }], { kind: "dropped", at: at("a", "x"), reason: "r" });
    expect(renderTraceText(three)).toBe("#1 ping: " + ECHO(64) + "\n  ── a ──\n    note   same\n    … this step repeats 2 more times …\n  ✗ dropped at a x: r\n");
  });
});
