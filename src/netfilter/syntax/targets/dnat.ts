/**
 * `-j DNAT` and `-j REDIRECT` (iptables extensions/libxt_DNAT.c, kernel net/netfilter/xt_nat.c
 * and xt_REDIRECT.c). DNAT: `--to-destination` (mandatory), `--random`, `--persistent`.
 * REDIRECT: `--to-ports` (optional), `--random`.
 * Only the nat table's PREROUTING and OUTPUT may use either (check-hooks.ts).
 */
import type { NatRange, Target } from "../../rule.js";
import type { Instance, TargetExt } from "../module.js";
import { natRangeText, parseNatPorts, parseNatTo, portsText } from "./nat-range.js";

type Dnat = Extract<Target, { kind: "DNAT" }>;
type Redirect = Extract<Target, { kind: "REDIRECT" }>;

export const dnatTarget: TargetExt = {
  name: "DNAT",
  options: [
    { name: "to-destination", id: "to", arg: true, mand: true },
    { name: "random", id: "random", arg: false },
    { name: "persistent", id: "persistent", arg: false },
  ],
  create(ctx): Instance<Target> {
    let to: NatRange | undefined;
    let random = false;
    let persistent = false;
    return {
      parse(id, args) {
        const arg = args[0];
        if (id === "random") random = true;
        else if (id === "persistent") persistent = true;
        else if (arg) to = parseNatTo(ctx, arg);
      },
      finish(): Dnat | undefined {
        return to === undefined ? undefined : { kind: "DNAT", to, random, persistent };
      },
    };
  },
};

export const redirectTarget: TargetExt = {
  name: "REDIRECT",
  options: [
    { name: "to-ports", id: "ports", arg: true },
    { name: "random", id: "random", arg: false },
  ],
  create(ctx): Instance<Target> {
    let toPorts: { min: number; max: number } | undefined;
    let random = false;
    return {
      parse(id, args) {
        const arg = args[0];
        if (id === "random") random = true;
        else if (arg) toPorts = parseNatPorts(ctx, arg, arg.text);
      },
      finish(): Redirect {
        return { kind: "REDIRECT", ...(toPorts ? { toPorts } : {}), random };
      },
    };
  },
};

function flags(t: { readonly random: boolean; readonly persistent?: boolean }, pfx: string): string {
  return (t.random ? ` ${pfx}random` : "") + (t.persistent ? ` ${pfx}persistent` : "");
}

export function saveDnat(t: Dnat): string {
  const r = natRangeText(t.to);
  return (r ? ` --to-destination ${r}` : "") + flags(t, "--");
}

export function printDnat(t: Dnat): string {
  const r = natRangeText(t.to);
  return (r ? ` to:${r}` : "") + flags(t, "");
}

export function saveRedirect(t: Redirect): string {
  return (t.toPorts ? ` --to-ports ${portsText(t.toPorts)}` : "") + (t.random ? " --random" : "");
}

export function printRedirect(t: Redirect): string {
  return (t.toPorts ? ` redir ports ${portsText(t.toPorts)}` : "") + (t.random ? " random" : "");
}
