/**
 * Where one Service port's traffic is caught (proxier.go, "Capture the clusterIP" through
 * "Capture healthCheckNodePorts"), in kube-proxy's order:
 *
 *   nat KUBE-SERVICES     ClusterIP → internal chain; each external IP → KUBE-EXT; each LB IP →
 *                         KUBE-EXT or KUBE-FW
 *   nat KUBE-NODEPORTS    [127.0.0.0/8 with an nfacct counter] NodePort → KUBE-EXT
 *   filter                REJECT (no endpoints) / DROP (Local policy, none on this node) for the
 *                         ClusterIP (KUBE-SERVICES) and the external destinations
 *                         (KUBE-EXTERNAL-SERVICES, NodePorts via `addrtype --dst-type LOCAL`);
 *                         KUBE-PROXY-FIREWALL DROPs for LB IPs behind source ranges;
 *                         KUBE-NODEPORTS health-check ACCEPT
 */
import { quoted } from "../lines.js";
import type { ServicePlan } from "../plan.js";
import type { ServicePortInfo } from "../service-port.js";
import type { SyncContext } from "./context.js";
import { protoMatch } from "./context.js";

export function writeCaptures(ctx: SyncContext, sp: ServicePortInfo, plan: ServicePlan): void {
  const { filterRules, natRules } = ctx.out;
  const proto = protoMatch(sp.protocol);
  const port = String(sp.port);
  const { internalFilter, externalFilter } = plan;

  if (plan.hasInternalEndpoints) {
    natRules.write("-A", "KUBE-SERVICES", "-m", "comment", "--comment", quoted(`${sp.name} cluster IP`), proto, "-d", sp.clusterIP, "--dport", port, "-j", plan.internalTrafficChain);
  } else if (internalFilter) {
    filterRules.write("-A", "KUBE-SERVICES", "-m", "comment", "--comment", internalFilter.comment, proto, "-d", sp.clusterIP, "--dport", port, "-j", internalFilter.target);
  }

  for (const ip of sp.externalIPs) {
    if (plan.endpoints.hasAny) natRules.write("-A", "KUBE-SERVICES", "-m", "comment", "--comment", quoted(`${sp.name} external IP`), proto, "-d", ip, "--dport", port, "-j", sp.chains.external);
    if (externalFilter) filterRules.write("-A", "KUBE-EXTERNAL-SERVICES", "-m", "comment", "--comment", externalFilter.comment, proto, "-d", ip, "--dport", port, "-j", externalFilter.target);
  }

  for (const ip of sp.loadBalancerVIPs) {
    if (plan.endpoints.hasAny) natRules.write("-A", "KUBE-SERVICES", "-m", "comment", "--comment", quoted(`${sp.name} loadbalancer IP`), proto, "-d", ip, "--dport", port, "-j", plan.loadBalancerTrafficChain);
    // Whatever KUBE-FW- did not send on to KUBE-EXT- still has the LB IP as destination here.
    if (plan.usesFirewallChain) filterRules.write("-A", "KUBE-PROXY-FIREWALL", "-m", "comment", "--comment", quoted(`${sp.name} traffic not accepted by ${sp.chains.firewall}`), proto, "-d", ip, "--dport", port, "-j", "DROP");
  }
  if (externalFilter) {
    for (const ip of sp.loadBalancerVIPs) filterRules.write("-A", "KUBE-EXTERNAL-SERVICES", "-m", "comment", "--comment", externalFilter.comment, proto, "-d", ip, "--dport", port, "-j", externalFilter.target);
  }

  if (sp.nodePort !== 0) {
    const nodePort = String(sp.nodePort);
    if (plan.endpoints.hasAny) {
      // NodePorts ignore loadBalancerSourceRanges: they jump straight to KUBE-EXT-.
      if (ctx.cfg.localhostNodePorts && ctx.cfg.nfacct) {
        natRules.write("-A", "KUBE-NODEPORTS", "-m", "comment", "--comment", sp.name, proto, "-d", "127.0.0.0/8", "--dport", nodePort, "-m", "nfacct", "--nfacct-name", "localhost_nps_accepted_pkts", "-j", sp.chains.external);
      }
      natRules.write("-A", "KUBE-NODEPORTS", "-m", "comment", "--comment", sp.name, proto, "--dport", nodePort, "-j", sp.chains.external);
    }
    if (externalFilter) filterRules.write("-A", "KUBE-EXTERNAL-SERVICES", "-m", "comment", "--comment", externalFilter.comment, "-m", "addrtype", "--dst-type", "LOCAL", proto, "--dport", nodePort, "-j", externalFilter.target);
  }

  if (sp.healthCheckNodePort !== 0) {
    // Accepted whether or not this node has local endpoints: the LB asks, and hears "no" over HTTP.
    filterRules.write("-A", "KUBE-NODEPORTS", "-m", "comment", "--comment", quoted(`${sp.name} health check node port`), "-m", "tcp", "-p", "tcp", "--dport", String(sp.healthCheckNodePort), "-j", "ACCEPT");
  }
}
