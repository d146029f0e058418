/** NAT network, bridged and internal adapters, built by src/vbox and run in the simulator. */
import { describe, expect, it } from "vitest";
import { formatIpv4 } from "../../src/core/ip.js";
import { buildVboxNetworks } from "../../src/vbox/build.js";
import type { VboxModel } from "../../src/vbox/model.js";
import { OUTSIDE_HTTP, lines, run, spec, withGuestListeners, world } from "./world.js";

const addrs = (m: VboxModel): string[] => {
  const r = buildVboxNetworks(m);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.addresses.map((a) => `${a.vm} ${a.ifname} ${formatIpv4(a.addr)}/${a.len} ${a.source}`);
};

describe("NAT network", () => {
  const model: VboxModel = {
    seed: "natnet",
    vms: ["k1", "k2"].map((name) => ({ name, adapters: [{ adapter: 1, mode: "natnetwork", network: "k8s" }] })),
    outside: { listeners: [OUTSIDE_HTTP] },
  };
  const w = () => world(withGuestListeners(spec(model), ["k1", "k2"]));

  it("leases 10.0.2.4, .5 in VM order; default via the NAT service at 10.0.2.1", () => {
    expect(addrs(model)).toEqual(["k1 enp0s3 10.0.2.4/24 dhcp", "k2 enp0s3 10.0.2.5/24 dhcp"]);
    expect(run(w(), "k2", "ip route").stdout).toBe(
      lines(
        "default via 10.0.2.1 dev enp0s3 proto dhcp src 10.0.2.5 metric 100 ",
        "10.0.2.0/24 dev enp0s3 proto kernel scope link src 10.0.2.5 ",
        "10.0.2.1 dev enp0s3 proto dhcp scope link src 10.0.2.5 metric 100 ",
      ),
    );
  });

  it("the VMs see each other on 10.0.2.x", () => {
    const x = w();
    expect(run(x, "k1", "curl -sS http://10.0.2.5").stdout).toBe("k2 sees 10.0.2.4\n");
    expect(run(x, "k2", "ping -c 1 -W 1 10.0.2.4").stdout).toContain("1 received");
  });

  it("both leave through the one NAT service and its outside address", () => {
    const x = w();
    expect(run(x, "k1", "curl -sS http://203.0.113.1").stdout).toBe("outside sees 203.0.113.10\n");
    expect(run(x, "k2", "curl -sS http://203.0.113.1").stdout).toBe("outside sees 203.0.113.10\n");
  });

  it("a --network prefix moves everything", () => {
    expect(addrs({ ...model, natNetworks: [{ name: "k8s", network: "192.168.15.0/24" }] })).toEqual(["k1 enp0s3 192.168.15.4/24 dhcp", "k2 enp0s3 192.168.15.5/24 dhcp"]);
  });
});

describe("bridged", () => {
  const model: VboxModel = {
    seed: "lan",
    vms: [
      { name: "a", adapters: [{ adapter: 1, mode: "bridged", lan: "home" }] },
      { name: "b", adapters: [{ adapter: 1, mode: "bridged", lan: "home", address: "192.168.1.50/24" }] },
    ],
    outside: { listeners: [OUTSIDE_HTTP] },
  };
  const w = () => world(withGuestListeners(spec(model), ["a", "b"]));

  it("leases from the LAN router's pool, default route via the router 192.168.1.1", () => {
    expect(addrs(model)).toEqual(["a enp0s3 192.168.1.100/24 dhcp", "b enp0s3 192.168.1.50/24 static"]);
    expect(run(w(), "a", "ip route").stdout).toBe(
      lines(
        "default via 192.168.1.1 dev enp0s3 proto dhcp src 192.168.1.100 metric 100 ",
        "192.168.1.0/24 dev enp0s3 proto kernel scope link src 192.168.1.100 ",
        "192.168.1.1 dev enp0s3 proto dhcp scope link src 192.168.1.100 metric 100 ",
      ),
    );
    expect(run(w(), "a", "ip route get 203.0.113.1").stdout).toContain("203.0.113.1 via 192.168.1.1 dev enp0s3 src 192.168.1.100");
  });

  it("the guest is a peer on the LAN and goes out through the router", () => {
    const x = w();
    expect(run(x, "a", "curl -sS http://192.168.1.50").stdout).toBe("b sees 192.168.1.100\n");
    expect(run(x, "a", "curl -sS http://203.0.113.1").stdout).toBe("outside sees 203.0.113.10\n");
  });

  it("with NAT on adapter 1 and bridged on adapter 2, both defaults are metric 100 and adapter 1's wins", () => {
    const m: VboxModel = { seed: "two", vms: [{ name: "v", adapters: [{ adapter: 1, mode: "nat" }, { adapter: 2, mode: "bridged", lan: "home" }] }] };
    expect(run(world(spec(m)), "v", "ip route get 198.51.100.7").stdout).toContain("198.51.100.7 via 10.0.2.2 dev enp0s3 src 10.0.2.15");
  });
});

describe("internal", () => {
  const model: VboxModel = {
    seed: "int",
    vms: [
      { name: "db", adapters: [{ adapter: 1, mode: "nat" }, { adapter: 3, mode: "internal", network: "back", address: "172.16.0.10/24" }] },
      { name: "app", adapters: [{ adapter: 1, mode: "nat" }, { adapter: 3, mode: "internal", network: "back", address: "172.16.0.20/24" }] },
      { name: "other", adapters: [{ adapter: 1, mode: "internal", network: "elsewhere", address: "172.16.0.30/24" }] },
    ],
  };
  const w = () => world(withGuestListeners(spec(model), ["db", "app", "other"]));

  it("adapter 3 is enp0s9 whatever adapter 2 is (here absent)", () => {
    expect(addrs(model)).toEqual(["db enp0s3 10.0.2.15/24 dhcp", "db enp0s9 172.16.0.10/24 static", "app enp0s3 10.0.2.15/24 dhcp", "app enp0s9 172.16.0.20/24 static", "other enp0s3 172.16.0.30/24 static"]);
  });

  it("reachable among the VMs on the same internal network only", () => {
    const x = w();
    expect(run(x, "app", "curl -sS http://172.16.0.10").stdout).toBe("db sees 172.16.0.20\n");
    const r = run(x, "other", "ping -c 1 -W 5 172.16.0.10");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("Destination Host Unreachable");
  });

  it("the host is not on it", () => {
    const s = spec(model);
    expect(s.namespaces.map((n) => n.name)).not.toContain("host");
    expect(s.segments.map((x) => x.name)).toEqual(["db-nat1", "intnet-back", "app-nat1", "intnet-elsewhere", "internet"]);
  });
});
