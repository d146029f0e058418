/**
 * `route -n` (apps/route.ts, views/route-n.ts): table main as /proc/net/route lists it, in
 * net-tools 2.10's columns — flags, reject routes, the -e/-ee layouts — and the refusals.
 */
import { describe, expect, it } from "vitest";
import { CLUSTER_WORLD } from "./cluster.js";
import { lines, run } from "./worlds.js";

const TITLE = "Kernel IP routing table";
const HEADER = "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface";

describe("route -n", () => {
  it("a flannel node: default via the NAT gateway, DHCP host route, connected routes, onlink vxlan routes", () => {
    const want = {
      stdout: lines(
        TITLE,
        HEADER,
        "0.0.0.0         10.0.2.2        0.0.0.0         UG    100    0        0 enp0s3",
        "10.0.2.0        0.0.0.0         255.255.255.0   U     0      0        0 enp0s3",
        "10.0.2.2        0.0.0.0         255.255.255.255 UH    100    0        0 enp0s3",
        "10.244.0.0      0.0.0.0         255.255.255.0   U     0      0        0 cni0",
        "10.244.1.0      10.244.1.0      255.255.255.0   UG    0      0        0 flannel.1",
        "10.244.2.0      10.244.2.0      255.255.255.0   UG    0      0        0 flannel.1",
        "192.168.56.0    0.0.0.0         255.255.255.0   U     0      0        0 enp0s8",
      ),
      stderr: "",
      exitCode: 0,
    };
    for (const cmd of ["route -n", "route -n -F", "route -nF", "route --numeric", "route -n -A inet", "route -4n", "route -nv"]) {
      expect(run(CLUSTER_WORLD, "master1", cmd)).toEqual(want);
    }
  });

  it("a pod: the route to the cluster CIDR and the default, via the bridge", () => {
    expect(run(CLUSTER_WORLD, "kubia-nwjcc", "route -n").stdout).toBe(
      lines(
        TITLE,
        HEADER,
        "0.0.0.0         10.244.1.1      0.0.0.0         UG    0      0        0 eth0",
        "10.244.0.0      10.244.1.1      255.255.0.0     UG    0      0        0 eth0",
        "10.244.1.0      0.0.0.0         255.255.255.0   U     0      0        0 eth0",
      ),
    );
  });

  it("unreachable and prohibit are reject routes (!, dashes); blackhole and throw are U on *; other tables never show", () => {
    expect(run(CLUSTER_WORLD, "lab", "route -n").stdout).toBe(
      lines(
        TITLE,
        HEADER,
        "192.0.2.0       0.0.0.0         255.255.255.0   U     0      0        0 eth0",
        "198.18.0.0      0.0.0.0         255.255.255.0   U     0      0        0 a-very-long-if",
        "198.51.100.0    -               255.255.255.192 !     0      -        0 -",
        "198.51.100.64   -               255.255.255.192 !     0      -        0 -",
        "198.51.100.128  0.0.0.0         255.255.255.192 U     0      0        0 *",
        "198.51.100.192  0.0.0.0         255.255.255.192 U     0      0        0 *",
        "198.51.100.255  -               255.255.255.255 !H    7      -        0 -",
        "203.0.113.7     192.0.2.254     255.255.255.255 UGH   5      0        0 eth0",
        "203.0.113.8     0.0.0.0         255.255.255.255 UH    0      0        0 eth0",
      ),
    );
  });

  it("-e and -ee: the other layouts of the same routes (-ee cuts the iface to six characters)", () => {
    expect(run(CLUSTER_WORLD, "lab", "route -ne").stdout).toBe(
      lines(
        TITLE,
        "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface",
        "192.0.2.0       0.0.0.0         255.255.255.0   U         0 0          0 eth0",
        "198.18.0.0      0.0.0.0         255.255.255.0   U         0 0          0 a-very-long-if",
        "198.51.100.0    -               255.255.255.192 !         - -          - -",
        "198.51.100.64   -               255.255.255.192 !         - -          - -",
        "198.51.100.128  0.0.0.0         255.255.255.192 U         0 0          0 *",
        "198.51.100.192  0.0.0.0         255.255.255.192 U         0 0          0 *",
        "198.51.100.255  -               255.255.255.255 !H        - -          - -",
        "203.0.113.7     192.0.2.254     255.255.255.255 UGH       0 0          0 eth0",
        "203.0.113.8     0.0.0.0         255.255.255.255 UH        0 0          0 eth0",
      ),
    );
    expect(run(CLUSTER_WORLD, "lab", "route -n -e -e").stdout).toBe(
      lines(
        TITLE,
        "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt",
        "192.0.2.0       0.0.0.0         255.255.255.0   U     0      0        0 eth0     0     0      0",
        "198.18.0.0      0.0.0.0         255.255.255.0   U     0      0        0 a-very   0     0      0",
        "198.51.100.0    -               255.255.255.192 !     0      -        0 -        -     -      -",
        "198.51.100.64   -               255.255.255.192 !     0      -        0 -        -     -      -",
        "198.51.100.128  0.0.0.0         255.255.255.192 U     0      0        0 *        0     0      0",
        "198.51.100.192  0.0.0.0         255.255.255.192 U     0      0        0 *        0     0      0",
        "198.51.100.255  -               255.255.255.255 !H    7      -        0 -        -     -      -",
        "203.0.113.7     192.0.2.254     255.255.255.255 UGH   5      0        0 eth0     0     0      0",
        "203.0.113.8     0.0.0.0         255.255.255.255 UH    0      0        0 eth0     0     0      0",
      ),
    );
    // opt_e & 3 wraps to 0 at -eee: route prints the title and nothing else.
    expect(run(CLUSTER_WORLD, "lab", "route -neee")).toEqual({ stdout: lines(TITLE), stderr: "", exitCode: 0 });
  });

  it("refuses what it does not simulate and complains about bad options like glibc", () => {
    expect(run(CLUSTER_WORLD, "master1", "route")).toEqual({
      stdout: "",
      stderr: "route: podpath: output without -n (name resolution of every address) is not simulated; use route -n\n",
      exitCode: 4,
    });
    expect(run(CLUSTER_WORLD, "master1", "route -n add default gw 10.0.2.3").exitCode).toBe(4);
    expect(run(CLUSTER_WORLD, "master1", "route -nC")).toEqual({ stdout: "", stderr: "route: podpath: -C (the routing cache) is not simulated\n", exitCode: 4 });
    expect(run(CLUSTER_WORLD, "master1", "route -nx")).toEqual({
      stdout: "",
      stderr: "route: invalid option -- 'x'\nroute: podpath: the usage text that follows is not simulated\n",
      exitCode: 4,
    });
  });
});
