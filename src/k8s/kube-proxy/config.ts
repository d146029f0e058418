/**
 * kube-proxy's settings for one sync, derived from its flags, the node and the host facts the
 * way NewProxier and the kube-proxy server do it (pkg/proxy/iptables/proxier.go,
 * pkg/proxy/util/nodeport_addresses.go, pkg/proxy/util/localdetector.go):
 *
 *  - the masquerade mark `1 << bit` printed with Go's `%#08x` (0x00004000);
 *  - the local-traffic detector: `-s <cidr>` / `! -s <cidr>` (ClusterCIDR, NodeCIDR), `-i <bridge>`
 *    (BridgeInterface), `-i <prefix>+` (InterfaceNamePrefix); none when ClusterCIDR mode has no
 *    `--cluster-cidr` (then ClusterIP traffic is never masqueraded unless --masquerade-all);
 *  - `--nodeport-addresses`: IPv4 CIDRs (other families ignored, as this is the IPv4 proxier),
 *    none means 0.0.0.0/0 ("match all"); localhost NodePorts only if a CIDR covers 127.0.0.0.
 */
import type { Prefix } from "../../core/ip.js";
import { formatIpv4, inPrefix, isLoopback, parsePrefix } from "../../core/ip.js";
import { parseSloppyCidr, parseSloppyIpv4 } from "./addresses.js";
import type { KubeProxyIssue } from "./issues.js";
import type { KubeProxyInput } from "./model.js";

export interface LocalDetector {
  readonly ifLocal: readonly string[];
  readonly ifNotLocal: readonly string[];
}

export interface ProxyConfig {
  readonly nodeName: string;
  readonly nodeIP: number;
  readonly masqueradeAll: boolean;
  readonly masqueradeMark: string;
  readonly localDetector: LocalDetector | undefined;
  /** After --nodeport-addresses had its say (no loopback covered: off). */
  readonly localhostNodePorts: boolean;
  readonly nodePortMatchAll: boolean;
  /** With --nodeport-addresses: the node's addresses inside those CIDRs, loopback dropped if localhost NodePorts are off. */
  readonly nodePortIPs: readonly string[];
  readonly randomFully: boolean;
  readonly nfacct: boolean;
  readonly conntrackTcpBeLiberal: boolean;
}

const DEFAULT_MASQUERADE_BIT = 14;

/** `fmt.Sprintf("%#08x", v)`: the 0 flag pads the digits to 8, then `0x` goes in front. */
export function goMarkText(value: number): string {
  return `0x${value.toString(16).padStart(8, "0")}`;
}

function detector(input: KubeProxyInput, issue: (path: (string | number)[], message: string) => void): LocalDetector | undefined {
  const f = input.flags ?? {};
  const byCidr = (cidr: string): LocalDetector => ({ ifLocal: ["-s", cidr], ifNotLocal: ["!", "-s", cidr] });
  const strictCidr = (text: string, path: (string | number)[]): boolean => {
    if (parsePrefix(text, false) !== undefined) return true;
    issue(path, `expected an IPv4 CIDR (a.b.c.d/len), got ${JSON.stringify(text)}`);
    return false;
  };
  switch (f.detectLocalMode ?? "ClusterCIDR") {
    case "ClusterCIDR":
      if (f.clusterCIDR === undefined) return undefined;
      // kube-proxy writes the CIDR as given on the command line.
      return strictCidr(f.clusterCIDR, ["flags", "clusterCIDR"]) ? byCidr(f.clusterCIDR) : undefined;
    case "NodeCIDR":
      if (input.node.podCIDR === undefined) {
        issue(["node", "podCIDR"], "--detect-local-mode=NodeCIDR needs the node's podCIDR");
        return undefined;
      }
      return strictCidr(input.node.podCIDR, ["node", "podCIDR"]) ? byCidr(input.node.podCIDR) : undefined;
    case "BridgeInterface": {
      const b = f.podBridgeInterface;
      if (b === undefined || !/^[^\s/!+]{1,15}$/.test(b)) {
        issue(["flags", "podBridgeInterface"], "--detect-local-mode=BridgeInterface needs --pod-bridge-interface (an interface name)");
        return undefined;
      }
      return { ifLocal: ["-i", b], ifNotLocal: ["!", "-i", b] };
    }
    case "InterfaceNamePrefix": {
      const p = f.podInterfaceNamePrefix;
      if (p === undefined || !/^[^\s/!+]{1,14}$/.test(p)) {
        issue(["flags", "podInterfaceNamePrefix"], "--detect-local-mode=InterfaceNamePrefix needs --pod-interface-name-prefix (an interface name prefix)");
        return undefined;
      }
      return { ifLocal: ["-i", `${p}+`], ifNotLocal: ["!", "-i", `${p}+`] };
    }
    default:
      issue(["flags", "detectLocalMode"], `expected ClusterCIDR, NodeCIDR, BridgeInterface or InterfaceNamePrefix, got ${JSON.stringify(f.detectLocalMode)}`);
      return undefined;
  }
}

