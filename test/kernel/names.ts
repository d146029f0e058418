/**
 * Names of the real namespaces a test run creates, and who owns them.
 *
 * Owns: the per-world prefix `pp<4 hex>` (every namespace of one materialized world is
 * `<prefix>-ns-<name>` or, for a segment's hidden switch, `<prefix>-seg-<name>`), the claim file
 * that records which process owns a prefix, and the cleanup of namespaces left behind by a
 * crashed earlier run. Only prefixes with a claim file whose owner process is gone are cleaned,
 * so namespaces of a concurrent run — or anyone else's `pp*` namespaces — are never touched.
 */
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mustRun, run } from "./run.js";

export const CLAIM_DIR = "/run/podpath-kernel";
const PREFIX_RE = /^pp[0-9a-f]{4}$/;

interface Claim {
  readonly pid: number;
  readonly starttime: string;
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22 (starttime); the command name (field 2) may contain spaces, so count after ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

function ownerAlive(c: Claim): boolean {
  return processStartTime(c.pid) === c.starttime;
}

/**
 * Claims a fresh prefix for this process. The claim is written to a temporary file first and
 * then hard-linked into place, which fails if the name is taken: a claim file is never seen
 * half-written by a concurrent cleanupStale.
 */
export function claimPrefix(): string {
  mkdirSync(CLAIM_DIR, { recursive: true });
  const claim: Claim = { pid: process.pid, starttime: processStartTime(process.pid) ?? "" };
  const temp = join(CLAIM_DIR, `.claim-${process.pid}-${randomBytes(4).toString("hex")}`);
  writeFileSync(temp, JSON.stringify(claim));
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const prefix = `pp${randomBytes(2).toString("hex")}`;
      try {
        linkSync(temp, join(CLAIM_DIR, prefix));
        return prefix;
      } catch {
        // taken (by this or a concurrent run): draw again
      }
    }
  } finally {
    rmSync(temp, { force: true });
  }
  throw new Error("could not claim a namespace prefix");
}

export function releasePrefix(prefix: string): void {
  rmSync(join(CLAIM_DIR, prefix), { force: true });
}

export function nsName(prefix: string, specName: string): string {
  return `${prefix}-ns-${specName}`;
}

export function segmentNsName(prefix: string, segment: string): string {
  return `${prefix}-seg-${segment}`;
}

/** Every real namespace on this host, by name. */
export async function listNamespaces(): Promise<string[]> {
  const out = await mustRun(["ip", "netns", "list"]);
  return out
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter((n) => n !== "");
}

/** Ends the processes inside one of our namespaces (listeners left behind), by pid. */
export async function killNamespacePids(ns: string): Promise<void> {
  const r = await run(["ip", "netns", "pids", ns], 5_000);
  for (const line of r.stdout.split("\n")) {
    const pid = Number(line.trim());
    if (Number.isInteger(pid) && pid > 1) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
}

/** Deletes every namespace of `prefix`; tolerant of ones already gone. */
export async function deletePrefixNamespaces(prefix: string, known?: readonly string[]): Promise<void> {
  const all = known ?? (await listNamespaces());
  const mine = all.filter((n) => n.startsWith(`${prefix}-`));
  for (const ns of mine) await killNamespacePids(ns);
  for (const ns of mine) await run(["ip", "netns", "del", ns], 10_000);
}

/**
 * Removes what crashed earlier runs of this harness left: namespaces whose prefix has a claim
 * file owned by a process that no longer exists. Returns the prefixes cleaned.
 */
export async function cleanupStale(): Promise<string[]> {
  let claims: string[];
  try {
    claims = readdirSync(CLAIM_DIR).filter((f) => PREFIX_RE.test(f));
  } catch {
    return [];
  }
  const cleaned: string[] = [];
  const all = await listNamespaces();
  for (const prefix of claims) {
    let claim: Claim | undefined;
    try {
      claim = JSON.parse(readFileSync(join(CLAIM_DIR, prefix), "utf8")) as Claim;
    } catch {
      claim = undefined;
    }
    if (claim && ownerAlive(claim)) continue;
    await deletePrefixNamespaces(prefix, all);
    releasePrefix(prefix);
    cleaned.push(prefix);
  }
  return cleaned;
}
