import { describe, expect, it } from "vitest";
import { formatIpv4 } from "../../../src/core/ip.js";
import { annotationKeys } from "../../../src/k8s/flannel/annotations.js";
import { parseFlannelArgs } from "../../../src/k8s/flannel/flags.js";
import type { HostState } from "../../../src/k8s/flannel/host.js";
import { selectExternalInterface } from "../../../src/k8s/flannel/iface.js";
import type { IfaceSelection } from "../../../src/k8s/flannel/iface.js";
import { renderLog } from "../../../src/k8s/flannel/klog.js";
import { bootHost, CLOCK, scenario } from "./nodes.js";

const NODE1 = bootHost(scenario("nat"), "node1");
const keys = (() => {
  const k = annotationKeys("flannel.alpha.coreos.com", { file: "t", line: 1, column: 1 });
  if (!k.ok) throw new Error("keys");
  return k.value;
})();

function select(args: string[], opts: { host?: HostState; annotations?: Record<string, string> } = {}): IfaceSelection {
  const parsed = parseFlannelArgs(["--ip-masq", "--kube-subnet-mgr", ...args]);
  if (!parsed.ok) throw new Error(parsed.issues[0]!.message);
  return selectExternalInterface({ nodeName: "node1", host: opts.host ?? NODE1, opts: parsed.value.opts, annotations: opts.annotations ?? {}, keys });
}

/** The log as kubectl logs shows it, timestamps 1 ms apart from 09:00:00 on 21 Nov. */
const log = (s: IfaceSelection): string[] => renderLog(s.log, CLOCK);
const picked = (s: IfaceSelection) => (s.kind === "selected" ? { iface: s.ext.iface, ifaceAddr: formatIpv4(s.ext.ifaceAddr), extAddr: formatIpv4(s.ext.extAddr), mtu: s.ext.mtu } : s);