/** The flags, node and host facts as kube-proxy would run with them; problems go to `issues`. */
export function proxyConfig(input: KubeProxyInput, issues: KubeProxyIssue[]): ProxyConfig {
  const f = input.flags ?? {};
  const host = input.host ?? {};
  const issue = (path: (string | number)[], message: string, code: KubeProxyIssue["code"] = "bad-flag"): void => {
    issues.push({ code, message, path });
  };

  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(input.node.name)) issue(["node", "name"], `expected a node name (DNS subdomain), got ${JSON.stringify(input.node.name)}`, "bad-name");
  const nodeIP = parseSloppyIpv4(input.node.ip);
  if (!nodeIP.ok) issue(["node", "ip"], nodeIP.ipv6 ? "IPv6 is not modelled (kube-proxy's IPv4 proxier only)" : `expected an IPv4 address, got ${JSON.stringify(input.node.ip)}`, nodeIP.ipv6 ? "ipv6-not-modelled" : "bad-ip");
  const addresses: number[] = [];
  (input.node.addresses ?? [input.node.ip]).forEach((a, i) => {
    const p = parseSloppyIpv4(a);
    if (p.ok) addresses.push(p.value);
    else if (!p.ipv6) issue(["node", "addresses", i], `expected an IPv4 address, got ${JSON.stringify(a)}`, "bad-ip");
    // IPv6 addresses belong to the IPv6 proxier: ignored here.
  });

  const bit = f.masqueradeBit ?? DEFAULT_MASQUERADE_BIT;
  if (!Number.isInteger(bit) || bit < 0 || bit > 31) issue(["flags", "masqueradeBit"], `--iptables-masquerade-bit must be an integer in [0, 31], got ${bit}`);
  const value = 2 ** (Number.isInteger(bit) && bit >= 0 && bit <= 31 ? bit : DEFAULT_MASQUERADE_BIT);
  // Upstream's unit-test proxier sets the mark string directly to "0x4000".
  const masqueradeMark = input.variant === "upstream-test-fake" ? `0x${value.toString(16)}` : goMarkText(value);

  // --nodeport-addresses (NewNodePortAddresses); `primary` is the node IP, as the server expands it.
  const cidrs: Prefix[] = [];
  (f.nodePortAddresses ?? []).forEach((text, i) => {
    if (text === "primary") {
      if (nodeIP.ok) cidrs.push({ addr: nodeIP.value as Prefix["addr"], len: 32 });
      return;
    }
    const p = parseSloppyCidr(text);
    if (p.ok) cidrs.push(p.value);
    else if (!p.ipv6) issue(["flags", "nodePortAddresses", i], `expected an IPv4 CIDR or "primary", got ${JSON.stringify(text)}`);
  });
  if (cidrs.length === 0) cidrs.push({ addr: 0 as Prefix["addr"], len: 0 });
  let containsLoopback = false;
  let matchAll = false;
  const used: Prefix[] = [];
  for (const c of cidrs) {
    if (isLoopback(c.addr) || inPrefix(0x7f000000, c.addr, c.len)) containsLoopback = true;
    if (c.len === 0) {
      matchAll = true;
      break;
    }
    used.push(c);
  }
  const localhostNodePorts = (f.localhostNodePorts ?? true) && containsLoopback;
  const nodePortIPs: string[] = [];
  if (!matchAll) {
    for (const a of addresses) {
      const text = formatIpv4(a);
      if (nodePortIPs.includes(text) || !used.some((c) => inPrefix(a, c.addr, c.len))) continue;
      // kube-proxy logs an error and skips a loopback address when localhost NodePorts are off.
      if (isLoopback(a) && !localhostNodePorts) continue;
      nodePortIPs.push(text);
    }
  }

  return {
    nodeName: input.node.name,
    nodeIP: nodeIP.ok ? nodeIP.value : 0,
    masqueradeAll: f.masqueradeAll ?? false,
    masqueradeMark,
    localDetector: detector(input, (path, message) => issue(path, message)),
    localhostNodePorts,
    nodePortMatchAll: matchAll,
    nodePortIPs,
    randomFully: host.randomFully ?? true,
    nfacct: host.nfacct ?? false,
    conntrackTcpBeLiberal: host.conntrackTcpBeLiberal ?? false,
  };
}
