import { describe, expect, it } from "vitest";
import type { Step, Trace } from "../../src/trace/types.js";
import { renderTracesJson, traceToJson } from "../../src/trace/render-json.js";

describe("render-json", () => {
  it("keeps one key order whatever order the objects were built in", () => {
    const a: Step = { kind: "vxlan-fdb", dev: "flannel.1", mac: "02:fa:00:00:02:01", dst: "10.0.2.15", entry: "e" };
    const b = { entry: "e", dst: "10.0.2.15", mac: "02:fa:00:00:02:01", dev: "flannel.1", kind: "vxlan-fdb" } as Step;
    const t = (s: Step, id: number): Trace => ({
      id,
      packet: "IP a > b",
      origin: "ping",
      startMs: 0,
      hops: [{ node: "node1", steps: [s] }],
      disposition: { reason: "r", at: { stage: "vxlan_xmit", node: "node1" }, kind: "dropped" } as Trace["disposition"] & object,
    });
    const ja = JSON.stringify(traceToJson(t(a, 1)));
    const jb = JSON.stringify(traceToJson(t(b, 1)));
    expect(ja).toBe(jb);
    expect(ja).toBe(
      '{"id":1,"origin":"ping","packet":"IP a > b","cause":null,"forkOf":null,"startMs":0,' +
        '"hops":[{"node":"node1","steps":[{"kind":"vxlan-fdb","dev":"flannel.1","dst":"10.0.2.15","entry":"e","mac":"02:fa:00:00:02:01"}]}],' +
        '"disposition":{"kind":"dropped","at":{"node":"node1","stage":"vxlan_xmit"},"reason":"r"}}',
    );
  });

  it("gives every trace the same keys: links and a missing disposition are null", () => {
    const t: Trace = { id: 2, packet: "p", origin: "icmp error", cause: 1, startMs: 0.5, hops: [] };
    expect(traceToJson(t)).toEqual({ id: 2, origin: "icmp error", packet: "p", cause: 1, forkOf: null, startMs: 0.5, hops: [], disposition: null });
  });

  it("renders a list that parses back", () => {
    const t: Trace = {
      id: 1,
      packet: "p",
      origin: "ping",
      startMs: 0,
      hops: [{ node: "sw", steps: [{ kind: "bridge", bridge: "br0", action: "flood", mac: "m", ports: ["p2", "p3"] }] }],
      disposition: { kind: "delivered", at: { node: "h2", stage: "icmp_rcv" }, to: "x" },
    };
    const back = JSON.parse(renderTracesJson([t])) as unknown[];
    expect(back).toEqual([traceToJson(t)]);
    expect(renderTracesJson([t]).endsWith("}\n]\n")).toBe(true);
  });
});
