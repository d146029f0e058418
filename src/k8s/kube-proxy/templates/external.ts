/**
 * The per-Service chains that decide masquerading before an endpoint is picked (proxier.go,
 * "Set up internal traffic handling" through "Set up firewall chain"):
 *
 *  - the internal chain's first rule marks ClusterIP traffic from outside the pod network
 *    (`! -s <cluster CIDR>`), or all of it with --masquerade-all;
 *  - KUBE-EXT-: Cluster policy marks everything and goes on to KUBE-SVC-; Local policy sends
 *    pods and the node itself to KUBE-SVC- (the node masqueraded, pods not) and only truly
 *    external clients to KUBE-SVL-, keeping their source address;
 *  - KUBE-FW-: allowed source ranges (and the LB IPs themselves, when a range covers the node)
 *    go on to KUBE-EXT-; the rest falls off the end un-DNATed, into KUBE-PROXY-FIREWALL's DROP.
 */
import type { ServicePlan } from "../plan.js";
import type { ServicePortInfo } from "../service-port.js";
import type { SyncContext } from "./context.js";
import { protoMatch } from "./context.js";
import { inPrefix } from "../../../core/ip.js";
import { formatCidr } from "../addresses.js";
import { quoted } from "../lines.js";

export function writeInternalMasquerade(ctx: SyncContext, sp: ServicePortInfo, plan: ServicePlan): void {
  if (!plan.hasInternalEndpoints) return;
  const args = ["-m", "comment", "--comment", quoted(`${sp.name} cluster IP`), ...protoMatch(sp.protocol), "-d", sp.clusterIP, "--dport", String(sp.port)];
  const chain = plan.internalTrafficChain;
  if (ctx.cfg.masqueradeAll) ctx.out.natRules.write("-A", chain, args, "-j", "KUBE-MARK-MASQ");
  // Off-cluster clients may route the service range to any node, which may forward off-node: masquerade them.
  else if (ctx.cfg.localDetector) ctx.out.natRules.write("-A", chain, args, ctx.cfg.localDetector.ifNotLocal, "-j", "KUBE-MARK-MASQ");
}

export function writeExternalChain(ctx: SyncContext, sp: ServicePortInfo, plan: ServicePlan): void {
  if (!plan.usesExternalTrafficChain) return;
  const { natChains, natRules } = ctx.out;
  const ext = sp.chains.external;
  natChains.chain(ext);
  if (!sp.externalPolicyLocal) {
    // Any endpoint may be on another node: masquerade so the reply comes back through here.
    natRules.write("-A", ext, "-m", "comment", "--comment", quoted(`masquerade traffic for ${sp.name} external destinations`), "-j", "KUBE-MARK-MASQ");
  } else {
    if (ctx.cfg.localDetector) {
      natRules.write("-A", ext, "-m", "comment", "--comment", quoted(`pod traffic for ${sp.name} external destinations`), ctx.cfg.localDetector.ifLocal, "-j", sp.chains.cluster);
    }
    // The node's own traffic would have the external address (a local one) as source: masquerade it.
    natRules.write("-A", ext, "-m", "comment", "--comment", quoted(`masquerade LOCAL traffic for ${sp.name} external destinations`), "-m", "addrtype", "--src-type", "LOCAL", "-j", "KUBE-MARK-MASQ");
    natRules.write("-A", ext, "-m", "comment", "--comment", quoted(`route LOCAL traffic for ${sp.name} external destinations`), "-m", "addrtype", "--src-type", "LOCAL", "-j", sp.chains.cluster);
  }
  if (plan.hasExternalEndpoints) natRules.write("-A", ext, "-j", plan.externalPolicyChain);
}

export function writeFirewallChain(ctx: SyncContext, sp: ServicePortInfo, plan: ServicePlan): void {
  if (!plan.usesFirewallChain) return;
  const { natChains, natRules } = ctx.out;
  const fw = sp.chains.firewall;
  natChains.chain(fw);
  const args = ["-A", fw, "-m", "comment", "--comment", quoted(`${sp.name} loadbalancer IP`)];
  let allowFromNode = false;
  for (const range of sp.loadBalancerSourceRanges) {
    natRules.write(args, "-s", formatCidr(range), "-j", sp.chains.external);
    if (inPrefix(ctx.cfg.nodeIP, range.addr, range.len)) allowFromNode = true;
  }
  // A VIP-style LB IP is often local to the node: the node's own requests then come from the LB IP.
  if (allowFromNode) for (const ip of sp.loadBalancerVIPs) natRules.write(args, "-s", ip, "-j", sp.chains.external);
  natRules.write("-A", fw, "-m", "comment", "--comment", quoted(`other traffic to ${sp.name} will be dropped by KUBE-PROXY-FIREWALL`));
}
