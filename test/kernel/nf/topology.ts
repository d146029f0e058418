/**
 * The one network every netfilter case runs in, as a scenario (so kernel and simulator get the
 * very same `WorldSpec` from the project's loader), and the way a case's ruleset is put on it.
 *
 *     client 10.0.1.2 (+10.0.1.3)          server 10.0.2.2 (+10.0.2.3)
 *        eth0 ── eth1 [ router ] eth2 ── eth0
 *                10.0.1.1   10.0.2.1
 *                   br0 10.0.3.1 (ports vp1, vp2)
 *                    ├── pod1 10.0.3.2
 *                    └── pod2 10.0.3.3
 *
 * The router forwards (ip_forward=1), routes the service range 10.96.0.0/12 towards the server
 * (so its own connections to a ClusterIP have a route before nat OUTPUT rewrites them), and has
 * local listeners for INPUT-path cases; every
 * listener answers `<host>: {peer} -> {local}`, so the echo shows what NAT did. ICMP error rate
 * limits are off (icmp_ratelimit=0) on every host: cases follow each other within milliseconds
 * on one long-lived kernel world, and a REJECT must not be silenced by the previous case's
 * tokens. bridge-nf-call-iptables=1 on the router sends bridged pod↔pod frames through the IPv4
 * hooks (br_netfilter), which the physdev cases need.
 *
 * Every ruleset is loaded into the router; the other hosts have none.
 */
import { existsSync } from "node:fs";
import type { Result } from "../../../src/core/issue.js";
import type { Ruleset } from "../../../src/netfilter/rule.js";
import type { WorldSpec } from "../../../src/netns/spec.js";
import { loadScenario } from "../../../src/scenario/load.js";
import type { NfCase } from "./case.js";

/** The namespace that holds every case's ruleset. */
export const RULES_NS = "router";

export const TOPOLOGY_FILE = "test/kernel/nf/topology.ts";

const body = (host: string): string => JSON.stringify(`${host}: {peer} -> {local}\n`);

export const TOPOLOGY_YAML = `
name: netfilter differential topology
seed: 1
namespaces:
  client:
    devices: { eth0: { type: veth, peer: router/eth1, mac: "02:00:00:00:01:02" } }
    addresses: { eth0: [{ addr: 10.0.1.2/24, brd: + }, { addr: 10.0.1.3/24, brd: + }] }
    routes: [{ dst: default, via: 10.0.1.1 }]
    sysctls: { net.ipv4.icmp_ratelimit: 0 }
  router:
    devices:
      eth1: { type: veth, peer: client/eth0, mac: "02:00:00:00:01:01" }
      eth2: { type: veth, peer: server/eth0, mac: "02:00:00:00:02:01" }
      br0: { type: bridge, mac: "02:00:00:00:03:01" }
      vp1: { type: veth, peer: pod1/eth0, master: br0, mac: "02:00:00:00:03:f1" }
      vp2: { type: veth, peer: pod2/eth0, master: br0, mac: "02:00:00:00:03:f2" }
    addresses:
      eth1: [{ addr: 10.0.1.1/24, brd: + }]
      eth2: [{ addr: 10.0.2.1/24, brd: + }]
      br0: [{ addr: 10.0.3.1/24, brd: + }]
    routes: [{ dst: 10.96.0.0/12, via: 10.0.2.2 }]
    sysctls:
      net.ipv4.ip_forward: 1
      net.ipv4.icmp_ratelimit: 0
      net.bridge.bridge-nf-call-iptables: 1 # BR_NETFILTER
    listeners:
      - { kind: tcp, port: 9000, body: ${body("router")} }
      - { kind: tcp, port: 2222, body: ${body("router")} }
      - { kind: http, port: 80, body: ${body("router")} }
      - { kind: http, port: 8080, body: ${body("router")} }
      - { kind: udp, port: 5000, addr: 10.0.1.1, body: ${body("router")} }
  server:
    devices: { eth0: { type: veth, peer: router/eth2, mac: "02:00:00:00:02:02" } }
    addresses: { eth0: [{ addr: 10.0.2.2/24, brd: + }, { addr: 10.0.2.3/24, brd: + }] }
    routes: [{ dst: default, via: 10.0.2.1 }]
    sysctls: { net.ipv4.icmp_ratelimit: 0 }
    listeners:
      - { kind: tcp, port: 9000, body: ${body("server")} }
      - { kind: tcp, port: 9001, body: ${body("server")} }
      - { kind: tcp, port: 9002, body: ${body("server")} }
      - { kind: http, port: 80, body: ${body("server")} }
      - { kind: http, port: 8080, body: ${body("server")} }
      - { kind: udp, port: 5000, addr: 10.0.2.2, body: ${body("server")} }
      - { kind: udp, port: 5000, addr: 10.0.2.3, body: ${body("server")} }
      - { kind: udp, port: 5001, addr: 10.0.2.2, body: ${body("server")} }
  pod1:
    devices: { eth0: { type: veth, peer: router/vp1, mac: "02:00:00:00:03:02" } }
    addresses: { eth0: [{ addr: 10.0.3.2/24, brd: + }] }
    routes: [{ dst: default, via: 10.0.3.1 }]
    sysctls: { net.ipv4.icmp_ratelimit: 0 }
  pod2:
    devices: { eth0: { type: veth, peer: router/vp2, mac: "02:00:00:00:03:03" } }
    addresses: { eth0: [{ addr: 10.0.3.3/24, brd: + }] }
    routes: [{ dst: default, via: 10.0.3.1 }]
    sysctls: { net.ipv4.icmp_ratelimit: 0 }
    listeners:
      - { kind: tcp, port: 9000, body: ${body("pod2")} }
      - { kind: http, port: 80, body: ${body("pod2")} }
`;

