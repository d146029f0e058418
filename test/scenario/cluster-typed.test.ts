/**
 * What the components do about what a person typed on a node: iptables rules inside
 * kube-proxy's chains last until its next sync, rules in the built-in chains outlive it and go
 * at reboot, flanneld puts its own rules back; `netplan apply` removes flannel's routes until a
 * new flannel pod writes them again.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatIssue } from "../../src/core/issue.js";
import type { WorldSpec } from "../../src/netns/spec.js";
import { loadScenario } from "../../src/scenario/load.js";

const SEED = new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url).pathname;

function load(timeline: string): WorldSpec {
  const t = readFileSync(SEED, "utf8");
  const r = loadScenario(`${t.slice(0, t.indexOf("timeline:"))}${timeline}\nprobes: []\n`, "t.yaml");
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join("\n"));
  return r.value;
}

const node = (w: WorldSpec, phase: string, name: string) => w.phases!.find((p) => p.name === phase)!.world.namespaces.find((n) => n.name === name)!;
const chain = (w: WorldSpec, phase: string, name: string, table: string, c: string): string[] => {
  const text = node(w, phase, name).iptables!.text;
  const block = text.slice(text.indexOf(`*${table}`));
  return block.slice(0, block.indexOf("COMMIT")).split("\n").filter((l) => l.startsWith(`-A ${c} `));
};
const flannelRoutes = (w: WorldSpec, phase: string, name: string): number => node(w, phase, name).routes.filter((r) => r.dev === "flannel.1").length;

describe("iptables typed on a node", () => {
  const w = load([
    "timeline:",
    "  - phase: typed",
    "    actions:",
    "      - { on: worker1, run: 'iptables -t nat -I PREROUTING 1 -d 10.98.41.49/32 -p tcp --dport 80 -j DNAT --to-destination 10.244.1.27:8080' }",
    "      - { on: worker1, run: 'iptables -t nat -A KUBE-SERVICES -d 10.1.2.3/32 -j RETURN' }",
    "      - { on: worker1, run: 'iptables -t nat -D POSTROUTING -m comment --comment \"flanneld masq\" -j FLANNEL-POSTRTG' }",
    "  - phase: later",
    "    at: 120",
    "  - phase: kube-proxy-restarted",
    "    at: 200",
    "    actions:",
    "      - { on: master1, run: kubectl -n kube-system rollout restart ds kube-proxy }",
    "  - phase: rebooted",
    "    at: 300",
    "    actions:",
    "      - { on: worker1, run: sudo reboot }",
  ].join("\n"));
  const DNAT = "-A PREROUTING -d 10.98.41.49/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.27:8080";
  const KP_JUMP = '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES';
  const TYPED_RETURN = "-A KUBE-SERVICES -d 10.1.2.3/32 -j RETURN";
  const FLANNEL_JUMP = '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG';

  it("changes the ruleset at once, where it was typed", () => {
    expect(chain(w, "typed", "worker1", "nat", "PREROUTING")).toEqual([DNAT, KP_JUMP]);
    expect(chain(w, "typed", "worker1", "nat", "KUBE-SERVICES").at(-1)).toBe(TYPED_RETURN);
    expect(chain(w, "typed", "worker1", "nat", "POSTROUTING")).not.toContain(FLANNEL_JUMP);
    expect(chain(w, "typed", "worker2", "nat", "PREROUTING")).toEqual([KP_JUMP]);
  });

  it("flanneld puts its jump back (last in POSTROUTING) within its 5 s resync; kube-proxy's chain keeps the typed rule until it syncs", () => {
    expect(chain(w, "later", "worker1", "nat", "POSTROUTING").at(-1)).toBe(FLANNEL_JUMP);
    expect(chain(w, "later", "worker1", "nat", "KUBE-SERVICES").at(-1)).toBe(TYPED_RETURN);
    expect(chain(w, "later", "worker1", "nat", "PREROUTING")).toEqual([DNAT, KP_JUMP]);
  });

  it("a kube-proxy restart rewrites KUBE-SERVICES but leaves the rule typed into PREROUTING, ahead of its jump", () => {
    expect(chain(w, "kube-proxy-restarted", "worker1", "nat", "KUBE-SERVICES")).not.toContain(TYPED_RETURN);
    expect(chain(w, "kube-proxy-restarted", "worker1", "nat", "KUBE-SERVICES")).toEqual(chain(w, "kube-proxy-restarted", "worker2", "nat", "KUBE-SERVICES"));
    expect(chain(w, "kube-proxy-restarted", "worker1", "nat", "PREROUTING")).toEqual([DNAT, KP_JUMP]);
  });

  it("kube-proxy's hourly sync rewrites its chains even when nothing happened", () => {
    const quiet = load([
      "timeline:",
      "  - phase: typed",
      "    actions:",
      "      - { on: worker1, run: 'iptables -t nat -A KUBE-SERVICES -d 10.1.2.3/32 -j RETURN' }",
      "  - phase: minutes-later",
      "    at: 3599",
      "  - phase: an-hour-later",
      "    at: 3601",
    ].join("\n"));
    expect(chain(quiet, "minutes-later", "worker1", "nat", "KUBE-SERVICES").at(-1)).toBe(TYPED_RETURN);
    expect(chain(quiet, "an-hour-later", "worker1", "nat", "KUBE-SERVICES")).not.toContain(TYPED_RETURN);
  });

  it("a reboot forgets everything typed", () => {
    expect(node(w, "rebooted", "worker1").iptables!.text).toBe(node(w, "rebooted", "worker2").iptables!.text.replaceAll("10.244.2.0/24", "10.244.1.0/24"));
    expect(chain(w, "rebooted", "worker1", "nat", "PREROUTING")).toEqual([KP_JUMP]);
  });
});

describe("netplan apply", () => {
  const w = load([
    "timeline:",
    "  - phase: broken",
    "  - phase: netplan",
    "    at: 60",
    "    actions:",
    "      - { on: worker1, run: sudo ip route add 10.50.0.0/16 via 192.168.56.1 }",
    "      - { on: worker1, run: sudo netplan apply }",
    "      - { on: worker1, run: sudo ip route add 10.60.0.0/16 via 192.168.56.1 }",
    "  - phase: flannel-restarted",
    "    at: 120",
    "    actions:",
    "      - { on: master1, run: kubectl -n kube-flannel delete pods -l app=flannel }",
  ].join("\n"));
  const dsts = (phase: string): string[] => node(w, phase, "worker1").routes.filter((r) => r.proto === "boot").map((r) => `${r.dev}`).sort();

  it("removes flannel's routes and the ones added by hand before it, on that node only", () => {
    expect(flannelRoutes(w, "broken", "worker1")).toBe(2);
    expect(flannelRoutes(w, "netplan", "worker1")).toBe(0);
    expect(flannelRoutes(w, "netplan", "worker2")).toBe(2);
    expect(dsts("netplan")).toEqual(["enp0s8"]);
  });

  it("a new flannel pod writes the routes again", () => {
    expect(flannelRoutes(w, "flannel-restarted", "worker1")).toBe(2);
    expect(dsts("flannel-restarted")).toEqual(["enp0s8", "flannel.1", "flannel.1"]);
  });
});
