import { describe, expect, it } from "vitest";
import type { Ipv4 } from "../../../src/core/ip.js";
import { formatIpv4 } from "../../../src/core/ip.js";
import { addPod, buildCniNode, deletePod } from "../../../src/k8s/cni/build.js";
import { allocate, canonicalRange, EMPTY_STATE, release } from "../../../src/k8s/cni/host-local.js";
import type { HostLocalRange } from "../../../src/k8s/cni/host-local.js";
import type { HostLocalState } from "../../../src/k8s/cni/model.js";
import { cidr, ip, node1, pod, value } from "./helpers.js";

const RANGE = (canonicalRange(cidr("10.244.1.0/24")) as { ok: true; range: HostLocalRange }).range;

function take(state: HostLocalState, owner: string, requested?: Ipv4): { ip: string; state: HostLocalState } {
  const a = allocate(state, RANGE, owner, requested);
  if (!a.ok) throw new Error(a.error);
  return { ip: formatIpv4(a.ip), state: a.state };
}

describe("host-local", () => {
  it("canonicalizes a /24 as host-local does: gateway .1, range .1-.254 (the gateway skipped by the iterator)", () => {
    expect(RANGE).toEqual({ subnet: cidr("10.244.1.0/24"), gateway: ip("10.244.1.1"), start: ip("10.244.1.1"), end: ip("10.244.1.254") });
    expect(canonicalRange(cidr("10.244.1.0/31"))).toEqual({ ok: false, error: "invalid range set 0: Network 10.244.1.0/31 too small to allocate from" });
  });

  it("after a delete, the next pod gets the address after the last reserved one, not the freed one", () => {
    let n = value(buildCniNode(node1([pod("a", 1), pod("b", 2)])));
    n = value(deletePod(n, { namespace: "default", name: "a" }));
    expect(n.pods.map((p) => p.pod.name)).toEqual(["b"]);
    expect(n.ipam.lastReserved).toBe(ip("10.244.1.3"));
    n = value(addPod(n, pod("c", 3)));
    expect(n.pods.map((p) => [p.pod.name, formatIpv4(p.ip)])).toEqual([["b", "10.244.1.3"], ["c", "10.244.1.4"]]);
    expect([...n.ipam.reserved].map(([a, who]) => [formatIpv4(a), who])).toEqual([["10.244.1.3", "default/b"], ["10.244.1.4", "default/c"]]);
  });

  it("DEL drops the host end and its hairpin flag but keeps cni0 and its address; a third ADD draws a fresh veth name", () => {
    let n = value(buildCniNode(node1([pod("a", 1), pod("b", 2)])));
    const [va, vb] = n.pods.map((p) => p.hostVeth);
    n = value(deletePod(n, { namespace: "default", name: "a" }));
    expect(n.state.devices.map((d) => d.name)).toEqual(["cni0", vb]);
    expect(n.state.devices[0]).toMatchObject({ hairpin: [vb] });
    expect(n.state.addresses.map((a) => a.dev)).toEqual(["cni0"]);
    n = value(addPod(n, pod("a", 3)));
    expect(n.pods[1]!.hostVeth).toMatch(/^veth[0-9a-f]{8}$/);
    expect(n.pods[1]!.hostVeth).not.toBe(va);
    // Deleting a pod that is not there is a successful no-op, as CNI DEL must be.
    expect(value(deletePod(n, { namespace: "default", name: "gone" }))).toBe(n);
  });

  it("wraps after .254 to .2 and skips what is still reserved", () => {
    let s: HostLocalState = { reserved: new Map([[ip("10.244.1.2"), "x"]]), lastReserved: ip("10.244.1.253") };
    const a = take(s, "p");
    expect(a.ip).toBe("10.244.1.254");
    s = a.state;
    expect(take(s, "q").ip).toBe("10.244.1.3");
    expect(take(release(s, "x"), "q").ip).toBe("10.244.1.2");
  });

  it("honours a requested address and moves last_reserved_ip to it", () => {
    const a = take(EMPTY_STATE, "p", ip("10.244.1.100"));
    expect(a.ip).toBe("10.244.1.100");
    expect(take(a.state, "q").ip).toBe("10.244.1.101");
  });

  it("refuses the gateway, a taken address, a second address for one owner, and says so in host-local's words", () => {
    const a = take(EMPTY_STATE, "p");
    const err = (s: HostLocalState, owner: string, req?: Ipv4) => {
      const r = allocate(s, RANGE, owner, req);
      return r.ok ? "ok" : [r.code, r.error];
    };
    expect(err(EMPTY_STATE, "p", ip("10.244.1.1"))).toEqual(["ipam-requested-ip", "failed to allocate for range 0: requested ip 10.244.1.1 is subnet's gateway"]);
    expect(err(a.state, "q", ip("10.244.1.2"))).toEqual(["ipam-requested-ip", "failed to allocate for range 0: requested IP address 10.244.1.2 is not available in range set 10.244.1.1-10.244.1.254"]);
    expect(err(a.state, "p")).toEqual(["ipam-duplicate", "failed to allocate for range 0: 10.244.1.2 has been allocated to p, duplicate allocation is not allowed"]);
  });

  it("a requested address outside the range fails after a normal allocation was made and rolled back: last_reserved_ip moved", () => {
    const r = allocate(EMPTY_STATE, RANGE, "p", ip("10.0.0.5"));
    expect(r).toMatchObject({ ok: false, code: "ipam-requested-ip", error: "failed to allocate all requested IPs: 10.0.0.5" });
    expect(r.state.reserved.size).toBe(0);
    expect(r.state.lastReserved).toBe(ip("10.244.1.2"));
    // The broadcast address and the network address are outside the range too.
    expect(allocate(EMPTY_STATE, RANGE, "p", ip("10.244.1.255")).ok).toBe(false);
    expect(allocate(EMPTY_STATE, RANGE, "p", ip("10.244.1.0")).ok).toBe(false);
  });

  it("is exhausted after 253 addresses (.2-.254)", () => {
    let s = EMPTY_STATE;
    for (let i = 0; i < 253; i++) s = take(s, `p${i}`).state;
    expect(s.reserved.size).toBe(253);
    const r = allocate(s, RANGE, "last");
    expect(r).toMatchObject({ ok: false, code: "ipam-exhausted", error: "failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254" });
  });
});
