/**
 * A cluster's timeline as the control plane sees it: what a person did, phase after phase, and
 * what each component does about it. Pure state changes on the model; the namespaces of a phase
 * are built from the state by the cluster builder, as at the start.
 *
 *  - Editing the kube-flannel DaemonSet's args changes its pod template. With the apps/v1
 *    default `RollingUpdate`, the controller replaces every flannel pod, so each node's flanneld
 *    restarts with the new args; with `OnDelete`, a node keeps the args it started with until
 *    its pod is deleted.
 *  - Deleting a DaemonSet pod (flannel, kube-proxy) makes the controller start a new one: flanneld
 *    re-selects its interface and re-announces its lease, kube-proxy does a full sync. Deleting
 *    any other pod removes it; a Deployment's ReplicaSet makes a new one (deployments.ts).
 *  - `reboot` clears what does not survive a reboot: the `ip`/`iptables`/`sysctl` changes typed
 *    on that node (they write only the running kernel), and conntrack; the components start
 *    again with the state they find.
 *  - `iptables` typed on a node stays until reboot, except inside what a component owns:
 *    kube-proxy rewrites its chains at its next sync (resync.ts) — at its restart, at any
 *    Service/endpoint change, and at least hourly — and flanneld puts its rules back within 5 s.
 *  - `netplan apply` (or restarting systemd-networkd) removes routes networkd did not configure
 *    (ManageForeignRoutes=yes): flannel's onlink routes go, and flanneld's vxlan backend never
 *    checks them again; a new flannel pod adds them back.
 *  - `kubectl scale deployment` changes the Deployment's replicas: new pods are created (named
 *    and placed as the scheduler would), or the newest are removed; endpoints follow.
 *
 *  - `kubeadm join …` typed on a VM makes it a node at that moment (a node with a join action is
 *    outside the cluster until then): it gets the next pod subnet, its flanneld starts and
 *    programs every member; the running flanneld elsewhere program it in turn.
 *  - the fault `flannel-down` stops a node's flanneld (its pod crash-loops): what it programmed
 *    stays, but it no longer sees leases, so a node that joins later gets no route, neighbour or
 *    FDB entry there. A new flannel pod (deleted, rolled, or the node rebooted) programs them all.
 *
 * Not modelled yet: entries a flanneld leaves behind when a peer's lease goes away (nodes never
 * leave here), conntrack carried from one phase to the next.
 */
import type { Position } from "../../core/issue.js";
import type { ClusterModel, ClusterPod } from "./model.js";
import { replaceDeleted, scaleDeployment } from "./deployments.js";

export type TimelineAction =
  | { readonly kind: "edit-flannel-args"; readonly args: readonly string[]; readonly at: Position }
  | { readonly kind: "delete-pods"; readonly namespace: string; readonly names?: readonly string[]; readonly selector?: Readonly<Record<string, string>>; readonly at: Position }
  | { readonly kind: "restart-daemonset"; readonly namespace: string; readonly name: string; readonly at: Position }
  | { readonly kind: "reboot"; readonly node: string; readonly at: Position }
  | { readonly kind: "node-command"; readonly node: string; readonly tool: "ip" | "bridge" | "sysctl" | "iptables"; readonly text: string; readonly locate: (index: number) => Position; readonly at: Position }
  | { readonly kind: "netplan-apply"; readonly node: string; readonly at: Position }
  | { readonly kind: "scale"; readonly namespace: string; readonly name: string; readonly replicas: number; readonly at: Position }
  | { readonly kind: "join"; readonly node: string; readonly at: Position }
  | { readonly kind: "flannel-down"; readonly node: string; readonly at: Position };

/** A point on the timeline: virtual seconds, then the action's number (actions of one phase share its time). */
export interface Moment {
  readonly time: number;
  readonly tick: number;
}

/** A line typed on a node, and when. */
export interface Typed extends Moment {
  readonly action: Extract<TimelineAction, { kind: "node-command" }>;
}

export interface Phase {
  readonly name: string;
  /** Virtual seconds from the scenario's start. */
  readonly time: number;
  readonly actions: readonly TimelineAction[];
  readonly at: Position;
}

