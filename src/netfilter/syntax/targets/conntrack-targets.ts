/**
 * The raw-table targets that switch connection tracking off or trace a packet:
 * `-j NOTRACK` and `-j CT [--notrack]` (iptables extensions/libxt_CT.c, which registers
 * NOTRACK as an alias of CT; kernel net/netfilter/xt_CT.c) and `-j TRACE`
 * (extensions/libxt_TRACE.c, kernel xt_TRACE.c). CT and NOTRACK are refused outside the raw
 * table (check-hooks.ts); TRACE is accepted anywhere on this kernel. CT's other options
 * (zones, helpers, timeouts, events) are not modelled.
 */
import type { Target } from "../../rule.js";
import type { Instance, TargetExt } from "../module.js";

type Ct = Extract<Target, { kind: "CT" }>;

export const notrackTarget: TargetExt = {
  name: "NOTRACK",
  options: [],
  create(): Instance<Target> {
    return { parse() {}, finish: () => ({ kind: "NOTRACK" }) };
  },
};

export const traceTarget: TargetExt = {
  name: "TRACE",
  options: [],
  create(): Instance<Target> {
    return { parse() {}, finish: () => ({ kind: "TRACE" }) };
  },
};

const CT_UNMODELLED = ["helper", "ctevents", "expevents", "zone", "zone-orig", "zone-reply", "timeout"];

export const ctTarget: TargetExt = {
  name: "CT",
  options: [
    { name: "notrack", id: "notrack", arg: false },
    ...CT_UNMODELLED.map((n) => ({ name: n, id: n, arg: true })),
  ],
  create(ctx): Instance<Target> {
    let notrack = false;
    return {
      parse(id, _args, _invert, opt) {
        if (id === "notrack") notrack = true;
        else ctx.issue("not-modelled", `CT: --${id} is not modelled by podpath (only --notrack)`, opt.at);
      },
      finish: (): Ct => ({ kind: "CT", notrack }),
    };
  },
};

export function saveCt(t: Ct): string {
  return t.notrack ? " --notrack" : "";
}

/** ct_print(): `CT notrack`; a NOTRACK rule lists as target CT with the word NOTRACK. */
export function printCt(t: Ct): string {
  return t.notrack ? " CT notrack" : " CT";
}
