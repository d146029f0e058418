/**
 * The one source of randomness. Every random choice in a run (MAC addresses, ephemeral ports,
 * ICMP ids, the iptables `statistic` match) draws from a stream derived from the scenario seed,
 * so the same scenario and seed give byte-identical traces.
 */
import seedrandom from "seedrandom";
import type { Mac } from "./ip.js";

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** An independent stream for one purpose, so adding draws in one place never shifts another. */
  fork(label: string): Rng;
}

export function makeRng(seed: string | number): Rng {
  const s = String(seed);
  const g = seedrandom(s);
  return {
    next: () => g.quick(),
    int: (lo, hi) => lo + Math.floor(g.quick() * (hi - lo + 1)),
    fork: (label) => makeRng(`${s}/${label}`),
  };
}

/** A locally administered unicast MAC, as the kernel's eth_random_addr gives. */
export function randomMac(rng: Rng): Mac {
  const b: number[] = [];
  for (let i = 0; i < 6; i++) b.push(rng.int(0, 255));
  b[0] = (b[0]! & 0xfe) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":") as Mac;
}
