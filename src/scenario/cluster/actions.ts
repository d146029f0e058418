/**
 * A timeline action as a person types it, read into a TimelineAction (never executed): the few
 * kubectl commands that change what the network components do, a reboot, and the low-level
 * `ip` / `bridge` / `sysctl` lines the packet-path scenarios already understand (checked when
 * the phase's world is built, with their positions inside the `run:` string).
 *
 *   kubectl [-n NS] edit ds|daemonset NAME              (with `args:` — what was saved in the editor)
 *   kubectl [-n NS] delete pod|pods|po NAME… | -l K=V[,K=V]
 *   kubectl [-n NS] rollout restart ds|daemonset NAME
 *   kubectl [-n NS] scale deploy|deployment NAME --replicas=N   (also deployment/NAME)
 *   [sudo] reboot | [sudo] systemctl reboot | [sudo] shutdown -r now
 *   [sudo] netplan apply | [sudo] systemctl restart systemd-networkd
 *   [sudo] kubeadm join …                                       (the VM becomes a node)
 *   fault: flannel-down                                         (instead of run: flanneld stops)
 *   [sudo] ip … | bridge … | sysctl -w … | iptables …
 */
import type { Position } from "../../core/issue.js";
import { splitCommandLine } from "../../apps/registry.js";
import type { TimelineAction } from "../../k8s/cluster/timeline.js";
import { FLANNEL_DS, FLANNEL_NS } from "../../k8s/cluster/timeline.js";

export interface ActionInput {
  readonly on: string;
  readonly run: string;
  readonly args?: readonly string[];
  readonly at: Position;
  readonly locate: (index: number) => Position;
}

export type ParsedAction = { readonly ok: true; readonly action: TimelineAction } | { readonly ok: false; readonly message: string };

const MODELLED =
  "expected one of: kubectl edit ds kube-flannel-ds (with args:), kubectl delete pod …, kubectl rollout restart ds …, kubectl scale deployment … --replicas=N, kubeadm join …, reboot, netplan apply, ip …, bridge …, sysctl -w …, iptables …";

