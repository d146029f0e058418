/**
 * When a process takes its next step after the packet work that its own syscall, or the event
 * that woke it, set off. On Linux that work runs in softirq before the syscall returns or the
 * woken task runs: a send through veth, bridge and loopback is carried through every namespace
 * of the host by the same net_rx_action, a REJECT's ICMP error coming back included. So the error
 * for the handshake's last ACK is in sk_err_soft when connect()'s poll returns, and the error for
 * a send that OUTPUT rejected is in the socket's error queue when sendmsg() returns EPERM.
 *
 * The simulator spends LINK_DELAY_MS of virtual time on every link crossing; a task resumes
 * TASK_RESUME_MS after what it waits on, by which time up to ten crossings have happened.
 */
import type { Netns } from "../netns/netns.js";
import { LINK_DELAY_MS } from "../sim/world.js";

export const TASK_RESUME_MS = 10 * LINK_DELAY_MS;

/** Runs `step` when the task would: after the softirq work now under way has finished. */
export function resumeTask(ns: Netns, step: () => void): void {
  ns.world.after(TASK_RESUME_MS, step);
}
