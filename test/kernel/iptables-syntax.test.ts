/**
 * The iptables syntax corpus against the real tools: every ruleset of
 * test/netfilter/syntax/corpus/good is loaded with `iptables-restore -c` into a throw-away
 * namespace (pp-nfs-<random>, deleted afterwards) and each command of viewCommands()
 * (iptables-save [-c], iptables -S [-v], iptables -L -n [-v] [-x --line-numbers], per table)
 * must print byte for byte what podpath prints, save for iptables-save's date lines; the
 * recorded .out files must still be what the kernel prints (PODPATH_WRITE_GOLDEN=1 rewrites
 * them). Every ruleset of corpus/bad must be refused by both, and for jump loops and depth
 * the kernel must blame the same line podpath does.
 *
 * Runs as root with iproute2 and iptables (nf_tables) present; otherwise skipped with the
 * reason, or failed under CI=true (tools.ts).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseIptablesSave } from "../../src/netfilter/syntax/index.js";
import { corpusFiles, dropDateLines, parseGolden, readText, renderGolden, viewCommands } from "../netfilter/syntax/corpus.js";
import { kernelAvailability, searchPath } from "./tools.js";

const env = { ...process.env, PATH: searchPath(), LC_ALL: "C" };

function hasIptables(): boolean {
  const r = spawnSync("iptables", ["--version"], { env, encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("v1.8.9 (nf_tables)");
}

const avail = kernelAvailability();
const reason = !avail.root ? "not running as root" : !hasIptables() ? "iptables v1.8.9 (nf_tables) not found" : !avail.present.ip ? "ip (iproute2) not found" : "";

function run(argv: readonly string[]): { readonly status: number; readonly stdout: string; readonly stderr: string } {
  const r = spawnSync(argv[0] ?? "", argv.slice(1), { env, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

if (reason !== "") {
  if (process.env["CI"] === "true") {
    describe("iptables syntax against the kernel", () => {
      test("can run under CI", () => {
        expect.fail(`kernel iptables tests cannot run: ${reason}`);
      });
    });
  } else {
    console.warn(`kernel iptables tests skipped: ${reason}`);
    describe("iptables syntax against the kernel", () => {
      test.skip(`skipped: ${reason}`, () => undefined);
    });
  }
} else {
  const ns = `pp-nfs-${randomBytes(3).toString("hex")}`;
  const inNs = (argv: readonly string[]): ReturnType<typeof run> => run(["ip", "netns", "exec", ns, ...argv]);
  /** A clean namespace per ruleset: iptables-restore only flushes the tables it names. */
  const freshNs = (): void => {
    run(["ip", "netns", "del", ns]);
    execFileSync("ip", ["netns", "add", ns], { env });
  };

  describe("iptables syntax against the kernel", () => {
    beforeAll(() => {
      freshNs();
    });
    afterAll(() => {
      run(["ip", "netns", "del", ns]);
    });

    describe("rulesets the kernel accepts: podpath prints what the kernel prints", () => {
      for (const file of corpusFiles("good")) {
        test(file.replace(/.*corpus\//, ""), () => {
          const parsed = parseIptablesSave(readText(file), file);
          expect(parsed.ok ? [] : parsed.issues).toEqual([]);
          if (!parsed.ok) return;
          freshNs();
          const loaded = inNs(["iptables-restore", "-c", file]);
          expect(loaded.stderr).toBe("");
          expect(loaded.status).toBe(0);
          const sections: { argv: readonly string[]; text: string }[] = [];
          for (const cmd of viewCommands(parsed.value)) {
            const real = inNs(cmd.argv);
            expect(real.status, cmd.argv.join(" ")).toBe(0);
            const text = cmd.argv[0] === "iptables-save" ? dropDateLines(real.stdout) : real.stdout;
            expect(cmd.ours(parsed.value), cmd.argv.join(" ")).toBe(text);
            sections.push({ argv: cmd.argv, text });
          }
          const golden = file.replace(/\.rules$/, ".out");
          const rendered = renderGolden(sections);
          if (process.env["PODPATH_WRITE_GOLDEN"] === "1") writeFileSync(golden, rendered);
          else expect(parseGolden(readText(golden))).toEqual(parseGolden(rendered));
        });
      }
    });

    describe("rulesets the kernel refuses: podpath refuses them too", () => {
      for (const file of corpusFiles("bad")) {
        test(file.replace(/.*corpus\//, ""), () => {
          const parsed = parseIptablesSave(readText(file), file);
          expect(parsed.ok).toBe(false);
          freshNs();
          const real = inNs(["iptables-restore", "-c", file]);
          expect(real.status, real.stderr).not.toBe(0);
          if (parsed.ok) return;
          const loop = parsed.issues.find((i) => i.code === "jump-loop");
          if (loop) {
            // "line N: RULE_APPEND failed (Too many links)": the first line the kernel blames.
            const blamed = /line (\d+): RULE_APPEND failed \(Too many links\)/.exec(real.stderr);
            expect(Number(blamed?.[1])).toBe(loop.at.line);
          }
        });
      }
    });
  });
}
