/**
 * `-j SNAT` and `-j MASQUERADE` (iptables extensions/libxt_SNAT.c and libxt_MASQUERADE.c,
 * kernel net/netfilter/xt_nat.c and xt_MASQUERADE.c). SNAT: `--to-source` (mandatory),
 * `--random`, `--random-fully`, `--persistent`. MASQUERADE: `--to-ports`, `--random`,
 * `--random-fully`. SNAT belongs in nat POSTROUTING and INPUT, MASQUERADE in POSTROUTING only
 * (check-hooks.ts).
 */
import type { NatRange, Target } from "../../rule.js";
import type { Instance, TargetExt } from "../module.js";
import { natRangeText, parseNatPorts, parseNatTo, portsText } from "./nat-range.js";

type Snat = Extract<Target, { kind: "SNAT" }>;
type Masquerade = Extract<Target, { kind: "MASQUERADE" }>;

export const snatTarget: TargetExt = {
  name: "SNAT",
  options: [
    { name: "to-source", id: "to", arg: true, mand: true },
    { name: "random", id: "random", arg: false },
    { name: "random-fully", id: "random-fully", arg: false },
    { name: "persistent", id: "persistent", arg: false },
  ],
  create(ctx): Instance<Target> {
    let to: NatRange | undefined;
    let random = false;
    let randomFully = false;
    let persistent = false;
    return {
      parse(id, args) {
        const arg = args[0];
        if (id === "random") random = true;
        else if (id === "random-fully") randomFully = true;
        else if (id === "persistent") persistent = true;
        else if (arg) to = parseNatTo(ctx, arg);
      },
      finish(): Snat | undefined {
        return to === undefined ? undefined : { kind: "SNAT", to, random, randomFully, persistent };
      },
    };
  },
};

export const masqueradeTarget: TargetExt = {
  name: "MASQUERADE",
  options: [
    { name: "to-ports", id: "ports", arg: true },
    { name: "random", id: "random", arg: false },
    { name: "random-fully", id: "random-fully", arg: false },
  ],
  create(ctx): Instance<Target> {
    let toPorts: { min: number; max: number } | undefined;
    let random = false;
    let randomFully = false;
    return {
      parse(id, args) {
        const arg = args[0];
        if (id === "random") random = true;
        else if (id === "random-fully") randomFully = true;
        else if (arg) toPorts = parseNatPorts(ctx, arg, arg.text);
      },
      finish(): Masquerade {
        return { kind: "MASQUERADE", ...(toPorts ? { toPorts } : {}), random, randomFully };
      },
    };
  },
};

function snatFlags(t: Snat, pfx: string): string {
  return (t.random ? ` ${pfx}random` : "") + (t.randomFully ? ` ${pfx}random-fully` : "") + (t.persistent ? ` ${pfx}persistent` : "");
}

export function saveSnat(t: Snat): string {
  const r = natRangeText(t.to);
  return (r ? ` --to-source ${r}` : "") + snatFlags(t, "--");
}

export function printSnat(t: Snat): string {
  const r = natRangeText(t.to);
  return (r ? ` to:${r}` : "") + snatFlags(t, "");
}

export function saveMasquerade(t: Masquerade): string {
  return (t.toPorts ? ` --to-ports ${portsText(t.toPorts)}` : "") + (t.random ? " --random" : "") + (t.randomFully ? " --random-fully" : "");
}

export function printMasquerade(t: Masquerade): string {
  return (t.toPorts ? ` masq ports: ${portsText(t.toPorts)}` : "") + (t.random ? " random" : "") + (t.randomFully ? " random-fully" : "");
}
