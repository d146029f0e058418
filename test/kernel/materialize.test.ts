/**
 * The harness itself, without the scenario loader or the simulator: a small world built by hand
 * as a `WorldSpec` is materialized, answers on the real kernel, and leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseIpv4, parseMac, type Ipv4, type Mac } from "../../src/core/ip.js";
import type { NetnsSpec, WorldSpec } from "../../src/netns/spec.js";
import { TABLE_MAIN } from "../../src/netns/spec.js";
import { materialize, type RealWorld } from "./materialize.js";
import { cleanupStale, listNamespaces } from "./names.js";
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
      sysctls: { "net.ipv4.ip_forward": "1" },
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
    for (const n of ["client", "router", "server"]) expect(all).toContain(`${w().prefix}-ns-${n}`);
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
