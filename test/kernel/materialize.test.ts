/**
 * The harness itself, without the scenario loader or the simulator: a small world built by hand
 * as a `WorldSpec` is materialized, answers on the real kernel, and leaves nothing behind.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseIpv4, parseMac, type Ipv4, type Mac } from "../../src/core/ip.js";
import type { NetnsSpec, WorldSpec } from "../../src/netns/spec.js";
import { TABLE_MAIN } from "../../src/netns/spec.js";
import { materialize, type RealWorld } from "./materialize.js";
import { CLAIM_DIR, claimPrefix, cleanupStale, deletePrefixNamespaces, listNamespaces, releasePrefix } from "./names.js";
import { mustRun } from "./run.js";
import { kernelAvailability } from "./tools.js";

const avail = kernelAvailability();

function ip(text: string): Ipv4 {
  const a = parseIpv4(text);
  if (a === undefined) throw new Error(`bad address ${text}`);
  return a;
}
function mac(text: string): Mac {
  const m = parseMac(text);
  if (m === undefined) throw new Error(`bad mac ${text}`);
  return m;
}
function ns(name: string, parts: Partial<Omit<NetnsSpec, "name">>): NetnsSpec {
  return { name, devices: [], addresses: [], routes: [], neighbours: [], fdb: [], sysctls: {}, listeners: [], ...parts };
}

/** client ── veth ── router ── segment "lan" ── server (NIC), with an HTTP listener on server. */
const world: WorldSpec = {
  name: "harness smoke test",
  file: "materialize.test.ts",
  seed: "1",
  segments: [{ name: "lan" }],
  namespaces: [
    ns("client", {
      devices: [{ kind: "veth", name: "eth0", up: true, peer: { netns: "router", name: "veth0" }, mac: mac("02:00:00:00:00:01") }],
      addresses: [{ dev: "eth0", addr: ip("10.1.0.2"), len: 24, scope: "universe" }],
      routes: [{ table: TABLE_MAIN, type: "unicast", dst: ip("0.0.0.0"), len: 0, via: ip("10.1.0.1"), metric: 0, scope: "universe", proto: "boot", onlink: false }],
    }),
    ns("router", {
      devices: [
        { kind: "veth", name: "veth0", up: true, peer: { netns: "client", name: "eth0" } },
        { kind: "nic", name: "eth1", up: true, segment: "lan", mtu: 1400 },
      ],
      addresses: [
        { dev: "veth0", addr: ip("10.1.0.1"), len: 24, broadcast: ip("10.1.0.255"), scope: "universe" },
        { dev: "eth1", addr: ip("10.2.0.1"), len: 24, scope: "universe" },
      ],
      sysctls: { "net.ipv4.ip_forward": "1", "net.ipv4.conf.veth0.rp_filter": "2" },
      routes: [
        { table: 100, type: "blackhole", dst: ip("192.0.2.0"), len: 24, metric: 7, scope: "universe", proto: "static", onlink: false },
        { table: TABLE_MAIN, type: "unicast", dst: ip("198.51.100.0"), len: 24, via: ip("10.2.0.2"), src: ip("10.2.0.1"), metric: 0, scope: "universe", proto: "boot", onlink: false },
      ],
      neighbours: [{ dev: "eth1", ip: ip("10.2.0.99"), mac: mac("02:00:00:00:00:99"), state: "permanent" }],
    }),
    ns("sw", {
      devices: [
        { kind: "bridge", name: "br0", up: true, hairpin: ["p1"] },
        { kind: "veth", name: "p1", up: true, master: "br0", peer: { netns: "sw", name: "p2" } },
        { kind: "veth", name: "p2", up: true, peer: { netns: "sw", name: "p1" } },
        { kind: "vxlan", name: "vx0", up: true, vni: 42, dstport: 4789, learning: false, mac: mac("02:00:00:00:42:00") },
      ],
      fdb: [{ dev: "vx0", mac: mac("00:00:00:00:00:00"), dst: ip("10.9.9.9"), self: true, master: false, permanent: true }],
    }),
    ns("server", {
      devices: [{ kind: "nic", name: "eth0", up: true, segment: "lan", mtu: 1400 }],
      addresses: [{ dev: "eth0", addr: ip("10.2.0.2"), len: 24, scope: "universe" }],
      routes: [{ table: TABLE_MAIN, type: "unicast", dst: ip("10.1.0.0"), len: 16, via: ip("10.2.0.1"), dev: "eth0", metric: 5, scope: "universe", proto: "static", onlink: false }],
      listeners: [
        { kind: "http", port: 80, body: "hello from server" },
        { kind: "tcp", port: 7000, body: "tcp says hi" },
        { kind: "udp", port: 5353, addr: ip("10.2.0.2"), body: "udp says hi" },
      ],
    }),
  ],
  probes: [],
};

