/**
 * net-conf.json (the kube-flannel-cfg ConfigMap, read by the kube subnet manager with
 * subnet.ParseConfig) and its vxlan `Backend` object (decoded by the vxlan backend's
 * RegisterNetwork). Go's decoder matches member names case-insensitively and ignores unknown
 * ones; so does this. Every problem is collected with its line and column.
 *
 * Defaults as flannel applies them: EnableIPv4 true; Backend.VNI 1 (device `flannel.<VNI>`);
 * Port 0, which leaves the kernel's vxlan default 8472; MTU the external interface's;
 * Learning, GBP, DirectRouting false. A config without `Backend` makes flanneld pick the udp
 * backend (parseBackendType), not vxlan.
 */
import type { Prefix } from "../../core/ip.js";
import { networkOf, parsePrefix } from "../../core/ip.js";
import type { Issue, Result } from "../../core/issue.js";
import { fail, ok } from "../../core/issue.js";
import type { JsonNode } from "./json.js";
import { member, parseJson, positionAt } from "./json.js";

export interface VxlanBackendConf {
  readonly type: "vxlan";
  readonly vni: number;
  /** 0 = not sent to the kernel, which then uses 8472. */
  readonly port: number;
  /** Omitted: the external interface's MTU. */
  readonly mtu?: number;
  readonly learning: boolean;
  readonly directRouting: boolean;
}

export interface NetConf {
  /** The cluster network, host bits cleared (ip.IP4Net.UnmarshalJSON keeps ParseCIDR's network). */
  readonly network: Prefix;
  /** `SubnetLen`, if written (the kube subnet manager itself takes node.spec.podCIDR instead). */
  readonly subnetLen?: number;
  readonly backend: VxlanBackendConf;
}

/** The kernel's default VXLAN UDP port (vxlan module `udp_port`), used when Backend.Port is 0. */
export const LINUX_VXLAN_PORT = 8472;

export function parseNetConf(text: string, file: string): Result<NetConf> {
  const parsed = parseJson(text);
  if (!parsed.ok) return fail([{ code: "bad-json", at: positionAt(text, parsed.at, file), message: `net-conf.json is not valid JSON: ${parsed.message}` }]);
  const issues: Issue[] = [];
  const bad = (node: { readonly at: number } | number, code: string, message: string) =>
    issues.push({ code, at: positionAt(text, typeof node === "number" ? node : node.at, file), message });
  const root = parsed.node;
  if (root.kind !== "object") {
    bad(root, "bad-net-conf", "net-conf.json must be a JSON object");
    return fail(issues);
  }

  const bool = (node: JsonNode | undefined, name: string, dflt: boolean): boolean => {
    if (!node) return dflt;
    if (node.kind === "bool") return node.value;
    bad(node, "bad-net-conf", `${name} must be true or false (Go: cannot unmarshal ${node.kind} into a bool)`);
    return dflt;
  };
  const int = (node: JsonNode | undefined, name: string, dflt: number, min: number, max: number): number => {
    if (!node) return dflt;
    if (node.kind !== "number" || !Number.isInteger(node.value)) {
      bad(node, "bad-net-conf", `${name} must be a whole number (Go: cannot unmarshal ${node.kind === "number" ? `number ${node.text}` : node.kind} into an int)`);
      return dflt;
    }
    if (node.value < min || node.value > max) bad(node, "bad-net-conf", `${name} ${node.value} is out of range ${min}..${max}`);
    return node.value;
  };

  let network: Prefix | undefined;
  const net = member(root, "Network");
  if (!net) bad(root, "missing-network", `"Network" is missing: flanneld's lease check fails for every node ("subnet \\"0.0.0.0/0\\" specified in the flannel net config doesn't contain …")`);
  else if (net.value.kind !== "string") bad(net.value, "bad-network", `"Network" must be a string such as "10.244.0.0/16"`);
  else {
    const p = net.value.value.includes("/") ? parsePrefix(net.value.value, false) : undefined;
    if (!p) bad(net.value, "bad-network", `"Network": invalid CIDR address: ${net.value.value}`);
    else network = { addr: networkOf(p.addr, p.len), len: p.len };
  }

  const subnetLenNode = member(root, "SubnetLen")?.value;
  const subnetLen = subnetLenNode ? int(subnetLenNode, '"SubnetLen"', 24, 0, 32) : undefined;
  if (!bool(member(root, "EnableIPv4")?.value, '"EnableIPv4"', true)) bad(member(root, "EnableIPv4")!.value, "not-modelled", `"EnableIPv4": false (IPv6-only flannel) is not modelled`);
  if (bool(member(root, "EnableIPv6")?.value, '"EnableIPv6"', false)) bad(member(root, "EnableIPv6")!.value, "not-modelled", `"EnableIPv6": true (dual stack) is not modelled; only the IPv4 half would be built`);

  let backend: VxlanBackendConf | undefined;
  const be = member(root, "Backend");
  if (!be) bad(root, "missing-backend", `"Backend" is missing: flanneld then runs the udp backend, which is not modelled (write "Backend": {"Type": "vxlan"})`);
  else if (be.value.kind !== "object") bad(be.value, "bad-backend", `"Backend" must be an object such as {"Type": "vxlan"}`);
  else {
    const b = be.value;
    const type = member(b, "Type")?.value;
    if (!type || type.kind !== "string") bad(type ?? b, "bad-backend", `"Backend.Type" must be a string such as "vxlan"`);
    else if (type.value.toLowerCase() !== "vxlan") bad(type, "not-modelled", `backend type ${JSON.stringify(type.value)} is not modelled; only "vxlan" is`);
    const vni = int(member(b, "VNI")?.value, '"Backend.VNI"', 1, 0, 16777215);
    const port = int(member(b, "Port")?.value, '"Backend.Port"', 0, 0, 65535);
    const mtuNode = member(b, "MTU")?.value;
    const mtu = mtuNode ? int(mtuNode, '"Backend.MTU"', 0, 0, 65535) : undefined;
    const learning = bool(member(b, "Learning")?.value, '"Backend.Learning"', false);
    const directRouting = bool(member(b, "DirectRouting")?.value, '"Backend.DirectRouting"', false);
    if (bool(member(b, "GBP")?.value, '"Backend.GBP"', false)) bad(member(b, "GBP")!.value, "not-modelled", `"Backend.GBP": true (group policy extension) is not modelled`);
    backend = { type: "vxlan", vni, port, learning, directRouting, ...(mtu !== undefined ? { mtu } : {}) };
  }

  if (issues.length > 0 || !network || !backend) return fail(issues);
  return ok({ network, backend, ...(subnetLen !== undefined ? { subnetLen } : {}) });
}
