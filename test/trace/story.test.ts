/**
 * The "what happened" summary (src/trace/story.ts), told from real runs: the seed-000 cluster
 * with kube-proxy's branch pinned — the VXLAN encap-bypass loop at `broken`, the hairpin to the
 * calling pod itself, the cross-node answer through 192.168.56.103 at `fixed` — and low-level
 * scenarios for a timeout, a refused connection and a command that sent nothing. Every line
 * comes from the trace values; nothing here is written per scenario in the source.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { WorldSpec } from "../../src/netns/spec.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { simulate } from "../../src/sim/exec.js";
import { selectTraces } from "../../src/trace/render-select.js";
import { renderStoryText } from "../../src/trace/render-text.js";
import { tellStory } from "../../src/trace/story.js";
import type { Trace } from "../../src/trace/types.js";
import { pickPhase } from "../../src/cli/phase.js";
import { pinChooser, storyWorld } from "../../src/cli/choices.js";

const SEED0 = fileURLToPath(new URL("../../scenarios/seeds/000-nat-iface-same-node-only.yaml", import.meta.url));
const low = (name: string): string => fileURLToPath(new URL(`../../scenarios/lowlevel/${name}`, import.meta.url));

function load(path: string, at = "start"): WorldSpec {
  const r = loadScenarioFile(path);
  if (!r.ok) throw new Error(`${path} does not load`);
  const p = pickPhase(r.value, at);
  if (!p.ok) throw new Error(p.message);
  return p.world;
}

/** The story of one command, as `podpath trace` tells it (shown traces, names from the world). */
function story(spec: WorldSpec, ns: string, command: string, choose?: string): string[] {
  let chooser;
  if (choose !== undefined) {
    const c = pinChooser(spec, choose);
    if ("error" in c) throw new Error(c.error);
    chooser = c;
  }
  const run = simulate(spec, ns, command, { seed: spec.seed, ...(chooser ? { chooser } : {}) });
  const app = command.split(" ")[0]!;
  const r = run.result;
  return tellStory({ traces: selectTraces(run.traces).shown, app, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, world: storyWorld(spec) });
}

const CURL_SVC = "curl http://10.98.41.49";
const SENT = "kubia-nwjcc sent a TCP SYN to the Service 10.98.41.49:80 (default/kubia).";
const TO_ZCPBB =
  "On worker1, kube-proxy's KUBE-SVC-XCCRWSFD2BRL7CRI chain took branch 2 of 2 (pinned by --choose; it would be taken with probability 50%) and KUBE-SEP-XNY6V7T63BV6ODAO DNATed it to 10.244.2.11:8080 (kubia-zcpbb).";

