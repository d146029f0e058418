/**
 * vxlan_encap_bypass hands the very skb back to the local vxlan device: nothing scrubs it, so the
 * inner packet keeps its conntrack entry (and ctinfo), its mark and its route (vxlan keeps
 * skb_dst). Seen on Linux 6.18 in the cluster kernel test (test/kernel/cluster.test.ts, seed 000
 * with flannel on the NAT adapter): a pod's SYN to a ClusterIP DNATed to the other node's pod
 * crossed flannel.1 63 times (TX 63 / RX 63, IpForwDatagrams 63) with a single conntrack entry
 * (`conntrack -E` showed one [NEW] event); the time-exceeded reached the pod un-DNATed (outer
 * source 10.98.41.49, quoted destination 10.98.41.49:80), so connect() failed with EHOSTUNREACH
 * and curl exited 7 at once; with rp_filter=1 the packet still lapped, so no input route was
 * looked up again. A simulator that gave each lap a fresh skb made a new entry per lap (each one
 * SNATed to a free port by the null binding's clash check) and curl timed out (exit 28).
 */
import { describe, expect, test } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import { runOn, simulate } from "../../src/sim/exec.js";

/** One node whose FDB sends the other node's VTEP MAC to its own address, a pod, a DNAT for a ClusterIP. */
const world = (rpFilter: 0 | 1) => {
  const r = loadScenario(
    `
name: vxlan bypass keeps the skb
seed: 1
segments: [nat1]
namespaces:
  node1:
    sysctls: { net.ipv4.ip_forward: 1, net.ipv4.conf.all.rp_filter: ${rpFilter} }
    devices:
      enp0s3: { type: nic, segment: nat1, mac: "08:00:27:00:01:03" }
      flannel.1: { type: vxlan, id: 1, local: 10.0.2.15, dev: enp0s3, dstport: 8472, learning: false, mac: "02:fa:00:00:01:01", mtu: 1450 }
      cni0: { type: bridge, mac: "02:c0:00:00:01:01" }
      veth1: { type: veth, peer: pod1/eth0, master: cni0, mac: "02:e0:00:00:01:02" }
    addresses:
      enp0s3: [{ addr: 10.0.2.15/24, brd: + }]
      flannel.1: [10.244.1.0/32]
      cni0: [{ addr: 10.244.1.1/24, brd: + }]
    routes:
      - { dst: 10.244.2.0/24, via: 10.244.2.0, dev: flannel.1, onlink: true }
    neighbours:
      - { ip: 10.244.2.0, dev: flannel.1, mac: "02:fa:00:00:02:01", state: permanent }
    fdb:
      - { mac: "02:fa:00:00:02:01", dev: flannel.1, dst: 10.0.2.15 }
    rules: |
      *nat
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      -A PREROUTING -d 10.98.41.49/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.2.11:8080
      COMMIT
  pod1:
    devices:
      eth0: { type: veth, peer: node1/veth1, mac: "0a:58:0a:f4:01:02" }
    addresses: { eth0: [{ addr: 10.244.1.27/24, brd: + }] }
    routes: [{ dst: default, via: 10.244.1.1 }]
`,
    "inline.yaml",
  );
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
  return r.value;
};

describe("vxlan local bypass keeps the skb", () => {
  test("a DNATed SYN laps on its one conntrack entry; the time-exceeded comes back un-DNATed and connect() fails", () => {
    const run = simulate(world(0), "pod1", "curl -sS --connect-timeout 3 http://10.98.41.49");
    expect(run.result.exitCode).toBe(7);
    expect(run.result.stderr).toBe("curl: (7) Failed to connect to 10.98.41.49 port 80 after 0 ms: Couldn't connect to server\n");
    const steps = run.traces.flatMap((t) => t.hops.flatMap((h) => h.steps));
    expect(steps.filter((s) => s.kind === "encap-bypass")).toHaveLength(63);
    const ct = runOn(run.world, "node1", "conntrack -L");
    expect(ct.result.stderr).toBe("conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n");
    expect(ct.result.stdout).toMatch(/^tcp +6 \d+ SYN_SENT src=10\.244\.1\.27 dst=10\.98\.41\.49 sport=\d+ dport=80 \[UNREPLIED\] src=10\.244\.2\.11 dst=10\.244\.1\.27 sport=8080 dport=\d+ mark=0 use=1\n$/);
  });

  test("rp_filter=1 does not end the loop: each lap uses the route the packet was forwarded by", () => {
    const run = simulate(world(1), "pod1", "ping -c 1 -W 1 10.244.2.11");
    expect(run.result.exitCode).toBe(1);
    expect(run.result.stdout).toContain("From 10.244.1.1 icmp_seq=1 Time to live exceeded\n");
  });

  test("a packet the node sent itself comes back with its output route, which has no input path", () => {
    const run = simulate(world(0), "node1", "ping -c 1 -W 1 10.244.2.11");
    expect(run.result.exitCode).toBe(1);
    expect(run.result.stdout).not.toContain("Time to live exceeded");
    const t = run.traces.find((x) => x.origin === "ping");
    expect(t?.disposition).toMatchObject({ kind: "dropped", at: { node: "node1", stage: "ip_rcv_finish" } });
  });
});
