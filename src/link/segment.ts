/**
 * An L2 segment (a switch, a VirtualBox internal / host-only / NAT network): frames from one NIC
 * reach the NIC that owns the destination MAC; broadcasts, multicasts and unknown unicasts
 * reach every other NIC. A unicast frame for a MAC nobody on the segment owns is still offered
 * to NICs enslaved to a bridge (they are promiscuous); if there are none it is lost here.
 */
import { BROADCAST_MAC, isMulticastMac } from "../core/ip.js";
import type { Device } from "../netns/device.js";
import type { TraceHandle } from "../trace/recorder.js";
import type { EthFrame } from "../wire/packet.js";
import { netifReceive } from "./receive.js";

export function segmentDeliver(from: Device, frame: EthFrame, trace: TraceHandle): void {
  const world = from.ns.world;
  const nics = (world.segments.get(from.segment!) ?? []).filter((d) => d !== from && d.up);
  const flood = frame.dst === BROADCAST_MAC || isMulticastMac(frame.dst);
  const owner = flood ? undefined : nics.find((d) => d.mac === frame.dst);
  const targets = flood ? nics : owner ? [owner] : nics.filter((d) => d.master !== undefined);
  if (targets.length === 0) {
    trace.end({ kind: "exits-world", at: { node: from.ns.name, stage: `segment ${from.segment}` }, dev: from.name });
    return;
  }
  // Fork before delivering: each copy carries the history up to here, not its siblings' steps.
  const handles = targets.map((_, i) => (i === 0 ? trace : trace.fork()));
  targets.forEach((nic, i) => netifReceive(nic, frame, handles[i]!));
}
