/**
 * Whether this machine can ask the real kernel: are we root, and are the tools the kernel
 * tests run present?
 *
 * Owns the decision "run, skip or fail": kernel tests run when root and every tool is present;
 * otherwise they are skipped with a message saying what is missing — except under CI
 * (`CI=true`), where a missing tool or a non-root user fails the run, so a CI image that lost
 * a package can never turn the oracle off silently.
 */
import { execFileSync } from "node:child_process";

/** The commands materialize.ts and the scenario probes need. */
export const REQUIRED_TOOLS = ["ip", "bridge", "ping", "curl", "traceroute", "nc", "node", "sysctl"] as const;
/** What the netfilter cases (test/kernel/nf/) need on top: loading rulesets and flushing conntrack. */
export const NF_TOOLS = ["iptables-restore", "iptables-save", "conntrack"] as const;
export type Tool = (typeof REQUIRED_TOOLS)[number] | (typeof NF_TOOLS)[number];

/** Debian packages that provide the tools. */
const PACKAGES = "iproute2 iputils-ping curl traceroute netcat-openbsd procps iptables conntrack";

export interface KernelAvailability {
  readonly root: boolean;
  readonly present: Readonly<Partial<Record<Tool, boolean>>>;
  readonly missing: readonly Tool[];
  /** True when root and nothing is missing. */
  readonly usable: boolean;
  /** Why the kernel tests cannot run; empty when `usable`. */
  readonly reason: string;
  /** Under CI an unusable kernel is an error, not a skip. */
  readonly mustFail: boolean;
}

export function hasCommand(name: string): boolean {
  try {
    // `command -v` is a shell builtin, so this also finds tools in /usr/sbin when PATH has it.
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore", env: { ...process.env, PATH: searchPath() } });
    return true;
  } catch {
    return false;
  }
}

/** PATH used for every kernel-side command: the caller's PATH plus the sbin directories. */
export function searchPath(): string {
  const base = process.env["PATH"] ?? "";
  const extra = ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin"];
  const parts = base.split(":").filter((p) => p !== "");
  for (const e of extra) if (!parts.includes(e)) parts.push(e);
  return parts.join(":");
}

const cache = new Map<string, KernelAvailability>();

/** Root and `tools` present? The scenario tests ask for REQUIRED_TOOLS, the netfilter cases also for NF_TOOLS. */
export function kernelAvailability(tools: readonly Tool[] = REQUIRED_TOOLS): KernelAvailability {
  const key = tools.join(" ");
  const hit = cache.get(key);
  if (hit) return hit;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const present: Partial<Record<Tool, boolean>> = {};
  for (const t of tools) present[t] = hasCommand(t);
  const missing = tools.filter((t) => !present[t]);
  const problems: string[] = [];
  if (!root) problems.push("not running as root (network namespaces need CAP_SYS_ADMIN + CAP_NET_ADMIN)");
  if (missing.length > 0) problems.push(`missing tools: ${missing.join(", ")} (Debian: ${PACKAGES})`);
  const avail: KernelAvailability = {
    root,
    present,
    missing,
    usable: problems.length === 0,
    reason: problems.join("; "),
    mustFail: process.env["CI"] === "true",
  };
  cache.set(key, avail);
  return avail;
}
