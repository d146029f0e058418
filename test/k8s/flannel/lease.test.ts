import { describe, expect, it } from "vitest";
import { formatPrefix } from "../../../src/core/ip.js";
import { acquireLease, allocatePodCidrs } from "../../../src/k8s/flannel/lease.js";
import type { NetConf } from "../../../src/k8s/flannel/net-conf.js";
import { parseNetConf } from "../../../src/k8s/flannel/net-conf.js";
import { cidr, NET_CONF } from "./nodes.js";

const conf = (text: string): NetConf => {
  const r = parseNetConf(text, "net-conf.json");
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
  return r.value;
};
const at = { file: "cluster", line: 1, column: 1 };
const given = (m: ReadonlyMap<string, { addr: number; len: number }>) => Object.fromEntries([...m].map(([k, v]) => [k, formatPrefix(v as never)]));

describe("net-conf.json", () => {
  it("reads the stock ConfigMap with flannel's defaults", () => {
    expect(conf(NET_CONF)).toEqual({ network: cidr("10.244.0.0/16"), backend: { type: "vxlan", vni: 1, port: 0, learning: false, directRouting: false } });
  });

  it("matches member names case-insensitively, as Go's decoder does, and clears host bits of Network", () => {
    expect(conf('{"network":"10.244.7.1/16","subnetlen":26,"backend":{"type":"VXLAN","vni":2,"directrouting":true}}')).toEqual({
      network: cidr("10.244.0.0/16"),
      subnetLen: 26,
      backend: { type: "vxlan", vni: 2, port: 0, learning: false, directRouting: true },
    });
  });

  it("reports every problem with its line and column", () => {
    const r = parseNetConf('{\n  "Network": "10.244.0.0",\n  "Backend": {"Type": "vxlan", "VNI": "1", "Port": 70000}\n}\n', "kube-flannel-cfg/net-conf.json");
    expect(r).toEqual({
      ok: false,
      issues: [
        { code: "bad-network", at: { file: "kube-flannel-cfg/net-conf.json", line: 2, column: 14 }, message: '"Network": invalid CIDR address: 10.244.0.0' },
        { code: "bad-net-conf", at: { file: "kube-flannel-cfg/net-conf.json", line: 3, column: 39 }, message: '"Backend.VNI" must be a whole number (Go: cannot unmarshal string into an int)' },
        { code: "bad-net-conf", at: { file: "kube-flannel-cfg/net-conf.json", line: 3, column: 52 }, message: '"Backend.Port" 70000 is out of range 0..65535' },
      ],
    });
  });

  it("says what flanneld would do with a config it cannot use", () => {
    expect(parseNetConf('{"Network": "10.244.0.0/16"}', "f")).toMatchObject({ ok: false, issues: [{ code: "missing-backend", at: { line: 1, column: 1 } }] });
    expect(parseNetConf('{"Network": "10.244.0.0/16", "Backend": {"Type": "host-gw"}}', "f")).toMatchObject({
      ok: false,
      issues: [{ code: "not-modelled", message: 'backend type "host-gw" is not modelled; only "vxlan" is', at: { column: 50 } }],
    });
    expect(parseNetConf('{"Network": "10.244.0.0/16",\n "Backend": {"Type": "vxlan"},}', "f")).toEqual({
      ok: false,
      issues: [{ code: "bad-json", at: { file: "f", line: 2, column: 31 }, message: 'net-conf.json is not valid JSON: expected a double-quoted member name, found "}"' }],
    });
  });
});

describe("subnet leases", () => {
  it("hands out podCIDRs as kube-controller-manager does: first free /24 blocks in node order, from the network's first", () => {
    const r = allocatePodCidrs(conf(NET_CONF), [{ name: "master" }, { name: "node1" }, { name: "node2" }], at);
    expect(r.ok && given(r.value)).toEqual({ master: "10.244.0.0/24", node1: "10.244.1.0/24", node2: "10.244.2.0/24" });
  });

  it("keeps a node's existing podCIDR and skips its block for the others", () => {
    const r = allocatePodCidrs(conf(NET_CONF), [{ name: "a" }, { name: "b", podCIDR: cidr("10.244.1.0/24") }, { name: "c" }], at);
    expect(r.ok && given(r.value)).toEqual({ a: "10.244.0.0/24", b: "10.244.1.0/24", c: "10.244.2.0/24" });
  });

  it("uses SubnetLen as the block size and reports exhaustion", () => {
    const small = conf('{"Network":"10.244.0.0/23","SubnetLen":24,"Backend":{"Type":"vxlan"}}');
    const r = allocatePodCidrs(small, [{ name: "a" }, { name: "b" }, { name: "c" }], at);
    expect(r).toMatchObject({ ok: false, issues: [{ code: "cidrs-exhausted", message: "node c: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range (10.244.0.0/23, /24 blocks)" }] });
  });

  it("checks the podCIDR the way kubeSubnetManager.AcquireLease does, with its messages", () => {
    const c = conf(NET_CONF);
    expect(acquireLease(c, "node1", cidr("10.244.1.0/24"))).toEqual({ ok: true, subnet: cidr("10.244.1.0/24") });
    expect(acquireLease(c, "node1", undefined)).toEqual({ ok: false, error: 'node "node1" pod cidr not assigned' });
    expect(acquireLease(c, "node1", cidr("10.245.1.0/24"))).toEqual({
      ok: false,
      error: 'subnet "10.244.0.0/16" specified in the flannel net config doesn\'t contain "10.245.1.0/24" PodCIDR of the "node1" node',
    });
    expect(acquireLease(c, "node1", cidr("10.0.0.0/8")).ok).toBe(false);
  });
});