describe("flanneld's external interface (v0.26.0 main.go + pkg/ipmatch)", () => {
  it("takes the default route's interface: the VirtualBox NAT NIC enp0s3, 10.0.2.15", () => {
    const s = select([]);
    expect(picked(s)).toEqual({ iface: "enp0s3", ifaceAddr: "10.0.2.15", extAddr: "10.0.2.15", mtu: 1500 });
    expect(log(s)).toEqual([
      "I1121 09:00:00.000000       1 match.go:211] Determining IP address of default interface",
      "I1121 09:00:00.001000       1 match.go:264] Using interface with name enp0s3 and address 10.0.2.15",
      "I1121 09:00:00.002000       1 match.go:286] Defaulting external address to interface address (10.0.2.15)",
    ]);
  });

  it("--iface=enp0s8 takes the host-only NIC, 192.168.56.101, in every spelling Go's flag package accepts", () => {
    for (const args of [["--iface=enp0s8"], ["--iface", "enp0s8"], ["-iface=enp0s8"], ["-iface", "enp0s8"]]) {
      const s = select(args);
      expect(picked(s)).toEqual({ iface: "enp0s8", ifaceAddr: "192.168.56.101", extAddr: "192.168.56.101", mtu: 1500 });
      expect(log(s)).toEqual([
        "I1121 09:00:00.000000       1 match.go:264] Using interface with name enp0s8 and address 192.168.56.101",
        "I1121 09:00:00.001000       1 match.go:286] Defaulting external address to interface address (192.168.56.101)",
      ]);
    }
  });

  it("tries repeated --iface values in order and logs each miss", () => {
    const s = select(["--iface=eth1", "--iface=enp0s8", "--iface=enp0s3"]);
    expect(picked(s)).toMatchObject({ iface: "enp0s8" });
    expect(log(s)).toEqual([
      "I1121 09:00:00.000000       1 main.go:309] Could not find valid interface matching eth1: error looking up interface eth1: route ip+net: no such network interface",
      "I1121 09:00:00.001000       1 match.go:264] Using interface with name enp0s8 and address 192.168.56.101",
      "I1121 09:00:00.002000       1 match.go:286] Defaulting external address to interface address (192.168.56.101)",
    ]);
  });

  it("an IP given to --iface picks the interface that holds it", () => {
    const s = select(["--iface=192.168.56.101"]);
    expect(picked(s)).toMatchObject({ iface: "enp0s8", ifaceAddr: "192.168.56.101" });
    expect(log(s)).toEqual([
      "I1121 09:00:00.000000       1 match.go:74] Searching for interface using 192.168.56.101",
      "I1121 09:00:00.001000       1 match.go:264] Using interface with name enp0s8 and address 192.168.56.101",
      "I1121 09:00:00.002000       1 match.go:286] Defaulting external address to interface address (192.168.56.101)",
    ]);
  });

  it("--iface-regex tries every interface's addresses before any name: `3|168` skips enp0s3 (a name match) for 192.168.56.101", () => {
    const s = select(["--iface-regex=3|168"]);
    expect(picked(s)).toMatchObject({ iface: "enp0s8", ifaceAddr: "192.168.56.101" });
  });

  it("--iface-regex falls back to names, unanchored, in ifindex order: `enp0s` is enp0s3, the NAT NIC", () => {
    const s = select(["--iface-regex=enp0s"]);
    expect(picked(s)).toMatchObject({ iface: "enp0s3", ifaceAddr: "10.0.2.15" });
    expect(log(s)[0]).toBe("I1121 09:00:00.000000       1 match.go:264] Using interface with name enp0s3 and address 10.0.2.15");
  });

  it("--iface-regex is tried only after every --iface missed", () => {
    const s = select(["--iface-regex=192\\.168\\.56\\.[0-9]+", "--iface=eth1"]);
    expect(picked(s)).toMatchObject({ iface: "enp0s8" });
    expect(log(s)[0]).toContain("main.go:309] Could not find valid interface matching eth1:");
  });

  it("nothing matching is fatal: each miss, then the E line, exit 1", () => {
    const s = select(["--iface=eth1", "--iface-regex=eth[0-9]", "--iface=192.168.56.200"]);
    expect(s.kind).toBe("exited");
    expect(log(s)).toEqual([
      "I1121 09:00:00.000000       1 main.go:309] Could not find valid interface matching eth1: error looking up interface eth1: route ip+net: no such network interface",
      "I1121 09:00:00.001000       1 match.go:74] Searching for interface using 192.168.56.200",
      "I1121 09:00:00.002000       1 main.go:309] Could not find valid interface matching 192.168.56.200: error looking up interface 192.168.56.200: No interface with given IP found",
      "I1121 09:00:00.003000       1 main.go:322] Could not find valid interface matching eth[0-9]: Could not match pattern eth[0-9] to any of the available network interfaces (lo:[], enp0s3:[10.0.2.15], enp0s8:[192.168.56.101])",
      "E1121 09:00:00.004000       1 main.go:340] Failed to find interface to use that matches the interfaces and/or regexes provided",
    ]);
  });

  it("no default route is fatal", () => {
    const s = select([], { host: { ...NODE1, routes: [] } });
    expect(s).toMatchObject({ kind: "exited", exitCode: 1 });
    expect(log(s)).toEqual([
      "I1121 09:00:00.000000       1 match.go:211] Determining IP address of default interface",
      "E1121 09:00:00.001000       1 main.go:301] Failed to find any valid interface to use: failed to get default interface: Unable to find default route",
    ]);
  });

  it("--iface=lo fails: loopback addresses are never eligible", () => {
    const s = select(["--iface=lo"]);
    expect(log(s)[0]).toBe("I1121 09:00:00.000000       1 main.go:309] Could not find valid interface matching lo: failed to find IPv4 address for interface lo");
  });

  it("--iface-can-reach takes the interface and source of `ip route get`", () => {
    const s = select(["--iface-can-reach=192.168.56.1"]);
    expect(picked(s)).toMatchObject({ iface: "enp0s8", ifaceAddr: "192.168.56.101" });
    expect(log(s)[0]).toBe("I1121 09:00:00.000000       1 match.go:206] Determining interface to use based on given ifcanreach: 192.168.56.1");
    // Anything off-link goes by the default route.
    expect(picked(select(["--iface-can-reach=8.8.8.8"]))).toMatchObject({ iface: "enp0s3", ifaceAddr: "10.0.2.15" });
  });

  it("--public-ip keeps the interface address for the VTEP and advertises the public one", () => {
    const s = select(["--iface=enp0s3", "--public-ip=203.0.113.7"]);
    expect(picked(s)).toEqual({ iface: "enp0s3", ifaceAddr: "10.0.2.15", extAddr: "203.0.113.7", mtu: 1500 });
    expect(log(s)[1]).toBe("I1121 09:00:00.001000       1 match.go:282] Using 203.0.113.7 as external address");
  });

  it("--public-ip alone must be an address of the node: flanneld looks for the interface holding it", () => {
    const s = select(["--public-ip=203.0.113.7"]);
    expect(log(s)).toEqual([
      "I1121 09:00:00.000000       1 match.go:74] Searching for interface using 203.0.113.7",
      "E1121 09:00:00.001000       1 main.go:301] Failed to find any valid interface to use: error looking up interface 203.0.113.7: No interface with given IP found",
    ]);
  });

  it("the node-public-ip annotation replaces --public-ip and picks its interface", () => {
    const annotations = { "flannel.alpha.coreos.com/node-public-ip": "192.168.56.101" };
    const s = select([], { annotations });
    expect(picked(s)).toEqual({ iface: "enp0s8", ifaceAddr: "192.168.56.101", extAddr: "192.168.56.101", mtu: 1500 });
    expect(log(s)).toEqual([
      'I1121 09:00:00.000000       1 kube.go:669] List of node(node1) annotations: map[string]string{"flannel.alpha.coreos.com/node-public-ip":"192.168.56.101"}',
      "I1121 09:00:00.001000       1 match.go:74] Searching for interface using 192.168.56.101",
      "I1121 09:00:00.002000       1 match.go:264] Using interface with name enp0s8 and address 192.168.56.101",
      "I1121 09:00:00.003000       1 match.go:282] Using 192.168.56.101 as external address",
    ]);
  });

  it("the public-ip-overwrite annotation does not change the selection (it only rewrites what is advertised)", () => {
    const s = select([], { annotations: { "flannel.alpha.coreos.com/public-ip-overwrite": "192.168.56.101" } });
    expect(picked(s)).toEqual({ iface: "enp0s3", ifaceAddr: "10.0.2.15", extAddr: "10.0.2.15", mtu: 1500 });
  });

  it("down interfaces are candidates too (flanneld does not look at the link state)", () => {
    const host = { ...NODE1, devices: NODE1.devices.map((d) => (d.name === "enp0s8" ? { ...d, up: false } : d)) };
    expect(picked(select(["--iface=enp0s8"], { host }))).toMatchObject({ iface: "enp0s8" });
  });
});

describe("--iface-regex is Go RE2", () => {
  it("refuses what RE2 refuses, logs it as a miss, and goes on to the next pattern", () => {
    const s = select(["--iface-regex=(?=enp)", "--iface-regex=[0-9", "--iface-regex=(?i)ENP0S8"]);
    expect(picked(s)).toMatchObject({ iface: "enp0s8" });
    expect(log(s).slice(0, 2)).toEqual([
      "I1121 09:00:00.000000       1 main.go:322] Could not find valid interface matching (?=enp): could not compile the IP address regex '(?=enp)': error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
      "I1121 09:00:00.001000       1 main.go:322] Could not find valid interface matching [0-9: could not compile the IP address regex '[0-9': error parsing regexp: missing closing ]: `[0-9`",
    ]);
  });
});