export interface ClusterState {
  /** The desired state: the DaemonSet's args, the pods that exist. */
  readonly model: ClusterModel;
  /** The args each node's running flanneld was started with. */
  readonly flannelArgs: ReadonlyMap<string, readonly string[]>;
  /** `ip`/`bridge`/`sysctl`/`iptables` lines typed on each node since its last boot, in order. */
  readonly typed: ReadonlyMap<string, readonly Typed[]>;
  /** When kube-proxy last synced on each node because something happened (absent: at its start, before the scenario). */
  readonly kubeProxySyncAt: ReadonlyMap<string, Moment>;
  /** When networkd last removed the foreign routes on each node (netplan apply), since boot. */
  readonly routesFlushedAt: ReadonlyMap<string, Moment>;
  /** How many times each node's flannel pod has been replaced (a new pod, a new name). */
  readonly flannelGen: ReadonlyMap<string, number>;
  /** When each node's current flannel pod started (virtual seconds). */
  readonly flannelStartedAt: ReadonlyMap<string, number>;
  /** Virtual seconds now (the time of the phase being applied). */
  readonly now: number;
  /** How many actions were applied before this one. */
  readonly tick: number;
  /** The cluster's nodes, in the order they joined (the file's order for those there from the start). */
  readonly members: readonly string[];
  /** When each late node joined (absent: there from the start). */
  readonly joinedAt: ReadonlyMap<string, Moment>;
  /** Nodes whose flanneld stopped, and when. */
  readonly flannelDownAt: ReadonlyMap<string, Moment>;
}

/** `late`: the nodes that join on the timeline (kubeadm join). */
export function initialState(model: ClusterModel, late: ReadonlySet<string> = new Set()): ClusterState {
  return {
    members: model.nodes.map((n) => n.name).filter((n) => !late.has(n)),
    joinedAt: new Map(),
    flannelDownAt: new Map(), model, flannelArgs: new Map(model.nodes.map((n) => [n.name, model.flannel.args])), typed: new Map(), kubeProxySyncAt: new Map(), routesFlushedAt: new Map(), flannelGen: new Map(), flannelStartedAt: new Map(), now: 0, tick: 0 };
}

/** The namespaces the DaemonSets run in, and which node a DaemonSet pod of each is on. */
export const FLANNEL_NS = "kube-flannel";
export const FLANNEL_DS = "kube-flannel-ds";

