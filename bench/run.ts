/**
 * `npm run bench [-- <suite>...]`: runs the benchmark suites (all of them, or the ones named).
 * Each suite prints a readable table and writes `.bench-out/<suite>.json`. Runs under
 * `node --expose-gc --import tsx`, so suites can force GC before memory snapshots.
 */
import { runLpmSuite } from "./lpm.js";
import { runNfSuite } from "./nf.js";

interface Suite {
  readonly name: string;
  readonly what: string;
  readonly run: () => Promise<void>;
}

const SUITES: readonly Suite[] = [
  { name: "lpm", what: "IPv4 longest-prefix match: fast range index vs linear, cidr-matcher, ipaddr.js", run: () => runLpmSuite() },
  { name: "nf", what: "iptables nat PREROUTING on kube-proxy-shaped rulesets: compiled evaluator vs the reference interpreter", run: () => runNfSuite() },
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
if (unknown.length > 0) {
  console.error(`unknown suite: ${unknown.join(", ")}; available:`);
  for (const s of SUITES) console.error(`  ${s.name.padEnd(8)} ${s.what}`);
  process.exit(2);
}
for (const s of SUITES) {
  if (wanted.length > 0 && !wanted.includes(s.name)) continue;
  console.log(`\n=== ${s.name}: ${s.what} ===`);
  await s.run();
}
