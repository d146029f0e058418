/**
 * Generated object names, as the controllers make them: a DaemonSet's pods are `<ds>-<5>`, a
 * Deployment's `<deploy>-<pod-template-hash>-<5>`, with characters from apimachinery's
 * util/rand alphabet (consonants and digits without vowels or look-alikes). Drawn from the
 * scenario seed, one stream per object, so adding a pod never renames another.
 */
import { makeRng } from "../../core/rng.js";

const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function randomSuffix(seed: string, label: string, length = 5): string {
  const rng = makeRng(seed).fork(`name/${label}`);
  let s = "";
  for (let i = 0; i < length; i++) s += ALPHABET[rng.int(0, ALPHABET.length - 1)];
  return s;
}

/** A DaemonSet pod on one node. */
export const daemonSetPodName = (seed: string, ds: string, node: string): string => `${ds}-${randomSuffix(seed, `${ds}/${node}`)}`;

/** The ReplicaSet of a Deployment (its pod-template-hash) and its i-th pod. */
export const replicaSetName = (seed: string, deploy: string): string => `${deploy}-${randomSuffix(seed, `${deploy}/hash`, 10)}`;
export const replicaPodName = (seed: string, deploy: string, i: number): string => `${replicaSetName(seed, deploy)}-${randomSuffix(seed, `${deploy}/${i}`)}`;

/** The kube-flannel-ds pod on a node; each replacement (generation) is a new pod with a new name. */
export const flannelPodName = (seed: string, node: string, generation: number): string =>
  daemonSetPodName(seed, "kube-flannel-ds", generation === 0 ? node : `${node}#${generation}`);
