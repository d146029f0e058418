/**
 * A node's state on top of what the components built: its own config (`commands:`, `sysctls:`
 * in the file), then what the timeline did to it since boot, in time order — the lines typed on
 * it, interleaved with what the components and networkd did about them:
 *
 *  - kube-proxy's syncs rewrite its chains over typed iptables changes (k8s/cluster/resync.ts):
 *    the last sync an event caused (its restart, a reboot, an endpoint change), or the hourly
 *    one, whichever is later;
 *  - flanneld puts its rules back within --iptables-resync (5 s), so by any later phase;
 *  - `netplan apply` removes the routes networkd did not configure (`proto boot`: flannel's and
 *    hand-added ones) — unless flanneld started after it, in which case its routes are new.
 *
 * Commands are checked (and refusals reported at their place in the file) as in the low-level
 * format (scenario/commands).
 */
import { castDraft } from "immer";
import type { NetnsSpec, RouteSpec, WorldSpec } from "../../netns/spec.js";
import { TABLE_MAIN } from "../../netns/spec.js";
import type { Ruleset } from "../../netfilter/rule.js";
import { printIptablesSave } from "../../netfilter/syntax/save.js";
import type { BuiltNode } from "../../k8s/cluster/build.js";
import { FLANNEL_IPTABLES_RESYNC_S, flannelResync, kubeProxySync, KUBE_PROXY_MAX_SYNC_INTERVAL_S } from "../../k8s/cluster/resync.js";
import type { ClusterState, Moment, Typed } from "../../k8s/cluster/timeline.js";
import { runCommands } from "../commands/run.js";
import type { IssueSink } from "../issues.js";

type Event = Moment & { readonly apply: (ns: NetnsSpec) => NetnsSpec };

/** A periodic check at `time` comes after everything typed before that time. */
const periodic = (time: number): Moment => ({ time, tick: -Infinity });
const before = (a: Moment, b: Moment): boolean => a.time < b.time || (a.time === b.time && a.tick < b.tick);

function mapNs(world: WorldSpec, name: string, f: (ns: NetnsSpec) => NetnsSpec): WorldSpec {
  return { ...world, namespaces: world.namespaces.map((ns) => (ns.name === name ? f(ns) : ns)) };
}

function withRules(ns: NetnsSpec, f: (rs: Ruleset) => Ruleset): NetnsSpec {
  if (ns.iptables === undefined) return ns;
  const ruleset = f(ns.iptables.ruleset);
  return ruleset === ns.iptables.ruleset ? ns : { ...ns, iptables: { ...ns.iptables, ruleset: castDraft(ruleset), text: printIptablesSave(ruleset) } };
}

/** The world with every node's config and timeline changes applied. */
export function replayNodes(world: WorldSpec, state: ClusterState, built: readonly BuiltNode[], sink: IssueSink): WorldSpec {
  for (const b of built) {
    const n = b.node;
    if (Object.keys(n.sysctls).length > 0) world = mapNs(world, n.name, (ns) => ({ ...ns, sysctls: { ...ns.sysctls, ...n.sysctls } }));
    world = runCommands(world, n.name, n.commands, sink);

    const typed: readonly Typed[] = state.typed.get(n.name) ?? [];
    const events: Event[] = [];
    const hasIptables = typed.some((t) => t.action.tool === "iptables");
    if (hasIptables && b.kubeProxy !== undefined) {
      const own = b.kubeProxy;
      const hourly = periodic(state.now - KUBE_PROXY_MAX_SYNC_INTERVAL_S);
      const last = state.kubeProxySyncAt.get(n.name);
      events.push({ ...(last !== undefined && before(hourly, last) ? last : hourly), apply: (ns) => withRules(ns, (rs) => kubeProxySync(rs, own)) });
    }
    const fl = b.flannel;
    if (hasIptables && fl?.kind === "running" && fl.iptables !== undefined) {
      const own = fl.iptables.ruleset;
      events.push({ ...periodic(state.now - FLANNEL_IPTABLES_RESYNC_S), apply: (ns) => withRules(ns, (rs) => flannelResync(rs, own)) });
    }
    const flushed = state.routesFlushedAt.get(n.name);
    const flannelStart = state.flannelStartedAt.get(n.name) ?? -Infinity;
    if (flushed !== undefined) {
      // A flanneld started since then wrote its routes afresh: those stay.
      const fresh = flannelStart >= flushed.time && fl?.kind === "running" ? fl.state.routes : [];
      const kept = (r: RouteSpec): boolean => r.table !== TABLE_MAIN || r.proto !== "boot" || fresh.some((f) => f.dst === r.dst && f.len === r.len && f.dev === r.dev);
      events.push({ ...flushed, apply: (ns) => ({ ...ns, routes: ns.routes.filter(kept) }) });
    }
    events.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));

    // Each event acts on what was typed before it; what was typed at or after it stays.
    let next = 0;
    const typeUntil = (m: Moment): void => {
      const batch: Typed[] = [];
      while (next < typed.length && before(typed[next]!, m)) batch.push(typed[next++]!);
      if (batch.length > 0) world = runCommands(world, n.name, batch.map((t) => ({ text: t.action.text, at: t.action.locate })), sink);
    };
    for (const e of events) {
      typeUntil(e);
      world = mapNs(world, n.name, e.apply);
    }
    typeUntil({ time: Infinity, tick: Infinity });
  }
  return world;
}
