/** Bad VirtualBox input comes back as typed Issues, all at once, and the builder never throws. */
import { describe, expect, it } from "vitest";
import { buildVboxNetworks } from "../../src/vbox/build.js";
import type { AdapterSpec, VboxModel } from "../../src/vbox/model.js";
import { vboxMac } from "../../src/vbox/mac.js";
import { formatIpv4 } from "../../src/core/ip.js";

const codes = (m: VboxModel): string[] => {
  const r = buildVboxNetworks(m);
  return r.ok ? [] : r.issues.map((i) => `${i.code}: ${i.message}`);
};
const built = (m: VboxModel) => {
  const r = buildVboxNetworks(m);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const vm = (name: string, ...adapters: AdapterSpec[]) => ({ name, adapters });

describe("bad input", () => {
  it("an unknown mode, an adapter number outside 1–4 and a repeated adapter, reported together", () => {
    const bogus = { adapter: 2, mode: "wifi" } as unknown as AdapterSpec;
    expect(codes({ seed: "x", file: "lab.yaml", vms: [vm("v1", { adapter: 1, mode: "nat" }, bogus, { adapter: 5, mode: "nat" }, { adapter: 0, mode: "nat" }, { adapter: 1, mode: "hostonly" })] })).toEqual([
      'unknown-mode: VM v1 adapter 2: mode "wifi" is not one of nat, natnetwork, hostonly, bridged, internal',
      "adapter-out-of-range: VM v1 adapter 5: adapters are numbered 1–4",
      "adapter-out-of-range: VM v1 adapter 0: adapters are numbered 1–4",
      "duplicate-adapter: VM v1 adapter 1: configured twice",
    ]);
  });

  it("a gateway goes with a static address inside its subnet; it becomes netplan's static default route", () => {
    expect(
      codes({
        seed: "x",
        file: "lab.yaml",
        vms: [vm("v1", { adapter: 1, mode: "nat", gateway: "10.0.2.2" }, { adapter: 2, mode: "hostonly", address: "192.168.56.10/24", gateway: "10.0.2.2" }, { adapter: 3, mode: "internal", network: "i", address: "172.16.0.1/24", gateway: "nope" })],
      }),
    ).toEqual([
      "bad-address: VM v1 adapter 1: gateway 10.0.2.2 goes with a static address (a DHCP lease brings its own router)",
      "bad-address: VM v1 adapter 2: gateway 10.0.2.2 is not inside 192.168.56.10/24 (netplan would need on-link: true)",
      "bad-address: VM v1 adapter 3: gateway nope is not an IPv4 address",
    ]);
    const w = built({ seed: "x", file: "lab.yaml", vms: [vm("v1", { adapter: 1, mode: "bridged", lan: "lan", address: "192.168.1.56/24", gateway: "192.168.1.1" })] });
    const guest = w.namespaces.find((n) => n.name === "v1")!;
    expect(guest.routes.map((r) => [formatIpv4(r.dst!), r.len, formatIpv4(r.via!), r.dev, r.proto])).toEqual([["0.0.0.0", 0, "192.168.1.1", "enp0s3", "static"]]);
  });

  it("issues point at the model's file when items carry no position", () => {
    const r = buildVboxNetworks({ seed: "x", file: "lab.yaml", vms: [vm("v1", { adapter: 9, mode: "nat" })] });
    expect(r.ok ? undefined : r.issues[0]!.at).toEqual({ file: "lab.yaml", line: 1, column: 1 });
  });

  it("duplicate static addresses on one network; the same address on two private NAT networks is fine", () => {
    expect(
      codes({
        seed: "x",
        vms: [
          vm("v1", { adapter: 1, mode: "nat", address: "10.0.2.20/24" }, { adapter: 2, mode: "internal", network: "i", address: "172.16.0.1/24" }),
          vm("v2", { adapter: 1, mode: "nat", address: "10.0.2.20/24" }, { adapter: 2, mode: "internal", network: "i", address: "172.16.0.1/24" }),
        ],
      }),
    ).toEqual(["duplicate-address: VM v2 adapter 2: 172.16.0.1 on intnet-i is already VM v1 adapter 2's"]);
  });

  it("a static address on a VirtualBox service address, and a static address a lease would have taken", () => {
    expect(codes({ seed: "x", vms: [vm("v1", { adapter: 1, mode: "hostonly", address: "192.168.56.1/24" })] })).toEqual([
      "duplicate-address: VM v1 adapter 1: 192.168.56.1 on hostonly-vboxnet0 is already VirtualBox's own",
    ]);
    const r = built({ seed: "x", vms: [vm("v1", { adapter: 1, mode: "hostonly" }), vm("v2", { adapter: 1, mode: "hostonly", address: "192.168.56.101/24" })] });
    expect(r.addresses.map((a) => formatIpv4(a.addr))).toEqual(["192.168.56.102", "192.168.56.101"]);
  });

  it("DHCP on an internal network (no server), bad text, missing names, clashing names", () => {
    expect(
      codes({
        seed: "x",
        vms: [
          vm("host", { adapter: 1, mode: "internal", network: "i" }),
          vm("v", { adapter: 1, mode: "nat", address: "10.0.2.300/24", mac: "09:00:27:00:00:01" }, { adapter: 2, mode: "bridged" } as unknown as AdapterSpec),
          vm("v", { adapter: 1, mode: "hostonly", portForwards: [{ name: "ssh", proto: "tcp", hostPort: 2222, guestPort: 22 }] }),
        ],
      }),
    ).toEqual([
      "name-clash: VM host: the name is taken by the host namespace the builder creates",
      "bad-address: VM v adapter 1: address 10.0.2.300/24 is not a.b.c.d/len",
      "bad-mac: VM v adapter 1: MAC 09:00:27:00:00:01 is not a unicast address (12 hex digits or colon form)",
      "missing-network: VM v adapter 2: mode bridged needs a lan name",
      "duplicate-vm: VM v is declared twice",
      "port-forward-not-nat: VM v adapter 1: port forwards (--natpf1) need mode nat, not hostonly",
    ]);
    expect(codes({ seed: "x", vms: [vm("v", { adapter: 1, mode: "internal", network: "i" })] })).toEqual([
      "no-dhcp-server: VM v adapter 1: intnet-i has no DHCP server; give the adapter a static address",
    ]);
  });

  it("a NAT-network name that is also a VM name clashes with its NAT service namespace", () => {
    expect(codes({ seed: "x", vms: [vm("natnet-a", { adapter: 1, mode: "natnetwork", network: "a" })] })).toEqual([
      "name-clash: VM natnet-a: the name is taken by a namespace the builder creates for VirtualBox",
    ]);
  });

  it("never throws on garbage", () => {
    const junk = { seed: "x", vms: [{ name: "v", adapters: [{ adapter: 1.5, mode: "nat" }, { adapter: 2, mode: undefined }, { adapter: 3, mode: "internal" }] }] } as unknown as VboxModel;
    expect(() => buildVboxNetworks(junk)).not.toThrow();
    expect(buildVboxNetworks(junk).ok).toBe(false);
  });
});

describe("MACs", () => {
  it("are in VirtualBox's OUI, fixed by the seed, and independent per VM and adapter", () => {
    expect(vboxMac("lab", "vm1", 1)).toBe("08:00:27:14:f4:60");
    expect(vboxMac("lab", "vm1", 1)).toBe(vboxMac("lab", "vm1", 1));
    expect(vboxMac("other", "vm1", 1)).not.toBe(vboxMac("lab", "vm1", 1));
    const r = built({ seed: "lab", vms: [vm("vm1", { adapter: 1, mode: "nat" }, { adapter: 2, mode: "nat", mac: "080027AABBCC" })] });
    expect(r.addresses.map((a) => `${a.ifname} ${a.mac}`)).toEqual(["enp0s3 08:00:27:14:f4:60", "enp0s8 08:00:27:aa:bb:cc"]);
  });

  it("a second NAT adapter is its own private 10.0.3.0/24", () => {
    const r = built({ seed: "lab", vms: [vm("vm1", { adapter: 1, mode: "nat" }, { adapter: 2, mode: "nat" })] });
    expect(r.addresses.map((a) => `${a.ifname} ${a.segment} ${formatIpv4(a.addr)}`)).toEqual(["enp0s3 vm1-nat1 10.0.2.15", "enp0s8 vm1-nat2 10.0.3.15"]);
  });
});
