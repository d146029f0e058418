/**
 * Ephemeral ports and ICMP identifiers, drawn from a per-namespace stream of the seeded RNG
 * within the kernel's default ip_local_port_range (32768–60999).
 */
import type { Rng } from "../core/rng.js";
import type { Netns } from "../netns/netns.js";

const streams = new WeakMap<Netns, Rng>();

function stream(ns: Netns): Rng {
  let r = streams.get(ns);
  if (!r) {
    r = ns.world.rng.fork(`ports/${ns.name}`);
    streams.set(ns, r);
  }
  return r;
}

export function ephemeralPort(ns: Netns, inUse: (p: number) => boolean = () => false): number {
  const r = stream(ns);
  for (;;) {
    const p = r.int(32768, 60999);
    if (!inUse(p)) return p;
  }
}

export function icmpIdent(ns: Netns): number {
  return stream(ns).int(1, 65535);
}
