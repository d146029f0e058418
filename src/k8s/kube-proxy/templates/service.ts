/**
 * Everything one Service port contributes to a full sync, in the order proxier.go writes it:
 * captures and filter verdicts, the internal chain's masquerade rule, KUBE-EXT-, KUBE-FW-,
 * KUBE-SVC-, KUBE-SVL-, then one KUBE-SEP- per reachable endpoint.
 */
import { planServicePort } from "../plan.js";
import type { ServicePortInfo } from "../service-port.js";
import { writeCaptures } from "./captures.js";
import type { SyncContext } from "./context.js";
import { writeEndpointChain, writePolicyChain } from "./endpoints.js";
import { writeExternalChain, writeFirewallChain, writeInternalMasquerade } from "./external.js";

export function writeServicePort(ctx: SyncContext, sp: ServicePortInfo): void {
  const plan = planServicePort(sp);
  writeCaptures(ctx, sp, plan);
  writeInternalMasquerade(ctx, sp, plan);
  writeExternalChain(ctx, sp, plan);
  writeFirewallChain(ctx, sp, plan);
  if (plan.usesClusterPolicyChain) writePolicyChain(ctx, sp, sp.chains.cluster, plan.endpoints.cluster);
  if (plan.usesLocalPolicyChain) writePolicyChain(ctx, sp, sp.chains.local, plan.endpoints.local);
  for (const ep of plan.endpoints.reachable) writeEndpointChain(ctx, sp, ep);
}
