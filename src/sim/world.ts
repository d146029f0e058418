/**
 * The simulated world: namespaces, L2 segments, virtual time and the trace log. Everything
 * that happens is an event on one queue; a run is a pure function of the scenario and the seed.
 */
import type { Rng } from "../core/rng.js";
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import { TraceLog } from "../trace/recorder.js";
import { EventQueue } from "./events.js";
import type { Chooser } from "../netfilter/choice.js";
import { SampleChooser } from "../netfilter/choice.js";
import type { ClusterView } from "../k8s/cluster/view.js";

/** Time a frame takes to cross one link (veth, segment). Small and fixed, so order is stable. */
export const LINK_DELAY_MS = 0.01;

export class World {
  readonly namespaces = new Map<string, Netns>();
  /** Segment name → NICs plugged into it. */
  readonly segments = new Map<string, Device[]>();
  readonly queue = new EventQueue();
  readonly log = new TraceLog();
  /** Where iptables' `statistic --mode random` gets its coin flips (netfilter/choice.ts). */
  chooser: Chooser;
  /** Trace every iptables rule walked, matched or not (`podpath trace --all-rules`). */
  traceAllRules = false;
  /** The cluster's API objects, for kubectl (cluster scenarios only). */
  cluster: ClusterView | undefined;

  constructor(
    readonly name: string,
    readonly rng: Rng,
  ) {
    this.chooser = new SampleChooser(rng.fork("statistic"));
  }

  get now(): number {
    return this.queue.now;
  }

  after(ms: number, run: () => void): void {
    this.queue.schedule(this.queue.now + ms, run);
  }

  ns(name: string): Netns | undefined {
    return this.namespaces.get(name);
  }
}
