/**
 * Picking an endpoint and going to it (proxier.go writeServiceToEndpointRules and "Generate the
 * per-endpoint chains"):
 *
 *   KUBE-SVC-/KUBE-SVL-   [ClientIP affinity: one `recent --rcheck --seconds T --reap` rule per
 *                          endpoint, so a known client goes back to its endpoint], then one rule
 *                          per endpoint: rule i of n takes `statistic --probability 1/(n-i)`, the
 *                          last is unconditional — each endpoint ends up with 1/n
 *   KUBE-SEP-             hairpin: an endpoint reaching itself through the Service is marked for
 *                          masquerade; then DNAT to ip:port (with `recent --set` under affinity)
 */
import { quoted } from "../lines.js";
import { probability } from "../probability.js";
import type { EndpointInfo, ServicePortInfo } from "../service-port.js";
import type { SyncContext } from "./context.js";
import { endpointComment, protoMatch } from "./context.js";

/** KUBE-SVC- or KUBE-SVL- with its rules. */
export function writePolicyChain(ctx: SyncContext, sp: ServicePortInfo, chain: string, endpoints: readonly EndpointInfo[]): void {
  const { natChains, natRules } = ctx.out;
  natChains.chain(chain);
  if (sp.stickyMaxAgeSeconds !== undefined) {
    for (const ep of endpoints) {
      natRules.write("-A", chain, endpointComment(ctx, quoted(`${sp.name} -> ${ep.endpoint}`)), "-m", "recent", "--name", ep.chain, "--rcheck", "--seconds", String(sp.stickyMaxAgeSeconds), "--reap", "-j", ep.chain);
    }
  }
  const n = endpoints.length;
  endpoints.forEach((ep, i) => {
    const random = i < n - 1 ? ["-m", "statistic", "--mode", "random", "--probability", probability(n - i)] : [];
    natRules.write("-A", chain, endpointComment(ctx, quoted(`${sp.name} -> ${ep.endpoint}`)), random, "-j", ep.chain);
  });
}

export function writeEndpointChain(ctx: SyncContext, sp: ServicePortInfo, ep: EndpointInfo): void {
  const { natChains, natRules } = ctx.out;
  natChains.chain(ep.chain);
  const head = ["-A", ep.chain, ...endpointComment(ctx, sp.name)];
  natRules.write(head, "-s", ep.ip, "-j", "KUBE-MARK-MASQ");
  const affinity = sp.stickyMaxAgeSeconds !== undefined ? ["-m", "recent", "--name", ep.chain, "--set"] : [];
  natRules.write(head, affinity, protoMatch(sp.protocol), "-j", "DNAT", "--to-destination", ep.endpoint);
}