/**
 * Whether the kernel has br_netfilter (its sysctls exist only then). Reading /proc/sys changes
 * nothing. Without it the key cannot be set, so the topology leaves it out and the cases that
 * need it are skipped (`needsBrNetfilter`).
 */
export function brNetfilterLoaded(): boolean {
  return existsSync("/proc/sys/net/bridge/bridge-nf-call-iptables");
}

export const BR_NETFILTER_MISSING = "br_netfilter is not loaded (no /proc/sys/net/bridge): `modprobe br_netfilter` to include the pod and physdev cases";

/** Cases whose packets cross the router's bridge, or that test physdev: they need br_netfilter. */
export function needsBrNetfilter(c: NfCase): boolean {
  return /physdev|10\.0\.3\./.test(c.tables) || c.steps.some((s) => s.netns === "pod1" || s.netns === "pod2" || s.command.includes("10.0.3."));
}

/** The topology without any ruleset; throws only on a podpath bug (the text is fixed). */
export function topology(brNetfilter = true): WorldSpec {
  const text = brNetfilter ? TOPOLOGY_YAML : TOPOLOGY_YAML.replace(/^.*# BR_NETFILTER\n/m, "");
  const r = loadScenario(text, TOPOLOGY_FILE);
  if (!r.ok) throw new Error(`the netfilter topology does not load:\n${r.issues.map((i) => `${i.at.line}:${i.at.column}: ${i.message}`).join("\n")}`);
  return r.value;
}

/** The topology with `ruleset` (parsed from `text`) on the router, as a scenario with an iptables block would give it. */
export function withRuleset(world: WorldSpec, ruleset: Ruleset, text: string, file: string): WorldSpec {
  return {
    ...world,
    namespaces: world.namespaces.map((n) => (n.name === RULES_NS ? { ...n, iptables: { ruleset, text, file } } : n)),
  };
}

/** `parseIptablesSave(text, file)`, as the parser module exports it (imported late: it may not exist yet). */
export type RulesetParser = (text: string, file: string) => Result<Ruleset>;
