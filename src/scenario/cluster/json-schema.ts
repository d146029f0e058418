/**
 * The cluster format as JSON Schema (draft 2020-12), generated from the zod schema so the two
 * cannot drift: `npm run schema` writes schema/cluster-scenario.schema.json, which the package
 * publishes for editors (`# yaml-language-server: $schema=…` at the top of a scenario), and
 * test/scenario/cluster-schema.test.ts fails when the committed file is stale.
 */
import * as z from "zod";
import { clusterFileSchema } from "./schema.js";

export const SCHEMA_ID = "https://podpath.dev/schema/cluster-scenario.schema.json";

export function clusterJsonSchema(): Record<string, unknown> {
  // "input": what a person writes (transforms such as address parsing are invisible to editors).
  const s = z.toJSONSchema(clusterFileSchema, { io: "input" }) as Record<string, unknown>;
  return { ...s, $id: SCHEMA_ID, title: "podpath cluster scenario" };
}

export function clusterJsonSchemaText(): string {
  return `${JSON.stringify(clusterJsonSchema(), null, 2)}\n`;
}
