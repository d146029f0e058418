/**
 * /run/flannel/subnet.env as the flannel CNI plugin reads it (flannel-io/cni-plugin
 * loadFlannelSubnetEnv): one KEY=VALUE per line, split at the first `=`; FLANNEL_NETWORK and
 * FLANNEL_SUBNET through net.ParseCIDR (host bits cleared), FLANNEL_MTU through
 * strconv.ParseUint(…, 10, 32), FLANNEL_IPMASQ true only for the exact text `true`; other keys are
 * ignored. IPv6 keys are not modelled. The plugin's error texts are kept as the Issue messages.
 */
import type { Prefix } from "../../core/ip.js";
import { networkOf, parsePrefix } from "../../core/ip.js";
import type { Issue, Position, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import type { FlannelEnv, SubnetEnvText } from "./model.js";

export const DEFAULT_SUBNET_FILE = "/run/flannel/subnet.env";

export function parseSubnetEnv(input: SubnetEnvText): Result<FlannelEnv> {
  const file = input.file ?? DEFAULT_SUBNET_FILE;
  const issues: Issue[] = [];
  let network: Prefix | undefined;
  let subnet: Prefix | undefined;
  let mtu: number | undefined;
  let ipMasq: boolean | undefined;
  // A key whose value failed to parse is an error of its own, not also "missing".
  const seen = new Set<string>();

  const lines = input.text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line : line.slice(0, eq);
    if (!["FLANNEL_NETWORK", "FLANNEL_SUBNET", "FLANNEL_MTU", "FLANNEL_IPMASQ"].includes(key)) return;
    seen.add(key);
    const at: Position = { file, line: i + 1, column: eq < 0 ? 1 : eq + 2 };
    // The Go code indexes parts[1] unchecked; a bare key would crash it. Report it instead.
    if (eq < 0) {
      issues.push({ code: "subnet-env-invalid", at, message: `${key} has no value (expected ${key}=…)` });
      return;
    }
    const value = line.slice(eq + 1);
    switch (key) {
      case "FLANNEL_NETWORK":
      case "FLANNEL_SUBNET": {
        const p = parsePrefix(value, false);
        if (!p) issues.push({ code: "subnet-env-invalid", at, message: `invalid CIDR address: ${value}` });
        else if (key === "FLANNEL_NETWORK") network = { addr: networkOf(p.addr, p.len), len: p.len };
        else subnet = { addr: networkOf(p.addr, p.len), len: p.len };
        return;
      }
      case "FLANNEL_MTU": {
        const n = /^\d+$/.test(value) ? Number(value) : NaN;
        if (Number.isNaN(n)) issues.push({ code: "subnet-env-invalid", at, message: `strconv.ParseUint: parsing "${value}": invalid syntax` });
        else if (n > 0xffffffff) issues.push({ code: "subnet-env-invalid", at, message: `strconv.ParseUint: parsing "${value}": value out of range` });
        else mtu = n;
        return;
      }
      case "FLANNEL_IPMASQ":
        ipMasq = value === "true";
        return;
    }
  });

  // subnetEnv.missing(): each absent IPv4 key is named with its IPv6 twin, as the plugin prints it.
  const missing: string[] = [];
  if (!seen.has("FLANNEL_NETWORK")) missing.push("FLANNEL_NETWORK", "FLANNEL_IPV6_NETWORK");
  if (!seen.has("FLANNEL_SUBNET")) missing.push("FLANNEL_SUBNET", "FLANNEL_IPV6_SUBNET");
  if (!seen.has("FLANNEL_MTU")) missing.push("FLANNEL_MTU");
  if (!seen.has("FLANNEL_IPMASQ")) missing.push("FLANNEL_IPMASQ");
  if (missing.length > 0) {
    issues.push({ code: "subnet-env-missing", at: { file, line: 1, column: 1 }, message: `${file} is missing ${missing.join(", ")}` });
  }
  if (issues.length > 0 || !network || !subnet || mtu === undefined || ipMasq === undefined) return fail(issues);
  return ok({ network, subnet, mtu, ipMasq });
}
