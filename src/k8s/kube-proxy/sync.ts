/**
 * One full sync of kube-proxy in iptables mode (proxier.go syncProxyRules): the
 * iptables-restore input it writes, byte for byte, assembled in its order —
 *
 *   *filter / filter chain lines / filter rules / COMMIT / *nat / nat chain lines / nat rules / COMMIT
 *
 * where the rules come, in turn, from: KUBE-POSTROUTING and KUBE-MARK-MASQ, KUBE-FIREWALL, every
 * Service port (templates/service.ts), the KUBE-SERVICES → KUBE-NODEPORTS tail call, KUBE-FORWARD.
 *
 * Not modelled: partial syncs (a full sync rewrites every chain) and the `-X` of stale chains
 * left by an earlier sync (this writes a first sync onto a fresh node), topology hints, IPv6.
 * Service ports come in a fixed order (by name) where kube-proxy uses Go's random map order.
 */
import { proxyConfig } from "./config.js";
import type { KubeProxyIssue, KubeProxyResult } from "./issues.js";
import { restoreBuffers } from "./lines.js";
import type { KubeProxyInput } from "./model.js";
import type { SyncContext } from "./templates/context.js";
import { writeServicePort } from "./templates/service.js";
import { writeForward, writeKubeletFirewall, writeMasqueradeChains, writeNodePortsJump, writeTopLevelChains } from "./templates/top-level.js";
import { servicePorts } from "./validate.js";

/** kube-proxy's switch to terser rules (largeClusterEndpointsThreshold). */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

export interface ProxyRules {
  /** The iptables-restore input of a full sync, exactly as kube-proxy writes it. */
  readonly restoreInput: string;
  /** The four parts it is made of (each a run of complete lines). */
  readonly sections: { readonly filterChains: string; readonly filterRules: string; readonly natChains: string; readonly natRules: string };
  /** More than 1,000 endpoints: the KUBE-SEP and KUBE-SVC → KUBE-SEP rules carry no comments. */
  readonly largeClusterMode: boolean;
  /** Localhost NodePorts are on: kube-proxy sets net.ipv4.conf.all.route_localnet=1 at start. */
  readonly localhostNodePorts: boolean;
}

export function syncProxyRules(input: KubeProxyInput): KubeProxyResult<ProxyRules> {
  const issues: KubeProxyIssue[] = [];
  const cfg = proxyConfig(input, issues);
  const ports = servicePorts(input.services, input.node.name, issues);
  if (issues.length > 0) return { ok: false, issues };

  // kube-proxy counts every endpoint it tracks, usable or not.
  const totalEndpoints = ports.reduce((n, sp) => n + sp.endpoints.length, 0);
  const ctx: SyncContext = { cfg, out: restoreBuffers(), largeClusterMode: totalEndpoints > LARGE_CLUSTER_ENDPOINTS };

  writeTopLevelChains(ctx);
  writeMasqueradeChains(ctx);
  writeKubeletFirewall(ctx);
  for (const sp of ports) writeServicePort(ctx, sp);
  writeNodePortsJump(ctx);
  writeForward(ctx);

  const sections = {
    filterChains: ctx.out.filterChains.text(),
    filterRules: ctx.out.filterRules.text(),
    natChains: ctx.out.natChains.text(),
    natRules: ctx.out.natRules.text(),
  };
  const restoreInput = `*filter\n${sections.filterChains}${sections.filterRules}COMMIT\n*nat\n${sections.natChains}${sections.natRules}COMMIT\n`;
  return { ok: true, value: { restoreInput, sections, largeClusterMode: ctx.largeClusterMode, localhostNodePorts: cfg.localhostNodePorts } };
}
