/**
 * Golden traces: the text `podpath trace` prints for a scenario, compared byte for byte with a
 * stored file. A change to the packet path or the renderer that alters a trace fails here;
 * when the change is meant, regenerate deliberately and review the diff:
 *
 *   PODPATH_UPDATE_GOLDEN=1 npx vitest run test/golden
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const UPDATE = process.env.PODPATH_UPDATE_GOLDEN === "1";

interface Golden {
  readonly file: string;
  readonly argv: readonly string[];
  readonly exitCode: number;
}

const scenario = (name: string) => fileURLToPath(new URL(`../../scenarios/lowlevel/${name}`, import.meta.url));

const GOLDEN: readonly Golden[] = [
  {
    file: "vxlan-underlay-nat.ping.txt",
    argv: ["trace", scenario("vxlan-underlay-nat.yaml"), "pod1", "--", "ping", "-c", "1", "-W", "1", "10.244.2.2"],
    exitCode: 1,
  },
];

describe("golden traces", () => {
  for (const g of GOLDEN) {
    it(g.file, async () => {
      let out = "";
      let err = "";
      const code = await main(g.argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
      const path = fileURLToPath(new URL(g.file, import.meta.url));
      if (UPDATE) writeFileSync(path, out);
      expect(existsSync(path), `${g.file} is missing; create it with PODPATH_UPDATE_GOLDEN=1`).toBe(true);
      expect(err).toBe("");
      expect(code).toBe(g.exitCode);
      expect(out).toBe(readFileSync(path, "utf8"));
    });
  }
});
