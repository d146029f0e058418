/**
 * `-j MARK` revision 2 and `-j CONNMARK` revision 1 (iptables extensions/libxt_MARK.c and
 * libxt_CONNMARK.c, kernel net/netfilter/xt_mark.c and xt_connmark.c). Every form becomes
 * the kernel's (value, mask) pair, new = (old & ~mask) ^ value, exactly as the C parsers
 * compute it:
 *
 *   --set-xmark v[/m]  -> v, m (m defaults to 0xffffffff)
 *   --set-mark v[/m]   -> v, v | m
 *   --and-mark v       -> 0, ~v
 *   --or-mark v        -> v, v
 *   --xor-mark v       -> v, 0
 *
 * which is why kube-proxy's `--or-mark 0x00004000` comes back as `--set-xmark 0x4000/0x4000`.
 * CONNMARK's --save-mark / --restore-mark are not modelled.
 */
import type { Target } from "../../rule.js";
import type { Instance, OptionSpec, ParseCtx, Tok, TargetExt } from "../module.js";
import { badValue, hex, parseValMask, strtoui } from "../values.js";

type MarkTarget = Extract<Target, { kind: "MARK" }>;
type Connmark = Extract<Target, { kind: "CONNMARK" }>;

const FORMS = ["set-xmark", "set-mark", "and-mark", "or-mark", "xor-mark"] as const;

function options(): OptionSpec[] {
  return FORMS.map((f) => ({ name: f, id: f, arg: true, excl: FORMS.filter((o) => o !== f) }));
}

function readForm(ctx: ParseCtx, ext: string, id: string, arg: Tok): { value: number; mask: number } | undefined {
  if (id === "set-xmark" || id === "set-mark") {
    const r = parseValMask(arg.text, ext, id);
    if (!r.ok) {
      ctx.issue("bad-mark", r.message, arg.at);
      return undefined;
    }
    return id === "set-xmark" ? { value: r.value, mask: r.mask } : { value: r.value, mask: (r.value | r.mask) >>> 0 };
  }
  const v = strtoui(arg.text);
  if (v === undefined) {
    ctx.issue("bad-mark", badValue(ext, id, 0, 0xffffffff), arg.at);
    return undefined;
  }
  if (id === "and-mark") return { value: 0, mask: ~v >>> 0 };
  if (id === "or-mark") return { value: v, mask: v };
  return { value: v, mask: 0 };
}

export const markTarget: TargetExt = {
  name: "MARK",
  options: options(),
  create(ctx): Instance<Target> {
    let vm: { value: number; mask: number } | undefined;
    return {
      parse(id, args) {
        const arg = args[0];
        if (arg) vm = readForm(ctx, "MARK", id, arg);
      },
      finish(at): MarkTarget | undefined {
        if (vm === undefined) {
          ctx.issue("option-required", "MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required", at);
          return undefined;
        }
        return { kind: "MARK", value: vm.value, mask: vm.mask };
      },
    };
  },
};

export const connmarkTarget: TargetExt = {
  name: "CONNMARK",
  options: [
    ...options(),
    { name: "save-mark", id: "save-mark", arg: false },
    { name: "restore-mark", id: "restore-mark", arg: false },
    { name: "mask", id: "mask", arg: true },
    { name: "nfmask", id: "nfmask", arg: true },
    { name: "ctmask", id: "ctmask", arg: true },
  ],
  create(ctx): Instance<Target> {
    let vm: { value: number; mask: number } | undefined;
    return {
      parse(id, args, _invert, opt) {
        const arg = args[0];
        if (!(FORMS as readonly string[]).includes(id)) {
          ctx.issue("not-modelled", `CONNMARK: --${id} is not modelled by podpath (only the --set-xmark family)`, opt.at);
          return;
        }
        if (arg) vm = readForm(ctx, "CONNMARK", id, arg);
      },
      finish(at): Connmark | undefined {
        if (vm === undefined) {
          ctx.issue("option-required", "CONNMARK target: No operation specified", at);
          return undefined;
        }
        return { kind: "CONNMARK", op: "set-xmark", value: vm.value, mask: vm.mask };
      },
    };
  },
};

export function saveMarkTarget(t: MarkTarget | Connmark): string {
  return ` --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
}

/** mark_tg_print() / connmark_tg_print(): the shortest name of the operation. */
export function printMarkTarget(t: MarkTarget | Connmark): string {
  const name = t.kind;
  if (t.value === 0) return ` ${name} and ${hex(~t.mask >>> 0)}`;
  if (t.value === t.mask) return ` ${name} or ${hex(t.value)}`;
  if (t.mask === 0) return ` ${name} xor ${hex(t.value)}`;
  if (t.mask === 0xffffffff) return ` ${name} set ${hex(t.value)}`;
  return ` ${name} xset ${hex(t.value)}/${hex(t.mask)}`;
}
