/**
 * Finds the project's iptables-save parser (`parseIptablesSave(text, file): Result<Ruleset>`)
 * without naming its file: the parser is written under src/netfilter/syntax/ by someone else,
 * so this module looks there (or at PODPATH_NF_PARSER) for a module exporting that function.
 * Imported by computed path, so the tests type-check whether or not the parser exists yet.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { RulesetParser } from "./topology.js";

export const SYNTAX_DIR = fileURLToPath(new URL("../../../src/netfilter/syntax/", import.meta.url));

function candidates(): string[] {
  const forced = process.env["PODPATH_NF_PARSER"];
  if (forced !== undefined) return [forced];
  if (!existsSync(SYNTAX_DIR)) return [];
  const files = readdirSync(SYNTAX_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"));
  // index.ts and parse*.ts first: the likely homes of the entry point.
  const rank = (f: string): number => (f === "index.ts" ? 0 : f.startsWith("parse") ? 1 : 2);
  return files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((f) => join(SYNTAX_DIR, f));
}

export async function findParser(): Promise<RulesetParser | { readonly missing: string }> {
  const tried: string[] = [];
  for (const file of candidates()) {
    try {
      const mod = (await import(pathToFileURL(file).href)) as { parseIptablesSave?: unknown };
      if (typeof mod.parseIptablesSave === "function") return mod.parseIptablesSave as RulesetParser;
      tried.push(`${file}: no parseIptablesSave export`);
    } catch (e) {
      tried.push(`${file}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
  }
  return { missing: tried.length === 0 ? `no parser module in ${SYNTAX_DIR} yet` : `parseIptablesSave not found (${tried.join("; ")})` };
}