describe.skipIf(!avail.usable)("materialize (real namespaces)", () => {
  let real: RealWorld | undefined;
  beforeAll(async () => {
    await cleanupStale();
    real = await materialize(world);
  });
  afterAll(async () => {
    await real?.teardown();
  });
  const w = (): RealWorld => {
    if (!real) throw new Error("world not materialized");
    return real;
  };

  test("names every namespace with the run's prefix", async () => {
    const all = await listNamespaces();
    for (const n of ["client", "router", "server", "sw"]) expect(all).toContain(`${w().prefix}-ns-${n}`);
    expect(all).toContain(`${w().prefix}-seg-lan`);
  });

  test("devices carry the spec's MAC, MTU, addresses and routes", async () => {
    const link = await w().exec("client", "ip -o link show eth0", 5_000);
    expect(link.stdout).toContain("link/ether 02:00:00:00:00:01");
    const mtu = await w().exec("server", "ip -o link show eth0", 5_000);
    expect(mtu.stdout).toContain("mtu 1400");
    const addr = await w().exec("router", "ip -o -4 addr show dev veth0", 5_000);
    expect(addr.stdout).toContain("inet 10.1.0.1/24 brd 10.1.0.255 scope global veth0");
    const routes = await w().exec("server", "ip route show", 5_000);
    expect(routes.stdout).toContain("10.1.0.0/16 via 10.2.0.1 dev eth0 proto static metric 5");
    const v6 = await w().exec("server", "sysctl -n net.ipv6.conf.eth0.disable_ipv6", 5_000);
    expect(v6.stdout.trim()).toBe("1");
  });

  test("sysctls, other tables, src routes, neighbours, hairpin, vxlan and FDB", async () => {
    const rp = await w().exec("router", "sysctl -n net.ipv4.conf.veth0.rp_filter net.ipv4.ip_forward", 5_000);
    expect(rp.stdout).toBe("2\n1\n");
    const t100 = await w().exec("router", "ip route show table 100", 5_000);
    expect(t100.stdout).toBe("blackhole 192.0.2.0/24 proto static metric 7 \n");
    const src = await w().exec("router", "ip route show 198.51.100.0/24", 5_000);
    expect(src.stdout).toBe("198.51.100.0/24 via 10.2.0.2 dev eth1 src 10.2.0.1 \n");
    const neigh = await w().exec("router", "ip neigh show 10.2.0.99", 5_000);
    expect(neigh.stdout).toBe("10.2.0.99 dev eth1 lladdr 02:00:00:00:00:99 PERMANENT \n");
    const hairpin = await w().exec("sw", "bridge -d link show dev p1", 5_000);
    expect(hairpin.stdout).toContain("hairpin on");
    const vx = await w().exec("sw", "ip -d -o link show vx0", 5_000);
    expect(vx.stdout).toContain("vxlan id 42 srcport 0 0 dstport 4789 nolearning");
    const fdb = await w().exec("sw", "bridge fdb show dev vx0", 5_000);
    expect(fdb.stdout).toContain("00:00:00:00:00:00 dst 10.9.9.9 self permanent");
  });

  test("traffic crosses the veth, the router and the segment", async () => {
    const ping = await w().exec("client", "ping -c 1 -W 1 10.2.0.2", 5_000);
    expect(ping.stdout).toContain("1 received");
    expect(ping.exitCode).toBe(0);
  });

  test("listeners answer: http, tcp, udp", async () => {
    const http = await w().exec("client", "curl -sS --max-time 3 http://10.2.0.2/", 5_000);
    expect(http.stdout).toBe("hello from server");
    const tcp = await w().exec("client", "nc -w 2 10.2.0.2 7000 </dev/null", 5_000);
    expect(tcp.stdout).toBe("tcp says hi");
    const udp = await w().exec("client", "echo ping | nc -u -w 1 10.2.0.2 5353", 5_000);
    expect(udp.stdout).toBe("udp says hi");
  });

  test("teardown removes every namespace of the world", async () => {
    const r = w();
    await r.teardown();
    const all = await listNamespaces();
    expect(all.filter((n) => n.startsWith(`${r.prefix}-`))).toEqual([]);
  });
});

describe.skipIf(!avail.usable)("cleanupStale", () => {
  test("removes namespaces whose owner is gone, keeps those of a live owner", async () => {
    const dead = claimPrefix();
    const live = claimPrefix();
    try {
      // A pid that no longer exists: a child that has already exited.
      const gone = spawnSync("true").pid;
      writeFileSync(join(CLAIM_DIR, dead), JSON.stringify({ pid: gone, starttime: "0" }));
      await mustRun(["ip", "netns", "add", `${dead}-ns-left-behind`]);
      await mustRun(["ip", "netns", "add", `${live}-ns-in-use`]);
      const cleaned = await cleanupStale();
      expect(cleaned).toContain(dead);
      expect(cleaned).not.toContain(live);
      const all = await listNamespaces();
      expect(all).not.toContain(`${dead}-ns-left-behind`);
      expect(all).toContain(`${live}-ns-in-use`);
    } finally {
      await deletePrefixNamespaces(dead);
      await deletePrefixNamespaces(live);
      releasePrefix(dead);
      releasePrefix(live);
    }
  });
});

if (!avail.usable) {
  if (avail.mustFail) {
    describe("kernel availability under CI", () => {
      test("CI=true requires root and every tool", () => {
        expect.fail(`kernel tests cannot run: ${avail.reason}`);
      });
    });
  } else {
    console.warn(`kernel tests skipped: ${avail.reason}`);
    describe("materialize (real namespaces)", () => {
      test.skip(`skipped: ${avail.reason}`, () => undefined);
    });
  }
}
