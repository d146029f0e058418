/**
 * The five IPv4 netfilter hooks and the contract a ruleset engine fulfils at each of them.
 *
 *   PREROUTING ── route input ──┬── INPUT ──────── local sockets
 *                               └── FORWARD ─┐
 *   local send ── route ── OUTPUT ── reroute ┴── POSTROUTING ── neighbour ── xmit
 *
 * Until a ruleset is loaded every namespace uses `acceptAll`, which matches the kernel with
 * empty tables and ACCEPT policies: nothing is recorded and nothing changes. The netfilter
 * engine (a later change) plugs in through `Netfilter` without touching the packet path.
 */
import type { Device } from "../netns/device.js";
import type { Netns } from "../netns/netns.js";
import type { Skb } from "../ipv4/skb.js";

export type NfHook = "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING";

export type NfVerdict =
  | { readonly kind: "accept" }
  | { readonly kind: "drop"; readonly rule: string }
  | { readonly kind: "reject"; readonly rule: string; readonly with: string };

export interface Netfilter {
  /** Runs every table registered at `hook` in kernel order; may rewrite `skb.pkt` (NAT) or mark it. */
  hook(ns: Netns, hook: NfHook, skb: Skb, inDev: Device | undefined, outDev: Device | undefined): NfVerdict;
}

export const ACCEPT: NfVerdict = { kind: "accept" };

export const acceptAll: Netfilter = {
  hook: () => ACCEPT,
};
