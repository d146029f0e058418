/**
 * `bridge fdb` and `bridge link` (views/bridge*.ts). Expected text as iproute2 6.1 and the
 * kernel printed it for the same state (see worlds.ts), including the kernel's own multicast
 * entries (33:33:00:00:00:01 from IPv6's all-nodes group, which is joined even with IPv6
 * disabled by sysctl; 01:00:5e:00:00:01 on up devices; the snoopers' groups on an up bridge).
 */
import { describe, expect, it } from "vitest";
import type { Mac } from "../../src/core/ip.js";
import { runOn } from "../../src/sim/exec.js";
import { NICS, NODE, PORTS, build, lines, run } from "./worlds.js";

const CNI0 = [
  "33:33:00:00:00:01 dev cni0 self permanent",
  "01:00:5e:00:00:6a dev cni0 self permanent",
  "33:33:00:00:00:6a dev cni0 self permanent",
  "01:00:5e:00:00:01 dev cni0 self permanent",
  "02:c0:00:00:01:01 dev cni0 master cni0 permanent",
];
const PORTS_OF_CNI0 = [
  "0a:58:0a:f4:01:09 dev veth1 master cni0 permanent",
  "02:e0:00:00:01:02 dev veth1 master cni0 permanent",
  "33:33:00:00:00:01 dev veth1 self permanent",
  "01:00:5e:00:00:01 dev veth1 self permanent",
  "02:e0:00:00:01:03 dev veth2 master cni0 permanent",
  "33:33:00:00:00:01 dev veth2 self permanent",
  "01:00:5e:00:00:01 dev veth2 self permanent",
];
const NODE_FDB = [
  "33:33:00:00:00:01 dev eth1 self permanent",
  "01:00:5e:00:00:01 dev eth1 self permanent",
  ...CNI0,
  ...PORTS_OF_CNI0,
  "33:33:00:00:00:01 dev vA self permanent",
  "01:00:5e:00:00:01 dev vA self permanent",
  "33:33:00:00:00:01 dev vB self permanent",
  "33:33:00:00:00:01 dev dead0 self permanent",
  "01:00:5e:00:00:6a dev dead0 self permanent",
  "33:33:00:00:00:6a dev dead0 self permanent",
  "01:00:5e:00:00:01 dev dead0 self permanent",
  "02:de:00:00:00:01 dev dead0 master dead0 permanent",
  "00:00:00:00:00:00 dev flannel.1 dst 192.168.56.103 self permanent",
  "00:00:00:00:00:00 dev flannel.1 dst 192.168.56.104 self permanent",
  "02:fa:00:00:02:01 dev flannel.1 dst 192.168.56.102 self permanent",
];

