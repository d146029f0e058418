/** The published JSON Schema is the zod schema's, and it accepts the bundled cluster scenarios' shape. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clusterJsonSchemaText } from "../../src/scenario/cluster/json-schema.js";

const committed = (): string => readFileSync(new URL("../../schema/cluster-scenario.schema.json", import.meta.url), "utf8");

describe("schema/cluster-scenario.schema.json", () => {
  it("is what `npm run schema` writes from the zod schema (run it after changing src/scenario/cluster/schema.ts)", () => {
    expect(committed()).toBe(clusterJsonSchemaText());
  });

  it("requires kind, name and nodes, and closes every mapping to unknown keys", () => {
    const s = JSON.parse(committed()) as { required: string[]; additionalProperties: boolean; properties: Record<string, { items?: { required?: string[]; additionalProperties?: boolean } }> };
    expect(s.required).toEqual(["kind", "name", "nodes"]);
    expect(s.additionalProperties).toBe(false);
    expect(s.properties["nodes"]!.items).toMatchObject({ required: ["name", "nics"], additionalProperties: false });
    expect(s.properties["pods"]!.items!.required).toEqual(["name", "node"]);
  });
});
