/**
 * Three Ubuntu VMs, adapter 1 NAT and adapter 2 host-only (vboxnet0) — the usual Vagrant /
 * kubeadm lab — built by src/vbox and run in the simulator.
 */
import { describe, expect, it } from "vitest";
import { formatIpv4 } from "../../src/core/ip.js";
import { buildVboxNetworks } from "../../src/vbox/build.js";
import type { VboxModel } from "../../src/vbox/model.js";
import { OUTSIDE_HTTP, lines, run, spec, withGuestListeners, world } from "./world.js";

const VMS = ["vm1", "vm2", "vm3"];
const model: VboxModel = {
  seed: "lab",
  vms: VMS.map((name) => ({ name, adapters: [{ adapter: 1, mode: "nat" }, { adapter: 2, mode: "hostonly" }] })),
  outside: { listeners: [OUTSIDE_HTTP] },
};
const lab = () => world(withGuestListeners(spec(model), VMS));

describe("NAT + host-only: the state each guest boots with", () => {
  it("gives every VM 10.0.2.15 on enp0s3 and host-only leases from .101 in VM order on enp0s8", () => {
    const r = buildVboxNetworks(model);
    if (!r.ok) throw new Error("issues");
    expect(r.value.addresses.map((a) => `${a.vm} ${a.ifname} ${formatIpv4(a.addr)}/${a.len} ${a.source} ${a.segment} ${a.mac}`)).toEqual([
      "vm1 enp0s3 10.0.2.15/24 dhcp vm1-nat1 08:00:27:14:f4:60",
      "vm1 enp0s8 192.168.56.101/24 dhcp hostonly-vboxnet0 08:00:27:ed:9a:98",
      "vm2 enp0s3 10.0.2.15/24 dhcp vm2-nat1 08:00:27:57:4a:a6",
      "vm2 enp0s8 192.168.56.102/24 dhcp hostonly-vboxnet0 08:00:27:64:10:0f",
      "vm3 enp0s3 10.0.2.15/24 dhcp vm3-nat1 08:00:27:fc:0c:8a",
      "vm3 enp0s8 192.168.56.103/24 dhcp hostonly-vboxnet0 08:00:27:ca:d5:02",
    ]);
    expect(r.value.segments.map((s) => s.name)).toEqual(["vm1-nat1", "hostonly-vboxnet0", "vm2-nat1", "vm3-nat1", "internet"]);
    expect(r.value.namespaces.map((n) => n.name)).toEqual(["vm1", "vm2", "vm3", "vm1-nat1", "vm2-nat1", "vm3-nat1", "host", "internet"]);
  });

  it("shows the guest's interfaces and addresses as ip addr prints them", () => {
    expect(run(lab(), "vm2", "ip -4 -br addr").stdout).toBe(
      lines("lo               UNKNOWN        127.0.0.1/8 ", "enp0s3           UP             10.0.2.15/24 ", "enp0s8           UP             192.168.56.102/24 "),
    );
  });

  it("routes as Ubuntu's networkd leaves them: default via the NAT engine, host routes to it and its DNS, connected routes", () => {
    expect(run(lab(), "vm3", "ip route").stdout).toBe(
      lines(
        "default via 10.0.2.2 dev enp0s3 proto dhcp src 10.0.2.15 metric 100 ",
        "10.0.2.0/24 dev enp0s3 proto kernel scope link src 10.0.2.15 ",
        "10.0.2.2 dev enp0s3 proto dhcp scope link src 10.0.2.15 metric 100 ",
        "10.0.2.3 dev enp0s3 proto dhcp scope link src 10.0.2.15 metric 100 ",
        "192.168.56.0/24 dev enp0s8 proto kernel scope link src 192.168.56.103 ",
      ),
    );
  });

  it("the NAT engine is a namespace with the gateway and DNS addresses, an outside address and a parsed MASQUERADE ruleset", () => {
    const w = lab();
    expect(run(w, "vm2-nat1", "iptables-save").stdout).toBe(
      lines(
        "*filter", ":INPUT ACCEPT [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]",
        "-A FORWARD -i eth0 -o eth1 -j ACCEPT",
        "-A FORWARD -i eth1 -o eth0 -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT",
        "COMMIT",
        "*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]",
        "-A POSTROUTING -s 10.0.2.0/24 -o eth1 -j MASQUERADE",
        "COMMIT",
      ),
    );
    expect(run(w, "vm2-nat1", "ip -4 -br addr").stdout).toBe(
      lines("lo               UNKNOWN        127.0.0.1/8 ", "eth0             UP             10.0.2.2/24 10.0.2.3/24 ", "eth1             UP             203.0.113.11/24 "),
    );
  });

  it("gives the host vboxnet0 at 192.168.56.1/24", () => {
    expect(run(lab(), "host", "ip -4 -br addr show vboxnet0").stdout).toBe(lines("vboxnet0         UP             192.168.56.1/24 "));
  });
});

