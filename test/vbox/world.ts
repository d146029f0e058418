/** Builds a VboxModel into a running world (failing the test on issues) and runs commands in it, one after the other. */
import type { ListenerSpec, WorldSpec } from "../../src/netns/spec.js";
import { runOn } from "../../src/sim/exec.js";
import type { ExecResult } from "../../src/sim/exec.js";
import type { World } from "../../src/sim/world.js";
import type { VboxModel } from "../../src/vbox/model.js";
import { vboxWorld } from "../../src/vbox/build.js";

export function spec(model: VboxModel): WorldSpec {
  const r = vboxWorld(model);
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 1));
  return r.value;
}

/** Each named guest answers HTTP on port 80 with its own name and the peer it sees, so a test can tell who answered. */
export function withGuestListeners(s: WorldSpec, vms: readonly string[]): WorldSpec {
  const listener = (vm: string): ListenerSpec => ({ kind: "http", port: 80, body: `${vm} sees {peer_ip}\n` });
  return { ...s, namespaces: s.namespaces.map((n) => (vms.includes(n.name) ? { ...n, listeners: [...n.listeners, listener(n.name)] } : n)) };
}

// A world built or the test failed, and expected lines: the view tests' helpers.
export { build as world, lines } from "../views/worlds.js";

export function run(w: World, ns: string, command: string): ExecResult {
  return runOn(w, ns, command).result;
}

export const OUTSIDE_HTTP: ListenerSpec = { kind: "http", port: 80, body: "outside sees {peer_ip}\n" };
