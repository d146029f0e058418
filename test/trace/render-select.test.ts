import { describe, expect, it } from "vitest";
import type { Disposition, Trace } from "../../src/trace/types.js";
import { selectTraces } from "../../src/trace/render-select.js";

const at = { node: "n", stage: "s" };
const delivered: Disposition = { kind: "delivered", at, to: "x" };
const ignored: Disposition = { kind: "not-for-us", at, reason: "PACKET_OTHERHOST" };

function t(id: number, origin: string, disposition: Disposition, links: { cause?: number; forkOf?: number } = {}): Trace {
  return { id, packet: `p${id}`, origin, startMs: 0, hops: [], disposition, ...links };
}
const ids = (ts: readonly Trace[]) => ts.map((x) => x.id);

describe("selectTraces", () => {
  it("keeps the command's packets and what they caused, hides ARP", () => {
    const traces = [t(1, "ping", delivered), t(2, "arp", delivered, { cause: 1 }), t(3, "arp", delivered, { cause: 2 }), t(4, "echo reply", delivered, { cause: 1 })];
    const s = selectTraces(traces);
    expect(ids(s.shown)).toEqual([1, 4]);
    expect(ids(s.hidden)).toEqual([2, 3]);
  });

  it("hides flood copies a host ignored, and what such hidden traces caused", () => {
    const traces = [t(1, "ping", ignored), t(2, "ping", delivered, { forkOf: 1 }), t(3, "ping", ignored, { forkOf: 1 }), t(4, "echo reply", delivered, { cause: 2 }), t(5, "icmp error", delivered, { cause: 3 })];
    const s = selectTraces(traces);
    expect(ids(s.shown)).toEqual([2, 4]);
    expect(ids(s.hidden)).toEqual([1, 3, 5]);
  });

  it("keeps the first copy when every copy of a flood was ignored", () => {
    const traces = [t(1, "ping", ignored), t(2, "ping", ignored, { forkOf: 1 }), t(3, "ping", ignored, { forkOf: 2 })];
    expect(ids(selectTraces(traces).shown)).toEqual([1]);
  });

  it("shows everything with all", () => {
    const traces = [t(1, "ping", ignored), t(2, "arp", delivered, { cause: 1 }), t(3, "ping", delivered, { forkOf: 1 })];
    const s = selectTraces(traces, { all: true });
    expect(ids(s.shown)).toEqual([1, 2, 3]);
    expect(s.hidden).toEqual([]);
  });
});
