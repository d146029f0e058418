/**
 * `ip` itself (views/ip.ts): global options, object abbreviations, usage and exit codes as
 * iproute2 6.1 has them, and the refusal of what the simulator does not model.
 */
import { describe, expect, it } from "vitest";
import { NODE, lines, run } from "./worlds.js";

const USAGE = lines(
  "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }",
  "       ip [ -force ] -batch filename",
  "where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |",
  "                   link | macsec | maddress | monitor | mptcp | mroute | mrule |",
  "                   neighbor | neighbour | netconf | netns | nexthop | ntable |",
  "                   ntbl | route | rule | sr | tap | tcpmetrics |",
  "                   token | tunnel | tuntap | vrf | xfrm }",
  "       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |",
  "                    -h[uman-readable] | -iec | -j[son] | -p[retty] |",
  "                    -f[amily] { inet | inet6 | mpls | bridge | link } |",
  "                    -4 | -6 | -M | -B | -0 |",
  "                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |",
  "                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |",
  "                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |",
  "                    -c[olor]}",
);

describe("ip", () => {
  it("usage on no object and on help, exit 255", () => {
    expect(run(NODE, "node1", "ip")).toEqual({ stdout: "", stderr: USAGE, exitCode: 255 });
    expect(run(NODE, "node1", "ip help")).toEqual({ stdout: "", stderr: USAGE, exitCode: 255 });
    expect(run(NODE, "node1", "ip -help")).toEqual({ stdout: "", stderr: USAGE, exitCode: 255 });
  });

  it("unknown object exits 1, unknown option 255", () => {
    expect(run(NODE, "node1", "ip foo")).toEqual({ stdout: "", stderr: 'Object "foo" is unknown, try "ip help".\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip am")).toEqual({ stdout: "", stderr: 'Object "am" is unknown, try "ip help".\n', exitCode: 1 });
    expect(run(NODE, "node1", "ip -x addr")).toEqual({ stdout: "", stderr: 'Option "-x" is unknown, try "ip -help".\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip -f foo addr")).toEqual({ stdout: "", stderr: 'Error: argument "foo" is wrong: invalid protocol family\n', exitCode: 255 });
  });

  it("-V", () => {
    expect(run(NODE, "node1", "ip -V")).toEqual({ stdout: "ip utility, iproute2-6.1.0, libbpf 1.1.2\n", stderr: "", exitCode: 0 });
  });

  it("abbreviations resolve in iproute2's table order", () => {
    expect(run(NODE, "node1", "ip a").stdout).toBe(run(NODE, "node1", "ip address").stdout);
    expect(run(NODE, "node1", "ip r").stdout).toBe(run(NODE, "node1", "ip route").stdout);
    expect(run(NODE, "node1", "ip n").stdout).toBe(run(NODE, "node1", "ip neighbour").stdout);
    expect(run(NODE, "node1", "ip l").stdout).toBe(run(NODE, "node1", "ip link").stdout);
    expect(run(NODE, "node1", "ip --brief link").stdout).toBe(run(NODE, "node1", "ip -br link").stdout);
    // `ip ru` is `ip rule`, `ip m` is `ip maddress`: real objects the simulator does not model.
    for (const cmd of ["ip ru", "ip m", "ip netns", "ip -s link", "ip -d link", "ip -j addr", "ip addr add 10.0.0.1/24 dev cni0", "ip l s cni0 down", "ip route del default"]) {
      const r = run(NODE, "node1", cmd);
      expect(r.exitCode).toBe(255);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/is not simulated by podpath/);
    }
  });

  it("-n switches to another simulated namespace", () => {
    expect(run(NODE, "node1", "ip -n pod1 route").stdout).toBe(lines("default via 10.244.1.1 dev eth0 ", "10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 "));
    expect(run(NODE, "node1", "ip -n nosuch addr")).toEqual({ stdout: "", stderr: 'Cannot open network namespace "nosuch": No such file or directory\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip -n")).toEqual({ stdout: "", stderr: 'Cannot open network namespace "(null)": No such file or directory\n', exitCode: 255 });
    expect(run(NODE, "node1", "ip -f")).toEqual({ stdout: "", stderr: USAGE, exitCode: 255 });
  });
});
