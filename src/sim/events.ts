/**
 * The event queue of virtual time: a binary heap ordered by (time, insertion order), so events
 * at the same instant run in the order they were scheduled and every run is reproducible.
 */
interface Event {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

export class EventQueue {
  private heap: Event[] = [];
  private seq = 0;
  now = 0;

  schedule(at: number, run: () => void): void {
    const e = { at: Math.max(at, this.now), seq: this.seq++, run };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  get size(): number {
    return this.heap.length;
  }

  /** Runs events in order until none is left or the next one lies after `until`. Returns how many ran. */
  runUntil(until = Infinity, maxEvents = 5_000_000): number {
    let n = 0;
    while (this.heap.length > 0 && this.heap[0]!.at <= until && n < maxEvents) {
      const e = this.pop();
      this.now = e.at;
      e.run();
      n++;
    }
    if (until !== Infinity && this.now < until && (this.heap.length === 0 || this.heap[0]!.at > until)) this.now = until;
    return n;
  }

  private pop(): Event {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Event, b: Event): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
