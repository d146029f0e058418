/**
 * One feature at a time, rule for rule, against the templates of research/kube-proxy.md §6 and
 * proxier.go: traffic policies, masquerading, the local-traffic detector, NodePort addresses,
 * host facts, endpoint selection and order, affinity, large-cluster mode, LB source ranges.
 */
import { describe, expect, it } from "vitest";
import type { Service } from "../../../src/k8s/kube-proxy/index.js";
import { nodeTablesText, serviceChainNames } from "../../../src/k8s/kube-proxy/index.js";
import { chain, chainNames, lines, onNodeA, sync } from "./helpers.js";

const WEB = serviceChainNames("default/web:http", "tcp");

/** default/web, port http 80 → 8080, NodePort 30080; endpoints on node-a (.1.5) and node-b (.2.7). */
function web(extra: Partial<Service> = {}, endpoints: Service["endpoints"] = [{ ip: "10.244.1.5", nodeName: "node-a" }, { ip: "10.244.2.7", nodeName: "node-b" }]): Service {
  return { namespace: "default", name: "web", type: "NodePort", clusterIP: "10.96.0.100", ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30080 }], endpoints, ...extra };
}

describe("traffic policies", () => {
  it("externalTrafficPolicy Local with a local endpoint: KUBE-SVL holds it, KUBE-EXT short-circuits pods and the node to KUBE-SVC", () => {
    const r = sync(onNodeA([web({ externalTrafficPolicy: "Local" })]));
    const nat = r.restoreInput;
    expect(chain(nat, WEB.external)).toEqual([
      `-A ${WEB.external} -m comment --comment "pod traffic for default/web:http external destinations" -s 10.244.0.0/16 -j ${WEB.cluster}`,
      `-A ${WEB.external} -m comment --comment "masquerade LOCAL traffic for default/web:http external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      `-A ${WEB.external} -m comment --comment "route LOCAL traffic for default/web:http external destinations" -m addrtype --src-type LOCAL -j ${WEB.cluster}`,
      `-A ${WEB.external} -j ${WEB.local}`,
    ]);
    expect(chain(nat, WEB.local).map((l) => l.replace(/KUBE-SEP-\w+/, "SEP"))).toEqual([`-A ${WEB.local} -m comment --comment "default/web:http -> 10.244.1.5:8080" -j SEP`]);
    expect(chain(nat, WEB.cluster)).toHaveLength(3); // masquerade + two endpoints
    expect(chainNames(r.sections.natChains).filter((c) => c.startsWith("KUBE-SEP-"))).toHaveLength(2);
    expect(r.sections.filterRules).not.toContain("has no local endpoints");
  });

  it("externalTrafficPolicy Local without a local endpoint: no KUBE-SVL, KUBE-EXT has no last jump, the filter DROPs the NodePort", () => {
    const r = sync(onNodeA([web({ externalTrafficPolicy: "Local" }, [{ ip: "10.244.2.7", nodeName: "node-b" }])]));
    expect(chainNames(r.restoreInput)).not.toContain(WEB.local);
    expect(chain(r.restoreInput, WEB.external)).toHaveLength(3);
    expect(chain(r.restoreInput, "KUBE-EXTERNAL-SERVICES")).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j DROP',
    ]);
  });

  it("internalTrafficPolicy Local: ClusterIP traffic goes to KUBE-SVL (masquerade rule there); without a local endpoint it is DROPped", () => {
    const clusterIPOnly = { type: "ClusterIP" as const, ports: [{ name: "http", port: 80, targetPort: 8080 }], internalTrafficPolicy: "Local" as const };
    const r = sync(onNodeA([web(clusterIPOnly)]));
    expect(chain(r.restoreInput, "KUBE-SERVICES")[0]).toBe(`-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.100 --dport 80 -j ${WEB.local}`);
    expect(chain(r.restoreInput, WEB.local)[0]).toContain("! -s 10.244.0.0/16 -j KUBE-MARK-MASQ");
    expect(chainNames(r.restoreInput)).not.toContain(WEB.cluster);
    expect(chainNames(r.restoreInput).filter((c) => c.startsWith("KUBE-SEP-"))).toHaveLength(1);

    const none = sync(onNodeA([web(clusterIPOnly, [{ ip: "10.244.2.7", nodeName: "node-b" }])]));
    expect(chain(none.sections.filterRules, "KUBE-SERVICES")).toEqual([
      '-A KUBE-SERVICES -m comment --comment "default/web:http has no local endpoints" -m tcp -p tcp -d 10.96.0.100 --dport 80 -j DROP',
    ]);
    expect(none.sections.natChains).not.toContain("KUBE-SEP-");
  });

  it("no usable endpoints anywhere: REJECT for the ClusterIP, external IPs, LB IPs and the NodePort; nothing in nat", () => {
    const r = sync(onNodeA([web({ type: "LoadBalancer", externalIPs: ["192.168.56.200"], loadBalancerIPs: ["203.0.113.7"] }, [{ ip: "10.244.2.7", ready: false }])]));
    expect(lines(r.sections.filterRules).filter((l) => l.includes("has no endpoints"))).toEqual([
      '-A KUBE-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 10.96.0.100 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 192.168.56.200 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 203.0.113.7 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT',
    ]);
    expect(r.sections.natChains).toBe(":KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n");
    expect(r.sections.natRules).not.toContain("default/web");
  });
});

describe("masquerading", () => {
  it("KUBE-POSTROUTING / KUBE-MARK-MASQ with the default bit 14 and --random-fully", () => {
    const r = sync(onNodeA([]));
    expect(lines(r.sections.natRules)).toEqual([
      "-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN",
      "-A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000",
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
      "-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000",
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ]);
  });

  it("another bit, no --random-fully, nf_conntrack_tcp_be_liberal", () => {
    const r = sync(onNodeA([], { flags: { clusterCIDR: "10.244.0.0/16", masqueradeBit: 31 }, host: { randomFully: false, conntrackTcpBeLiberal: true } }));
    expect(r.sections.natRules).toContain("-A KUBE-MARK-MASQ -j MARK --or-mark 0x80000000\n");
    expect(r.sections.natRules).toContain('-j MASQUERADE\n');
    expect(chain(r.sections.filterRules, "KUBE-FORWARD")).toEqual([
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x80000000/0x80000000 -j ACCEPT',
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    ]);
  });

  it("--masquerade-all marks all ClusterIP traffic; without --cluster-cidr nothing is marked there", () => {
    const all = sync(onNodeA([web()], { flags: { clusterCIDR: "10.244.0.0/16", masqueradeAll: true } }));
    expect(chain(all.restoreInput, WEB.cluster)[0]).toBe(`-A ${WEB.cluster} -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.100 --dport 80 -j KUBE-MARK-MASQ`);
    const noCidr = sync(onNodeA([web({ externalTrafficPolicy: "Local" })], { flags: {} }));
    expect(chain(noCidr.restoreInput, WEB.cluster).some((l) => l.includes("KUBE-MARK-MASQ"))).toBe(false);
    expect(chain(noCidr.restoreInput, WEB.external).some((l) => l.includes("pod traffic"))).toBe(false);
  });

  it("detect-local by bridge interface or interface prefix", () => {
    const bridge = sync(onNodeA([web()], { flags: { detectLocalMode: "BridgeInterface", podBridgeInterface: "cni0" } }));
    expect(chain(bridge.restoreInput, WEB.cluster)[0]).toMatch(/--dport 80 ! -i cni0 -j KUBE-MARK-MASQ$/);
    const prefix = sync(onNodeA([web({ externalTrafficPolicy: "Local" })], { flags: { detectLocalMode: "InterfaceNamePrefix", podInterfaceNamePrefix: "veth" } }));
    expect(chain(prefix.restoreInput, WEB.cluster)[0]).toMatch(/! -i veth\+ -j KUBE-MARK-MASQ$/);
    expect(chain(prefix.restoreInput, WEB.external)[0]).toContain(" -i veth+ -j KUBE-SVC-");
    const node = sync(onNodeA([web()], { node: { name: "node-a", ip: "192.168.56.10", podCIDR: "10.244.1.0/24" }, flags: { detectLocalMode: "NodeCIDR" } }));
    expect(chain(node.restoreInput, WEB.cluster)[0]).toMatch(/! -s 10\.244\.1\.0\/24 -j KUBE-MARK-MASQ$/);
  });

  it("an endpoint reaching its own Service is marked in its KUBE-SEP chain (hairpin)", () => {
    const r = sync(onNodeA([web()]));
    const first = chainNames(r.sections.natChains).find((c) => c.startsWith("KUBE-SEP-"))!;
    expect(chain(r.restoreInput, first)).toEqual([
      `-A ${first} -m comment --comment default/web:http -s 10.244.1.5 -j KUBE-MARK-MASQ`,
      `-A ${first} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080`,
    ]);
  });
});

describe("NodePorts", () => {
  it("--iptables-localhost-nodeports=false keeps 127.0.0.0/8 out and drops KUBE-FIREWALL from the restore input", () => {
    const r = sync(onNodeA([web()], { flags: { clusterCIDR: "10.244.0.0/16", localhostNodePorts: false } }));
    expect(chain(r.restoreInput, "KUBE-SERVICES").at(-1)).toBe('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS');
    expect(r.sections.filterChains).not.toContain("KUBE-FIREWALL");
    // The node still has the chain its INPUT/OUTPUT jump to.
    expect(nodeTablesText(r)).toContain(":KUBE-FIREWALL - [0:0]\n");
  });

  it("--nodeport-addresses: one jump per node address inside the CIDRs; loopback only with localhost NodePorts", () => {
    const node = { name: "node-a", ip: "192.168.56.10", addresses: ["127.0.0.1", "10.0.2.15", "192.168.56.10", "10.244.1.1"] };
    const tail = (nodePortAddresses: string[]): string[] =>
      chain(sync(onNodeA([web()], { node, flags: { clusterCIDR: "10.244.0.0/16", nodePortAddresses } })).restoreInput, "KUBE-SERVICES")
        .filter((l) => l.includes("KUBE-NODEPORTS"))
        .map((l) => l.replace(/.* -d (\S+) -j KUBE-NODEPORTS$/, "$1"));
    expect(tail(["192.168.56.0/24"])).toEqual(["192.168.56.10"]);
    expect(tail(["primary"])).toEqual(["192.168.56.10"]);
    expect(tail(["10.0.0.0/8", "127.0.0.0/8"])).toEqual(["127.0.0.1", "10.0.2.15", "10.244.1.1"]);
    // A 0.0.0.0/0 anywhere means "all", as with no flag.
    expect(tail(["10.0.0.0/8", "0.0.0.0/0"])[0]).toContain("--dst-type LOCAL");
    const noLoopback = sync(onNodeA([web()], { node, flags: { clusterCIDR: "10.244.0.0/16", nodePortAddresses: ["192.168.56.0/24"] } }));
    expect(noLoopback.sections.filterChains).not.toContain("KUBE-FIREWALL");
  });

  it("NodePort capture with nfacct: a 127.0.0.0/8 rule counting localhost NodePorts comes first", () => {
    const r = sync(onNodeA([web()], { host: { nfacct: true } }));
    expect(chain(r.restoreInput, "KUBE-NODEPORTS")).toEqual([
      `-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp -d 127.0.0.0/8 --dport 30080 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j ${WEB.external}`,
      `-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j ${WEB.external}`,
    ]);
  });
});

describe("load balancers", () => {
  it("source ranges that cover the node also admit the LB IP itself as a source", () => {
    const svc = web({ type: "LoadBalancer", loadBalancerIPs: ["203.0.113.7"], loadBalancerSourceRanges: ["192.168.56.000/024", "198.51.100.0/24"] });
    expect(chain(sync(onNodeA([svc])).restoreInput, WEB.firewall)).toEqual([
      `-A ${WEB.firewall} -m comment --comment "default/web:http loadbalancer IP" -s 192.168.56.0/24 -j ${WEB.external}`,
      `-A ${WEB.firewall} -m comment --comment "default/web:http loadbalancer IP" -s 198.51.100.0/24 -j ${WEB.external}`,
      `-A ${WEB.firewall} -m comment --comment "default/web:http loadbalancer IP" -s 203.0.113.7 -j ${WEB.external}`,
      `-A ${WEB.firewall} -m comment --comment "other traffic to default/web:http will be dropped by KUBE-PROXY-FIREWALL"`,
    ]);
  });

  it("health-check NodePort: ACCEPTed in filter KUBE-NODEPORTS", () => {
    const r = sync(onNodeA([web({ type: "LoadBalancer", externalTrafficPolicy: "Local", healthCheckNodePort: 32000 })]));
    expect(chain(r.sections.filterRules, "KUBE-NODEPORTS")).toEqual(['-A KUBE-NODEPORTS -m comment --comment "default/web:http health check node port" -m tcp -p tcp --dport 32000 -j ACCEPT']);
  });
});

describe("endpoints", () => {
  it("sorted by the ip:port string (10.1.1.11:11 before 10.1.1.1:11), with 1/(n-i) probabilities", () => {
    const eps = ["10.1.1.1", "10.1.1.11", "10.1.1.2", "10.1.1.100"].map((ip) => ({ ip, port: 11 }));
    const r = sync(onNodeA([web({ type: "ClusterIP", ports: [{ name: "http", port: 80 }] }, eps)]));
    expect(chain(r.restoreInput, WEB.cluster).slice(1).map((l) => l.replace(/ -j KUBE-SEP-\w+$/, "").replace(/^.*-> /, ""))).toEqual([
      '10.1.1.100:11" -m statistic --mode random --probability 0.2500000000',
      '10.1.1.11:11" -m statistic --mode random --probability 0.3333333333',
      '10.1.1.1:11" -m statistic --mode random --probability 0.5000000000',
      '10.1.1.2:11"',
    ]);
  });

  it("not-ready endpoints are left out; with none ready, serving+terminating ones are used", () => {
    const some = sync(onNodeA([web({}, [{ ip: "10.244.1.5", ready: false }, { ip: "10.244.2.7" }])]));
    expect(chain(some.restoreInput, WEB.cluster).slice(1)).toEqual([expect.stringContaining("10.244.2.7:8080")]);
    const terminating = sync(onNodeA([web({}, [{ ip: "10.244.1.5", ready: false, serving: true, terminating: true }, { ip: "10.244.2.7", ready: false, serving: false, terminating: true }])]));
    expect(chain(terminating.restoreInput, WEB.cluster).slice(1)).toEqual([expect.stringContaining("10.244.1.5:8080")]);
  });

  it("ClientIP affinity: a recent --rcheck rule per endpoint before the random ones; the DNAT --sets the list", () => {
    const r = sync(onNodeA([web({ sessionAffinity: "ClientIP", sessionAffinityTimeoutSeconds: 600 })]));
    const svc = chain(r.restoreInput, WEB.cluster);
    expect(svc[1]).toMatch(/-> 10\.244\.1\.5:8080" -m recent --name (KUBE-SEP-\w+) --rcheck --seconds 600 --reap -j \1$/);
    expect(svc[3]).toContain("--probability 0.5000000000");
    const sep = /-j (KUBE-SEP-\w+)$/.exec(svc[1]!)![1]!;
    expect(chain(r.restoreInput, sep)[1]).toBe(`-A ${sep} -m comment --comment default/web:http -m recent --name ${sep} --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080`);
    // The API default timeout.
    expect(sync(onNodeA([web({ sessionAffinity: "ClientIP" })])).restoreInput).toContain("--seconds 10800 --reap");
  });

  it("more than 1,000 endpoints: no comments on KUBE-SEP rules and KUBE-SVC → KUBE-SEP rules", () => {
    const eps = Array.from({ length: 1001 }, (_, i) => ({ ip: `10.244.${i >> 8}.${i & 255}` }));
    const r = sync(onNodeA([web({}, eps)]));
    expect(r.largeClusterMode).toBe(true);
    const svc = chain(r.restoreInput, WEB.cluster);
    expect(svc[0]).toContain('--comment "default/web:http cluster IP"');
    expect(svc[1]).toMatch(/^-A KUBE-SVC-\w+ -m statistic --mode random --probability 0.0009990010 -j KUBE-SEP-\w+$/);
    const sep = chainNames(r.sections.natChains).find((c) => c.startsWith("KUBE-SEP-"))!;
    expect(chain(r.restoreInput, sep)[0]).toMatch(/^-A KUBE-SEP-\w+ -s 10\.244\.\d+\.\d+ -j KUBE-MARK-MASQ$/);
  });
});

describe("service shapes", () => {
  it("several named ports: one chain set per port; endpoints say which port they serve", () => {
    const svc: Service = {
      namespace: "kube-system", name: "kube-dns", clusterIP: "10.96.0.10",
      ports: [{ name: "dns", port: 53, protocol: "UDP" }, { name: "dns-tcp", port: 53, protocol: "TCP" }],
      endpoints: [{ ip: "10.244.0.2", portName: "dns" }, { ip: "10.244.0.2", portName: "dns-tcp" }],
    };
    const r = sync(onNodeA([svc]));
    expect(chain(r.restoreInput, "KUBE-SERVICES").slice(0, 2)).toEqual([
      '-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
      '-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4',
    ]);
  });

  it("an unnamed single port: the service name alone in comments and hash", () => {
    const r = sync(onNodeA([{ namespace: "ns1", name: "svc1", clusterIP: "172.30.0.41", ports: [{ port: 80 }], endpoints: [{ ip: "10.180.0.1" }] }]));
    expect(chain(r.restoreInput, "KUBE-SERVICES")[0]).toBe('-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-AQI2S6QIMU7PVVRP');
  });

  it("headless and ExternalName Services get no rules", () => {
    const r = sync(onNodeA([
      { namespace: "a", name: "headless", clusterIP: "None", ports: [{ port: 80 }], endpoints: [{ ip: "10.244.1.5" }] },
      { namespace: "a", name: "ext", type: "ExternalName", clusterIP: "", ports: [] },
    ]));
    expect(r.restoreInput).not.toMatch(/a\/(headless|ext)/);
  });
});
