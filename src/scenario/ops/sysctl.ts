/**
 * sysctls: `sysctl -w key=value` and structured `sysctls:`.
 *
 * Owns key normalisation (the /proc/sys path form `net/ipv4/ip_forward` becomes dots) and storage:
 * values stay the strings the kernel reads. Unknown keys are not checked — the set depends on
 * the kernel and its modules; the kernel harness will say if one does not exist.
 */
import { nsOf, type WorldDraft } from "./world.js";
import type { Refusal } from "../issues.js";

export function normaliseSysctlKey(key: string): string {
  return key.includes("/") ? key.replace(/^\/?(proc\/sys\/)?/, "").replaceAll("/", ".") : key;
}

export function setSysctl(w: WorldDraft, nsName: string, key: string, value: string): Refusal | undefined {
  nsOf(w, nsName).sysctls[normaliseSysctlKey(key)] = value;
  return undefined;
}
