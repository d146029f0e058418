/**
 * `npm run schema`: writes schema/cluster-scenario.schema.json from the zod schema. Written to a
 * temporary file first and renamed, so a failure never leaves half a file behind.
 */
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { clusterJsonSchemaText } from "../src/scenario/cluster/json-schema.js";

const target = fileURLToPath(new URL("../schema/cluster-scenario.schema.json", import.meta.url));
const tmp = `${target}.tmp`;
writeFileSync(tmp, clusterJsonSchemaText());
renameSync(tmp, target);
process.stdout.write(`wrote ${target}\n`);
