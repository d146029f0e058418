/**
 * Builds traces while packets move: each packet copy holds a TraceHandle; a step recorded in a
 * different namespace than the last one opens a new hop. A flooded frame forks its handle, so
 * every copy ends with its own disposition.
 */
import type { Disposition, Hop, Step, Trace } from "./types.js";

export class TraceLog {
  readonly traces: Trace[] = [];

  start(origin: string, packet: string, startMs: number, cause?: TraceHandle): TraceHandle {
    const trace: Trace = { id: this.traces.length + 1, packet, origin, startMs, hops: [], ...(cause ? { cause: cause.trace.id } : {}) };
    this.traces.push(trace);
    return new TraceHandle(this, trace);
  }
}

export class TraceHandle {
  constructor(
    private readonly log: TraceLog,
    readonly trace: Trace,
  ) {}

  get ended(): boolean {
    return this.trace.disposition !== undefined;
  }

  /** False for a handle that drops steps (benchmarks, sweeps): callers may skip building them. */
  get recording(): boolean {
    return true;
  }

  step(node: string, step: Step): void {
    const hops = this.trace.hops;
    let hop: Hop | undefined = hops[hops.length - 1];
    if (!hop || hop.node !== node) {
      hop = { node, steps: [] };
      hops.push(hop);
    }
    hop.steps.push(step);
  }

  end(d: Disposition): void {
    if (this.trace.disposition === undefined) this.trace.disposition = d;
  }

  /** A copy for one more output of a flood: same history so far, its own future. */
  fork(): TraceHandle {
    const t = this.trace;
    const copy: Trace = {
      id: this.log.traces.length + 1,
      packet: t.packet,
      origin: t.origin,
      startMs: t.startMs,
      forkOf: t.id,
      hops: t.hops.map((h) => ({ node: h.node, steps: [...h.steps] })),
      ...(t.cause !== undefined ? { cause: t.cause } : {}),
    };
    this.log.traces.push(copy);
    return new TraceHandle(this.log, copy);
  }
}

/** A handle that keeps only the disposition: for runs where nobody reads the steps. */
export class DiscardingTrace extends TraceHandle {
  constructor() {
    super(new TraceLog(), { id: 0, packet: "", origin: "", startMs: 0, hops: [] });
  }
  override get recording(): boolean {
    return false;
  }
  override step(): void {}
  override fork(): TraceHandle {
    return new DiscardingTrace();
  }
}