function parseSelector(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of text.split(",")) {
    const m = /^([^=!]+)==?(.*)$/.exec(part.trim());
    if (!m) return undefined;
    out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

function kubectl(words: readonly string[], a: ActionInput): ParsedAction {
  let namespace = "default";
  const rest: string[] = [];
  let selector: Record<string, string> | undefined;
  let replicas: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "--replicas") replicas = words[++i] ?? "";
    else if (w.startsWith("--replicas=")) replicas = w.slice("--replicas=".length);
    else if (w === "-n" || w === "--namespace") namespace = words[++i] ?? "";
    else if (w.startsWith("--namespace=")) namespace = w.slice("--namespace=".length);
    else if (w === "-l" || w === "--selector") {
      const s = parseSelector(words[++i] ?? "");
      if (!s) return { ok: false, message: `kubectl: a selector is key=value[,key=value], found ${JSON.stringify(words[i] ?? "")}` };
      selector = s;
    } else if (w.startsWith("-")) return { ok: false, message: `kubectl: option ${w} is not modelled` };
    else rest.push(w);
  }
  const [verb, ...objs] = rest;
  const isDs = (t: string | undefined): boolean => t === "ds" || t === "daemonset" || t === "daemonsets" || t === "daemonset.apps";
  if (verb === "edit") {
    if (!isDs(objs[0]) || objs.length !== 2) return { ok: false, message: `kubectl edit: only "kubectl -n ${FLANNEL_NS} edit ds ${FLANNEL_DS}" is modelled` };
    if (namespace !== FLANNEL_NS || objs[1] !== FLANNEL_DS) return { ok: false, message: `kubectl edit: only the flannel DaemonSet (${FLANNEL_NS}/${FLANNEL_DS}) is modelled, found ${namespace}/${objs[1]}` };
    if (a.args === undefined) return { ok: false, message: `kubectl edit ds ${FLANNEL_DS}: say what was saved in the editor with "args:" (the container's new args)` };
    return { ok: true, action: { kind: "edit-flannel-args", args: a.args, at: a.at } };
  }
  if (a.args !== undefined) return { ok: false, message: `"args:" goes only with kubectl edit ds ${FLANNEL_DS}` };
  if (verb === "delete") {
    const [type, ...names] = objs;
    if (type !== "pod" && type !== "pods" && type !== "po") return { ok: false, message: `kubectl delete: only pods are modelled, found ${JSON.stringify(type ?? "")}` };
    if (names.length === 0 && selector === undefined) return { ok: false, message: "kubectl delete pods: name the pods or give -l key=value" };
    return { ok: true, action: { kind: "delete-pods", namespace, ...(names.length > 0 ? { names } : {}), ...(selector ? { selector } : {}), at: a.at } };
  }
  if (verb === "scale") {
    const isDeploy = (t: string | undefined): boolean => t === "deploy" || t === "deployment" || t === "deployments" || t === "deployment.apps";
    const slash = objs.length === 1 ? /^([^/]+)\/(.+)$/.exec(objs[0]!) : null;
    const name = slash && isDeploy(slash[1]) ? slash[2] : objs.length === 2 && isDeploy(objs[0]) ? objs[1] : undefined;
    if (name === undefined) return { ok: false, message: `kubectl scale: only Deployments are modelled (kubectl scale deployment NAME --replicas=N), found ${JSON.stringify(objs.join(" "))}` };
    if (replicas === undefined || !/^\d+$/.test(replicas)) return { ok: false, message: `kubectl scale: --replicas=COUNT is required (a whole number), found ${JSON.stringify(replicas ?? "")}` };
    return { ok: true, action: { kind: "scale", namespace, name, replicas: Number(replicas), at: a.at } };
  }
  if (replicas !== undefined) return { ok: false, message: "kubectl: --replicas goes only with kubectl scale" };
  if (verb === "rollout" && objs[0] === "restart" && isDs(objs[1]) && objs.length === 3) {
    const name = objs[2]!;
    const known = (namespace === FLANNEL_NS && name === FLANNEL_DS) || (namespace === "kube-system" && name === "kube-proxy");
    if (!known) return { ok: false, message: `kubectl rollout restart: only ds ${FLANNEL_DS} (-n ${FLANNEL_NS}) and ds kube-proxy (-n kube-system) are modelled` };
    return { ok: true, action: { kind: "restart-daemonset", namespace, name, at: a.at } };
  }
  return { ok: false, message: `kubectl ${rest.join(" ")}: not a modelled action; ${MODELLED}` };
}

export function parseAction(a: ActionInput): ParsedAction {
  let words = splitCommandLine(a.run);
  if (words[0] === "sudo") words = words.slice(1);
  const [cmd, ...rest] = words;
  if (cmd === "kubectl") return kubectl(rest, a);
  if (a.args !== undefined) return { ok: false, message: `"args:" goes only with kubectl edit ds ${FLANNEL_DS}` };
  const joined = words.join(" ");
  if (joined === "reboot" || joined === "systemctl reboot" || joined === "shutdown -r now") return { ok: true, action: { kind: "reboot", node: a.on, at: a.at } };
  if (cmd === "kubeadm" && rest[0] === "join") return { ok: true, action: { kind: "join", node: a.on, at: a.at } };
  if (joined === "netplan apply" || joined === "systemctl restart systemd-networkd") return { ok: true, action: { kind: "netplan-apply", node: a.on, at: a.at } };
  if (cmd === "ip" || cmd === "bridge" || cmd === "sysctl" || cmd === "iptables") {
    return { ok: true, action: { kind: "node-command", node: a.on, tool: cmd, text: a.run, locate: a.locate, at: a.at } };
  }
  return { ok: false, message: `${JSON.stringify(a.run)} is not a modelled action; ${MODELLED}` };
}