describe("bridge fdb", () => {
  it("walks devices by ifindex: a port's bridge entries (newest first), then its own lists", () => {
    for (const cmd of ["bridge fdb", "bridge fdb show", "bridge f s", "bridge fdb list"]) {
      expect(run(NODE, "node1", cmd)).toEqual({ stdout: lines(...NODE_FDB), stderr: "", exitCode: 0 });
    }
  });

  it("dev leaves the device out; br keeps the bridge and its ports", () => {
    expect(run(NODE, "node1", "bridge fdb show dev cni0").stdout).toBe(
      lines("33:33:00:00:00:01 self permanent", "01:00:5e:00:00:6a self permanent", "33:33:00:00:00:6a self permanent", "01:00:5e:00:00:01 self permanent", "02:c0:00:00:01:01 master cni0 permanent"),
    );
    expect(run(NODE, "node1", "bridge fdb show dev veth1").stdout).toBe(
      lines("0a:58:0a:f4:01:09 master cni0 permanent", "02:e0:00:00:01:02 master cni0 permanent", "33:33:00:00:00:01 self permanent", "01:00:5e:00:00:01 self permanent"),
    );
    expect(run(NODE, "node1", "bridge fdb show brport veth1").stdout).toBe(run(NODE, "node1", "bridge fdb show dev veth1").stdout);
    expect(run(NODE, "node1", "bridge fdb show dev flannel.1").stdout).toBe(
      lines("00:00:00:00:00:00 dst 192.168.56.103 self permanent", "00:00:00:00:00:00 dst 192.168.56.104 self permanent", "02:fa:00:00:02:01 dst 192.168.56.102 self permanent"),
    );
    expect(run(NODE, "node1", "bridge fdb show br cni0").stdout).toBe(lines(...CNI0, ...PORTS_OF_CNI0));
    expect(run(NODE, "node1", "bridge fdb show dev lo")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });

  it("ports of several bridges, a bridge below the IPv6 minimum MTU, a vxlan port", () => {
    expect(run(PORTS, "n1", "bridge fdb").stdout).toBe(
      lines(
        "01:00:5e:00:00:6a dev br0 self permanent",
        "01:00:5e:00:00:01 dev br0 self permanent",
        "02:b0:00:00:00:01 dev br0 master br0 permanent",
        "33:33:00:00:00:01 dev brX self permanent",
        "02:b0:00:00:00:02 dev brX master brX permanent",
        "02:00:00:00:00:77 dev pA master br0 permanent",
        "02:0a:00:00:00:01 dev pA master br0 permanent",
        "33:33:00:00:00:01 dev pA self permanent",
        "01:00:5e:00:00:01 dev pA self permanent",
        "33:33:00:00:00:01 dev pB self permanent",
        "01:00:5e:00:00:01 dev pB self permanent",
        "02:0a:00:00:00:03 dev q1 master brX permanent",
        "33:33:00:00:00:01 dev q1 self permanent",
        "01:00:5e:00:00:01 dev q1 self permanent",
        "02:00:00:00:00:78 dev q2 master br0 permanent",
        "02:0a:00:00:00:04 dev q2 master br0 permanent",
        "01:00:5e:00:00:01 dev q2 self permanent",
        "02:0c:00:00:00:01 dev vx0 master br0 permanent",
        "00:00:00:00:00:00 dev vx1 dst 10.1.0.2 self permanent",
      ),
    );
    expect(run(PORTS, "n1", "bridge fdb show br brX").stdout).toBe(
      lines(
        "33:33:00:00:00:01 dev brX self permanent",
        "02:b0:00:00:00:02 dev brX master brX permanent",
        "02:0a:00:00:00:03 dev q1 master brX permanent",
        "33:33:00:00:00:01 dev q1 self permanent",
        "01:00:5e:00:00:01 dev q1 self permanent",
      ),
    );
    expect(run(PORTS, "n2", "bridge fdb").stdout).toBe(lines("33:33:00:00:00:01 dev e9 self permanent", "01:00:5e:00:00:01 dev e1 self permanent"));
    expect(run(NICS, "host", "bridge fdb").stdout).toBe(
      lines("33:33:00:00:00:01 dev enp0s3 self permanent", "01:00:5e:00:00:01 dev enp0s3 self permanent", "33:33:00:00:00:01 dev enp0s8 self permanent"),
    );
  });

  it("dynamic shows learned entries only, with the empty state word's trailing space", () => {
    expect(run(NODE, "node1", "bridge fdb show dynamic")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    const world = build(NODE);
    const ns = world.ns("node1")!;
    const cni0 = ns.device("cni0")!;
    cni0.fdb.set("0a:58:0a:f4:01:02" as Mac, { port: ns.device("veth1")!, local: false, permanent: false });
    expect(runOn(world, "node1", "bridge fdb show br cni0 dynamic").result.stdout).toBe(lines("0a:58:0a:f4:01:02 dev veth1 master cni0 "));
    expect(runOn(world, "node1", "bridge fdb get 0a:58:0a:f4:01:02 br cni0").result.stdout).toBe(lines("0a:58:0a:f4:01:02 dev veth1 master cni0 "));
  });

  it("get: through a bridge, a port, or a vxlan's own table", () => {
    const get = (args: string, ns = "node1", spec = NODE) => run(spec, ns, `bridge fdb get ${args}`);
    expect(get("0a:58:0a:f4:01:09 br cni0").stdout).toBe(lines("0a:58:0a:f4:01:09 dev veth1 master cni0 permanent"));
    expect(get("02:c0:00:00:01:01 br cni0").stdout).toBe(lines("02:c0:00:00:01:01 dev cni0 master cni0 permanent"));
    expect(get("02:e0:00:00:01:03 dev veth1").stdout).toBe(lines("02:e0:00:00:01:03 dev veth2 master cni0 permanent"));
    expect(get("02:fa:00:00:02:01 dev flannel.1 self").stdout).toBe(lines("02:fa:00:00:02:01 dev flannel.1 dst 192.168.56.102 self permanent"));
    expect(get("00:00:00:00:00:00 dev flannel.1 self").stdout).toBe(lines("00:00:00:00:00:00 dev flannel.1 dst 192.168.56.103 self permanent"));
    expect(get("2:0:0:0:0:77 br br0", "n1", PORTS).stdout).toBe(lines("02:00:00:00:00:77 dev pA master br0 permanent"));
    expect(get("02:00:00:00:00:77 dev pA master", "n1", PORTS).stdout).toBe(lines("02:00:00:00:00:77 dev pA master br0 permanent"));
  });

  it("errors as bridge prints them", () => {
    const err = (stderr: string, exitCode: number) => ({ stdout: "", stderr, exitCode });
    expect(run(NODE, "node1", "bridge fdb get 02:fa:00:00:02:01 dev flannel.1")).toEqual(err("Error: Device is not a bridge port.\n", 254));
    expect(run(NODE, "node1", "bridge fdb get 02:00:00:00:00:99 br cni0")).toEqual(err("Error: Fdb entry not found.\n", 254));
    expect(run(NODE, "node1", "bridge fdb get 02:00:00:00:00:99")).toEqual(err("Device or master and address are required arguments.\n", 255));
    expect(run(NODE, "node1", "bridge fdb get zz br cni0")).toEqual(err("Invalid mac address zz\n", 255));
    expect(run(NODE, "node1", "bridge fdb get 01:00:5e:00:00:01 dev eth1 self")).toEqual(err("Error: Fdb get operation not supported by device.\n", 254));
    expect(run(PORTS, "n1", "bridge fdb get 02:00:00:00:00:77 dev q1")).toEqual(err("Error: Fdb entry not found.\n", 254));
    expect(run(NODE, "node1", "bridge fdb show br nosuch")).toEqual(err('Cannot find bridge device "nosuch"\n', 255));
    expect(run(NODE, "node1", "bridge fdb show dev nosuch")).toEqual(err('Cannot find device "nosuch"\n', 255));
    expect(run(NODE, "node1", "bridge fdb show dev")).toEqual(err('Command line is not complete. Try option "help"\n', 255));
    expect(run(NODE, "node1", "bridge fdb foo")).toEqual(err('Command "foo" is unknown, try "bridge fdb help".\n', 255));
  });
});

describe("bridge link", () => {
  it("one line per port; the name suffix looks the peer's ifindex up locally", () => {
    expect(run(NODE, "node1", "bridge link")).toEqual({
      stdout: lines(
        "4: veth1@eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master cni0 state forwarding priority 32 cost 2 ",
        "5: veth2@eth1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 master cni0 state disabled priority 32 cost 2 ",
      ),
      stderr: "",
      exitCode: 0,
    });
    expect(run(PORTS, "n1", "bridge link show").stdout).toBe(
      lines(
        "4: pA@pB: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 ",
        "6: q1@br0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 master brX state disabled priority 32 cost 2 ",
        "7: q2@brX: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1200 master br0 state forwarding priority 32 cost 2 ",
        "8: vx0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 100 ",
      ),
    );
    expect(run(PORTS, "n1", "bridge link show dev q2").stdout).toBe(lines("7: q2@brX: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1200 master br0 state forwarding priority 32 cost 2 "));
    expect(run(NODE, "node2", "bridge link")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });

  it("errors as bridge prints them", () => {
    expect(run(NODE, "node1", "bridge link show dev nosuch")).toEqual({ stdout: "", stderr: 'Cannot find device "nosuch"\n', exitCode: 255 });
    expect(run(NODE, "node1", "bridge link foo")).toEqual({ stdout: "", stderr: 'Command "foo" is unknown, try "bridge link help".\n', exitCode: 255 });
  });
});

describe("bridge", () => {
  it("objects, options and usage", () => {
    expect(run(NODE, "node1", "bridge foo")).toEqual({ stdout: "", stderr: 'Object "foo" is unknown, try "bridge help".\n', exitCode: 255 });
    expect(run(NODE, "node1", "bridge -x fdb")).toEqual({ stdout: "", stderr: 'Option "-x" is unknown, try "bridge help".\n', exitCode: 255 });
    expect(run(NODE, "node1", "bridge -V")).toEqual({ stdout: "bridge utility, 6.1.0\n", stderr: "", exitCode: 0 });
    expect(run(NODE, "node1", "bridge -n nosuch fdb")).toEqual({ stdout: "", stderr: 'Cannot open network namespace "nosuch": No such file or directory\n', exitCode: 255 });
    expect(run(NODE, "node1", "bridge -n pod2 fdb").stdout).toBe(lines("33:33:00:00:00:01 dev eth0 self permanent"));
    const usage = run(NODE, "node1", "bridge");
    expect(usage.exitCode).toBe(255);
    expect(usage.stderr).toBe(
      lines(
        "Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }",
        "       bridge [ -force ] -batch filename",
        "where  OBJECT := { link | fdb | mdb | vlan | monitor }",
        "       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |",
        "                    -o[neline] | -t[imestamp] | -n[etns] name |",
        "                    -c[ompressvlans] -color -p[retty] -j[son] }",
      ),
    );
  });
});
