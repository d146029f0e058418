/**
 * The host end's name, as containernetworking/plugins pkg/ip names it: RandomVethName is "veth"
 * followed by 4 random bytes in hex (fmt "veth%x": always 8 digits); makeVeth draws again when
 * the name is taken in the host namespace, up to 10 times. crypto/rand becomes the seeded stream,
 * one fork per ADD on the node, so names do not shift when another pod is added or removed.
 */
import type { Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import type { Position } from "../../core/issue.js";
import { makeRng } from "../../core/rng.js";

export function randomVethName(seed: string, label: string): string {
  const rng = makeRng(seed).fork(label);
  let s = "veth";
  for (let i = 0; i < 4; i++) s += rng.int(0, 255).toString(16).padStart(2, "0");
  return s;
}

/** makeVeth's retry loop: ten draws, each refused if the host already has a link by that name. */
export function hostVethName(seed: string, label: string, taken: ReadonlySet<string>, at: Position): Result<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const name = randomVethName(seed, `${label}/${attempt}`);
    if (!taken.has(name)) return ok(name);
  }
  return fail([{ code: "veth-name", at, message: "failed to find a unique veth name" }]);
}