describe("the story of seed 000's Service call", () => {
  it("broken, kubia-zcpbb chosen: the frame loops through flannel.1 until its TTL runs out; curl exit 7", () => {
    expect(story(load(SEED0, "broken"), "kubia-nwjcc", CURL_SVC, "kubia-zcpbb")).toEqual([
      SENT,
      TO_ZCPBB,
      "The route 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink sent it into the VXLAN device flannel.1; the FDB said the VTEP for 6e:32:d0:ea:3a:f9 is 10.0.2.15 — an address of worker1 itself — so the frame came straight back in, 63 times, losing one TTL each time.",
      "At TTL 1 worker1 dropped it and answered ICMP time exceeded; conntrack translated the error back to come from 10.98.41.49, so curl's connect() failed with EHOSTUNREACH: curl exit 7.",
    ]);
  });

  it("broken, kubia-nwjcc chosen: the bridge hairpins it back to the caller, masqueraded; curl exit 0", () => {
    expect(story(load(SEED0, "broken"), "kubia-nwjcc", CURL_SVC, "kubia-nwjcc")).toEqual([
      SENT,
      "On worker1, kube-proxy's KUBE-SVC-XCCRWSFD2BRL7CRI chain took branch 1 of 2 (pinned by --choose; it would be taken with probability 50%) and KUBE-SEP-J5YLFMHJAYVOG7TW DNATed it to 10.244.1.27:8080 (kubia-nwjcc).",
      "That endpoint is kubia-nwjcc itself, so the bridge cni0 sent it back out the port it came in on (veth60e694b2, hairpin), and MASQUERADE in KUBE-POSTROUTING rewrote its source to 10.244.1.1:41559 so that the answer comes back through worker1 too.",
      "It reached kubia-nwjcc's listening socket http *:8080.",
      "The answer (a SYN-ACK) came back through worker1, where conntrack un-SNATed its destination back to 10.244.1.27:60102 and un-DNATed its source back to 10.98.41.49:80, the address kubia-nwjcc had called.",
      "The rest of the exchange (ack, request, response, close) went the same way; curl exit 0, printing “You've hit kubia-nwjcc”.",
    ]);
  });

  it("fixed, kubia-zcpbb chosen: VXLAN to worker2's host-only address and back, un-DNATed; curl exit 0", () => {
    expect(story(load(SEED0, "fixed"), "kubia-nwjcc", CURL_SVC, "kubia-zcpbb")).toEqual([
      SENT,
      TO_ZCPBB,
      "The route 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink sent it into the VXLAN device flannel.1; the FDB said the VTEP for 6e:32:d0:ea:3a:f9 is 192.168.56.103, so worker1 wrapped it in UDP 192.168.56.102 → 192.168.56.103:8472 (VNI 1) and sent it out enp0s8 to worker2.",
      "worker2 unwrapped it on flannel.1 and routed it out cni0 to kubia-zcpbb, where it reached the listening socket http *:8080.",
      "The answer (a SYN-ACK from kubia-zcpbb) came back through VXLAN from worker2 (192.168.56.103) to worker1 (192.168.56.102), where conntrack un-DNATed its source back to 10.98.41.49:80, the address kubia-nwjcc had called.",
      "The rest of the exchange (ack, request, response, close) went the same way; curl exit 0, printing “You've hit kubia-zcpbb”.",
    ]);
  });

  it("a sampled draw says so, with the branch's probability", () => {
    const lines = story(load(SEED0, "fixed"), "kubia-nwjcc", CURL_SVC);
    expect(lines[1]).toMatch(/^On worker1, kube-proxy's KUBE-SVC-XCCRWSFD2BRL7CRI chain took branch [12] of 2 \(a random draw; it is taken with probability 50%\) and KUBE-SEP-/);
  });
});

describe("the story of other endings", () => {
  it("a timeout: the SYN leaves the world, is retransmitted, nothing comes back", () => {
    expect(story(load(low("syn-timeout.yaml")), "client", "curl -sS --connect-timeout 3 http://10.0.0.99")).toEqual([
      "client sent a TCP SYN to 10.0.0.99:80.",
      "It left client through eth0 (segment lan), out of the simulated world.",
      "One more like it was sent (SYN retransmission 1, at 1000 ms), with the same fate.",
      "Nothing came back; curl exit 28.",
    ]);
  });

  it("a timeout on the way: a router that does not forward", () => {
    expect(story(load(low("ip-forward-off.yaml")), "client", "curl -sS http://10.0.2.2")).toEqual([
      "client sent a TCP SYN to server (10.0.2.2:80).",
      "router dropped it because forwarding is off there (net.ipv4.ip_forward = 0).",
      "One more like it was sent (SYN retransmission 1, at 1000 ms), with the same fate.",
      "Nothing came back; curl exit 28.",
    ]);
  });

  it("a refused connection: nothing listens, a reset comes back, connect() fails with ECONNREFUSED", () => {
    expect(story(load(low("closed-port.yaml")), "client", "curl -sS http://10.0.0.2:81")).toEqual([
      "client sent a TCP SYN to server (10.0.0.2:81).",
      "Nothing listens on tcp port 81 on server, so server answered with a TCP reset; curl's connect() failed with ECONNREFUSED: curl exit 7.",
    ]);
  });

  it("a UDP datagram to a closed port draws ICMP port unreachable", () => {
    expect(story(load(low("closed-port.yaml")), "client", "nc -zuv -w 1 10.0.0.2 54")).toEqual([
      "client sent a UDP datagram to server (10.0.0.2:54).",
      "Nothing listens on udp port 54 on server, so server answered ICMP port unreachable; nc's socket failed with ECONNREFUSED: nc exit 1.",
    ]);
  });

  it("a ping across VXLAN that is answered, twice", () => {
    expect(story(load(low("vxlan-underlay-hostonly.yaml")), "pod1", "ping -c 2 -W 1 10.244.2.2")).toEqual([
      "pod1 sent an ICMP echo request to pod2 (10.244.2.2).",
      "On node1, the route 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink sent it into the VXLAN device flannel.1; the FDB said the VTEP for 02:fa:00:00:02:01 is 192.168.56.102, so node1 wrapped it in UDP 192.168.56.101 → 192.168.56.102:8472 (VNI 1) and sent it out enp0s8 to node2.",
      "node2 unwrapped it on flannel.1 and routed it out cni0 to pod2, where it reached the kernel, which answers echo requests itself.",
      "The answer (an ICMP echo reply from pod2) came back through VXLAN from node2 (192.168.56.102) to node1 (192.168.56.101).",
      "One more like it was sent (at 1000 ms), with the same fate.",
      "The command ended: ping exit 0.",
    ]);
  });

  it("a command that sent nothing says what the tool said", () => {
    expect(story(load(low("no-route.yaml")), "client", "ping -c 1 -W 1 198.51.100.7")).toEqual([
      "ping sent no packets (it said “ping: connect: Network is unreachable”); ping exit 2.",
    ]);
  });

  it("works without a world: addresses stay addresses", () => {
    const t: Trace = {
      id: 1,
      packet: "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], length 0, ttl 64",
      origin: "curl",
      startMs: 0,
      hops: [{ node: "a", steps: [{ kind: "exit-dev", dev: "eth0", packet: "x" }] }],
      disposition: { kind: "nf-drop", at: { node: "b", stage: "INPUT" }, rule: "filter:INPUT:rule:1" },
    };
    expect(tellStory({ traces: [t], app: "curl", exitCode: 28 })).toEqual([
      "a sent a TCP SYN to 10.0.0.2:80.",
      "b dropped it: iptables filter:INPUT:rule:1.",
      "Nothing came back; curl exit 28.",
    ]);
  });
});

describe("renderStoryText", () => {
  it("numbers the sentences under a heading; nothing for no sentences", () => {
    expect(renderStoryText(["a.", "b."])).toBe("What happened:\n  1. a.\n  2. b.\n");
    expect(renderStoryText([])).toBe("");
  });
});