/** What one action does to the state, and a line saying so (`podpath run` prints it). */
export function applyAction(before: ClusterState, a: TimelineAction, flannelPodNode: (name: string) => string | undefined): { readonly state: ClusterState; readonly said: string } {
  const s: ClusterState = { ...before, tick: before.tick + 1 };
  switch (a.kind) {
    case "edit-flannel-args": {
      const model = { ...s.model, flannel: { ...s.model.flannel, args: a.args } };
      if (s.model.flannel.updateStrategy === "OnDelete") {
        return { state: { ...s, model }, said: `DaemonSet ${FLANNEL_DS} edited (OnDelete): running flannel pods keep their args until deleted` };
      }
      const flannelArgs = new Map(s.model.nodes.map((n) => [n.name, a.args] as const));
      return { state: { ...s, model, flannelArgs, ...restarted(s, s.members) }, said: `DaemonSet ${FLANNEL_DS} edited: the rolling update restarts flanneld on every node with ${a.args.join(" ")}` };
    }
    case "restart-daemonset": {
      if (a.namespace === FLANNEL_NS && a.name === FLANNEL_DS) {
        const flannelArgs = new Map(s.model.nodes.map((n) => [n.name, s.model.flannel.args] as const));
        return { state: { ...s, flannelArgs, ...restarted(s, s.members) }, said: `flanneld restarted on every node` };
      }
      return { state: { ...s, ...synced(s, s.model.nodes.map((n) => n.name)) }, said: `kube-proxy restarted on every node: full resync` };
    }
    case "delete-pods": {
      const flannelArgs = new Map(s.flannelArgs);
      const nodes: string[] = [];
      if (a.namespace === FLANNEL_NS) {
        // A selector matches all flannel pods or none: they share the template's labels.
        const bySelector = a.selector !== undefined && Object.entries(a.selector).every(([k, v]) => FLANNEL_LABELS[k] === v);
        for (const n of s.model.nodes.filter((x) => s.members.includes(x.name))) {
          const byName = a.names?.some((x) => flannelPodNode(x) === n.name) ?? false;
          if (byName || bySelector) {
            flannelArgs.set(n.name, s.model.flannel.args);
            nodes.push(n.name);
          }
        }
        return { state: { ...s, flannelArgs, ...restarted(s, nodes) }, said: `flannel pods deleted; new ones start on ${nodes.join(", ") || "no node"} with ${s.model.flannel.args.join(" ")}` };
      }
      const gone = (p: ClusterPod): boolean =>
        p.namespace === a.namespace && ((a.names?.includes(p.name) ?? false) || (a.selector !== undefined && Object.entries(a.selector).every(([k, v]) => p.labels[k] === v)));
      const removed = s.model.pods.filter(gone);
      const { model, added } = replaceDeleted({ ...s.model, pods: s.model.pods.filter((p) => !gone(p)) });
      const replaced = added.length > 0 ? `; their ReplicaSets made ${added.map((p) => `${p.name} on ${p.node}`).join(", ")}` : "";
      return { state: { ...s, model, ...synced(s, s.model.nodes.map((n) => n.name)) }, said: `pods deleted: ${removed.map((p) => p.name).join(", ") || "none matched"}${replaced}; endpoints and kube-proxy rules follow` };
    }
    case "reboot": {
      const typed = new Map(s.typed);
      typed.delete(a.node);
      const routesFlushedAt = new Map(s.routesFlushedAt);
      routesFlushedAt.delete(a.node);
      const flannelArgs = new Map(s.flannelArgs);
      flannelArgs.set(a.node, s.model.flannel.args);
      return {
        state: { ...s, typed, routesFlushedAt, flannelArgs, ...restarted(s, [a.node]), ...synced(s, [a.node]) },
        said: `${a.node} rebooted: typed ip/iptables/sysctl changes and conntrack are gone; flanneld, kubelet and kube-proxy start again`,
      };
    }
    case "node-command": {
      const typed = new Map(s.typed);
      typed.set(a.node, [...(typed.get(a.node) ?? []), { action: a, time: s.now, tick: s.tick }]);
      return { state: { ...s, typed }, said: `${a.node}$ ${a.text}` };
    }
    case "netplan-apply": {
      const routesFlushedAt = new Map(s.routesFlushedAt);
      routesFlushedAt.set(a.node, { time: s.now, tick: s.tick });
      return { state: { ...s, routesFlushedAt }, said: `${a.node}: systemd-networkd reconfigured the links and removed the routes it did not configure (flannel's among them)` };
    }
    case "join": {
      if (s.members.includes(a.node)) return { state: s, said: `${a.node}: kubeadm join fails — the node is already in the cluster (nothing changed)` };
      const joinedAt = new Map(s.joinedAt);
      joinedAt.set(a.node, { time: s.now, tick: s.tick });
      return { state: { ...s, members: [...s.members, a.node], joinedAt, ...restarted(s, [a.node]), ...synced(s, [a.node]) }, said: `${a.node} joined the cluster: it gets the next pod subnet; flanneld and kube-proxy start on it` };
    }
    case "flannel-down": {
      const flannelDownAt = new Map(s.flannelDownAt);
      flannelDownAt.set(a.node, { time: s.now, tick: s.tick });
      return { state: { ...s, flannelDownAt }, said: `${a.node}: flanneld stopped (its pod crash-loops); what it programmed stays, nodes joining from now on get no route there` };
    }
    case "scale": {
      const r = scaleDeployment(s.model, a.namespace, a.name, a.replicas);
      return { state: { ...s, model: r.model, ...synced(s, s.model.nodes.map((n) => n.name)) }, said: r.said };
    }
  }
}

/** The labels of kube-flannel.yml's pod template. */
export const FLANNEL_LABELS: Readonly<Record<string, string>> = { app: "flannel", "k8s-app": "flannel", tier: "node" };

/** kube-proxy on `nodes` syncs now. */
function synced(s: ClusterState, nodes: readonly string[]): Pick<ClusterState, "kubeProxySyncAt"> {
  const at = new Map(s.kubeProxySyncAt);
  for (const n of nodes) at.set(n, { time: s.now, tick: s.tick });
  return { kubeProxySyncAt: at };
}

/** New flannel pods on `nodes`: a new generation (name) and start time each; a stopped flanneld runs again. */
function restarted(s: ClusterState, nodes: readonly string[]): Pick<ClusterState, "flannelGen" | "flannelStartedAt" | "flannelDownAt"> {
  const gen = new Map(s.flannelGen);
  const started = new Map(s.flannelStartedAt);
  const down = new Map(s.flannelDownAt);
  for (const n of nodes) {
    gen.set(n, (gen.get(n) ?? 0) + 1);
    started.set(n, s.now);
    down.delete(n);
  }
  return { flannelGen: gen, flannelStartedAt: started, flannelDownAt: down };
}

/** For each node whose flanneld is down: the peers it had programmed (members that joined before it stopped). */
export function frozenPeers(s: ClusterState): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [node, down] of s.flannelDownAt) {
    const seen = s.members.filter((m) => {
      const j = s.joinedAt.get(m);
      return j === undefined || j.time < down.time || (j.time === down.time && j.tick < down.tick);
    });
    out.set(node, new Set(seen));
  }
  return out;
}
