/**
 * Deployments as the controllers run them: the ReplicaSet makes `replicas` pods from the
 * template, named `<deployment>-<pod-template-hash>-<5>` (names.ts), and the scheduler places
 * each on the allowed node with the fewest pods of that Deployment (the default scoring spreads
 * a ReplicaSet's pods; ties go to the first node in file order). Scaling down removes the newest
 * pods first (the ReplicaSet controller's ranking for pods of equal readiness); a deleted pod is
 * replaced by a new one.
 */
import type { ClusterDeployment, ClusterModel, ClusterPod } from "./model.js";
import { replicaPodName } from "./names.js";

/** Adds pods to `d` until it has `replicas`, or removes its newest. */
function reconcile(m: ClusterModel, d: ClusterDeployment): { readonly pods: readonly ClusterPod[]; readonly deployment: ClusterDeployment; readonly added: readonly ClusterPod[]; readonly removed: readonly ClusterPod[] } {
  const mine = (p: ClusterPod): boolean => p.owner === d.name && p.namespace === d.namespace;
  let pods = [...m.pods];
  const added: ClusterPod[] = [];
  const removed: ClusterPod[] = [];
  let made = d.made;
  while (pods.filter(mine).length > d.replicas) {
    const newest = pods.filter(mine).at(-1)!;
    removed.push(newest);
    pods = pods.filter((p) => p !== newest);
  }
  while (pods.filter(mine).length < d.replicas) {
    const count = (node: string): number => pods.filter((p) => mine(p) && p.node === node).length;
    const node = d.nodes.reduce((best, n) => (count(n) < count(best) ? n : best), d.nodes[0]!);
    const pod: ClusterPod = { name: replicaPodName(m.seed, d.name, made), namespace: d.namespace, node, labels: d.labels, listen: d.listen, hostNetwork: false, owner: d.name, at: d.at };
    made += 1;
    added.push(pod);
    pods.push(pod);
  }
  return { pods, deployment: { ...d, made }, added, removed };
}

/** The model with every Deployment's pods made (at load). */
export function withDeploymentPods(m: ClusterModel): ClusterModel {
  let model = m;
  for (const d of m.deployments) {
    const r = reconcile(model, d);
    model = { ...model, pods: r.pods, deployments: model.deployments.map((x) => (x === d ? r.deployment : x)) };
  }
  return model;
}

/** After pods were deleted: each Deployment makes replacements. */
export function replaceDeleted(m: ClusterModel): { readonly model: ClusterModel; readonly added: readonly ClusterPod[] } {
  let model = m;
  const added: ClusterPod[] = [];
  for (const d of m.deployments) {
    const r = reconcile(model, model.deployments.find((x) => x.name === d.name && x.namespace === d.namespace)!);
    added.push(...r.added);
    model = { ...model, pods: r.pods, deployments: model.deployments.map((x) => (x.name === d.name && x.namespace === d.namespace ? r.deployment : x)) };
  }
  return { model, added };
}

/** `kubectl scale deployment NAME --replicas=N`. */
export function scaleDeployment(m: ClusterModel, namespace: string, name: string, replicas: number): { readonly model: ClusterModel; readonly said: string } {
  const d = m.deployments.find((x) => x.name === name && x.namespace === namespace);
  if (d === undefined) return { model: m, said: `Error from server (NotFound): deployments.apps "${name}" not found (nothing changed)` };
  const r = reconcile(m, { ...d, replicas });
  const model = { ...m, pods: r.pods, deployments: m.deployments.map((x) => (x === d ? r.deployment : x)) };
  const what = [...r.added.map((p) => `+${p.name} on ${p.node}`), ...r.removed.map((p) => `-${p.name}`)].join(", ");
  return { model, said: `deployment.apps/${name} scaled to ${replicas}${what ? `: ${what}` : ""}; endpoints and kube-proxy rules follow` };
}