describe("NAT + host-only: what the packets do", () => {
  it("VM1 pings VM2's host-only address", () => {
    const r = run(lab(), "vm1", "ping -c 1 -W 1 192.168.56.102");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("64 bytes from 192.168.56.102: icmp_seq=1 ttl=64");
  });

  it("VM1 reaches VM2 over host-only and VM2 sees VM1's host-only address", () => {
    expect(run(lab(), "vm1", "curl -sS http://192.168.56.102").stdout).toBe("vm2 sees 192.168.56.101\n");
  });

  it("VM1 to 10.0.2.15 is VM1 itself: the NAT networks are private", () => {
    const w = lab();
    expect(run(w, "vm1", "curl -sS http://10.0.2.15").stdout).toBe("vm1 sees 10.0.2.15\n");
    expect(run(w, "vm2", "curl -sS http://10.0.2.15").stdout).toBe("vm2 sees 10.0.2.15\n");
  });

  it("another 10.0.2.x gets no ARP answer from the NAT engine: Destination Host Unreachable", () => {
    const r = run(lab(), "vm1", "ping -c 1 -W 5 10.0.2.16");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("From 10.0.2.15 icmp_seq=1 Destination Host Unreachable");
  });

  it("VM1 reaches the outside world's listener, which sees VM1's NAT engine's public address", () => {
    const w = lab();
    expect(run(w, "vm1", "curl -sS http://203.0.113.1").stdout).toBe("outside sees 203.0.113.10\n");
    expect(run(w, "vm2", "curl -sS http://203.0.113.1").stdout).toBe("outside sees 203.0.113.11\n");
    expect(run(w, "vm3", "curl -sS http://203.0.113.1").stdout).toBe("outside sees 203.0.113.12\n");
  });

  it("the NAT engines answer at the gateway 10.0.2.2 and DNS 10.0.2.3 addresses", () => {
    const w = lab();
    expect(run(w, "vm1", "ping -c 1 -W 1 10.0.2.2").exitCode).toBe(0);
    expect(run(w, "vm1", "ping -c 1 -W 1 10.0.2.3").exitCode).toBe(0);
  });

  it("reaches the host adapter 192.168.56.1 from every guest", () => {
    const w = lab();
    for (const vm of VMS) expect(run(w, vm, "ping -c 1 -W 1 192.168.56.1").stdout).toContain("1 received");
  });

  it("nothing from outside reaches a guest through its NAT engine without a port forward", () => {
    const w = lab();
    const r = run(w, "internet", "curl -sS http://203.0.113.10");
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toContain("Failed to connect to 203.0.113.10 port 80");
  });

  it("a --natpf forward takes the outside to the guest (DNAT only: the guest sees the outside address)", () => {
    const m: VboxModel = { ...model, vms: [{ name: "vm1", adapters: [{ adapter: 1, mode: "nat", portForwards: [{ name: "web", proto: "tcp", hostPort: 8080, guestPort: 80 }] }] }] };
    const w = world(withGuestListeners(spec(m), ["vm1"]));
    expect(run(w, "internet", "curl -sS http://203.0.113.10:8080").stdout).toBe("vm1 sees 203.0.113.1\n");
  });

  it("the engine routes, so traceroute sees it as hop 1 (real VirtualBox's user-space NAT does not)", () => {
    const r = run(lab(), "vm1", "traceroute -n -q 1 -w 1 -m 3 203.0.113.1");
    expect(r.stdout).toContain(" 1  10.0.2.2 ");
    expect(r.stdout).toContain(" 2  203.0.113.1 ");
  });
});
