/**
 * A small cluster for the DNS tests, in the low-level scenario form: a client pod, a CoreDNS pod
 * (a `dns` listener for cluster.local) and a web pod behind a node that routes between them and
 * DNATs the kube-dns Service 10.96.0.10:53 (UDP and TCP) to CoreDNS and the kubia Service
 * 10.98.41.49:80 to the web pod, as kube-proxy's rules would. `dropDns` adds a FORWARD rule that
 * drops every DNS datagram (`"udp+tcp"`: DNS over TCP too), so the client's queries go
 * unanswered. `noIcmpRatelimit` sets icmp_ratemask=0 on the routers and servers, so the kernel's
 * ICMP rate limits (not modelled) never hold an error back when the world runs on the kernel.
 */
import type { WorldSpec } from "../../src/netns/spec.js";
import { loadScenario } from "../../src/scenario/load.js";
import { buildWorld } from "../../src/sim/build.js";
import { runOn, type ExecResult } from "../../src/sim/exec.js";
import type { World } from "../../src/sim/world.js";

/** What kubelet writes into a pod of namespace default (ClusterFirst). */
export const POD_RESOLV_CONF = "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n";

export interface DnsWorldOptions {
  readonly dropDns?: boolean | "udp+tcp";
  readonly noIcmpRatelimit?: boolean;
  readonly resolvConf?: string;
  readonly hosts?: string;
}

export function dnsWorldSpec(o: DnsWorldOptions = {}): WorldSpec {
  const quiet = o.noIcmpRatelimit ? ", net.ipv4.icmp_ratemask: 0" : "";
  const yaml = `
name: cluster dns
seed: 1
namespaces:
  client:
    devices: { eth0: { type: veth, peer: node/vclient } }
    addresses: { eth0: [10.244.1.2/24] }
    routes: [{ dst: default, via: 10.244.1.1 }]
  node:
    sysctls: { net.ipv4.ip_forward: 1${quiet} }
    devices:
      vclient: { type: veth, peer: client/eth0 }
      vcoredns: { type: veth, peer: coredns/eth0 }
      vweb: { type: veth, peer: web/eth0 }
    addresses: { vclient: [10.244.1.1/24], vcoredns: [10.244.2.1/24], vweb: [10.244.3.1/24] }
    rules: |
      *nat
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      -A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.244.2.10:53
      -A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 10.244.2.10:53
      -A PREROUTING -d 10.98.41.49/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.3.20:8080
      COMMIT
      *filter
      :INPUT ACCEPT [0:0]
      :FORWARD ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
${o.dropDns ? "      -A FORWARD -p udp -m udp --dport 53 -j DROP\n" : ""}${o.dropDns === "udp+tcp" ? "      -A FORWARD -p tcp -m tcp --dport 53 -j DROP\n" : ""}      COMMIT
  coredns:${o.noIcmpRatelimit ? "\n    sysctls: { net.ipv4.icmp_ratemask: 0 }" : ""}
    devices: { eth0: { type: veth, peer: node/vcoredns } }
    addresses: { eth0: [10.244.2.10/24] }
    routes: [{ dst: default, via: 10.244.2.1 }]
    listeners:
      - kind: dns
        port: 53
        zone:
          domain: cluster.local
          records:
            kubia.default.svc.cluster.local: 10.98.41.49
            kubernetes.default.svc.cluster.local: 10.96.0.1
            kube-dns.kube-system.svc.cluster.local: [10.96.0.10]
  web:${o.noIcmpRatelimit ? "\n    sysctls: { net.ipv4.icmp_ratemask: 0 }" : ""}
    devices: { eth0: { type: veth, peer: node/vweb } }
    addresses: { eth0: [10.244.3.20/24] }
    routes: [{ dst: default, via: 10.244.3.1 }]
    listeners: [{ kind: http, port: 8080, body: "You've hit kubia\\n" }]
`;
  const loaded = loadScenario(yaml, "dns.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const files: Record<string, string> = { "/etc/resolv.conf": o.resolvConf ?? POD_RESOLV_CONF };
  if (o.hosts !== undefined) files["/etc/hosts"] = o.hosts;
  return { ...loaded.value, namespaces: loaded.value.namespaces.map((n) => (n.name === "client" ? { ...n, files } : n)) };
}

export function dnsWorld(o: DnsWorldOptions = {}): World {
  const built = buildWorld(dnsWorldSpec(o), "1");
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return built.value;
}

export interface Ran extends ExecResult {
  /** Virtual ms from the start to the tool's exit. */
  readonly elapsedMs: number;
}

/** Runs one command on the client; an idle event keeps the clock at the tool's exit (runOn would move it to its limit). */
export function run(command: string, o: DnsWorldOptions = {}, world: World = dnsWorld(o)): Ran {
  world.after(800_000, () => undefined);
  const r = runOn(world, "client", command);
  return { ...r.result, elapsedMs: r.elapsedMs };
}
