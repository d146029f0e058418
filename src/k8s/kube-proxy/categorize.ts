/**
 * Which endpoints a Service port uses from this node (pkg/proxy/topology.go
 * CategorizeEndpoints), without topology hints (not modelled: every Ready endpoint counts):
 *
 *  - cluster: Ready endpoints; if none, Serving+Terminating ones (only if the port ever uses
 *    Cluster policy);
 *  - local: this node's Ready endpoints; if none, this node's Serving+Terminating ones (only if
 *    it ever uses Local policy);
 *  - reachable: the union — every endpoint that gets a KUBE-SEP chain here;
 *  - hasAny: some Ready or Serving+Terminating endpoint exists anywhere.
 */
import type { EndpointInfo, ServicePortInfo } from "./service-port.js";
import { usesClusterEndpoints, usesLocalEndpoints } from "./service-port.js";

export interface Categorized {
  readonly cluster: readonly EndpointInfo[];
  readonly local: readonly EndpointInfo[];
  readonly reachable: readonly EndpointInfo[];
  readonly hasAny: boolean;
}

const servingTerminating = (ep: EndpointInfo): boolean => ep.serving && ep.terminating;

export function categorizeEndpoints(sp: ServicePortInfo): Categorized {
  const eps = sp.endpoints;
  let cluster: readonly EndpointInfo[] = [];
  let local: readonly EndpointInfo[] = [];
  let hasAny = false;
  let localFallback = false;

  if (usesClusterEndpoints(sp)) {
    cluster = eps.filter((ep) => ep.ready);
    if (cluster.length === 0) cluster = eps.filter(servingTerminating);
    hasAny = cluster.length > 0;
  }
  if (!usesLocalEndpoints(sp)) return { cluster, local, reachable: cluster, hasAny };

  if (eps.some((ep) => ep.ready || servingTerminating(ep))) hasAny = true;
  if (eps.some((ep) => ep.local && ep.ready)) local = eps.filter((ep) => ep.local && ep.ready);
  else if (eps.some((ep) => ep.local && servingTerminating(ep))) {
    local = eps.filter((ep) => ep.local && servingTerminating(ep));
    localFallback = true;
  }
  if (!usesClusterEndpoints(sp)) return { cluster, local, reachable: local, hasAny };
  // Ready-only local endpoints are a subset of the Ready cluster endpoints.
  if (!localFallback) return { cluster, local, reachable: cluster, hasAny };
  // kube-proxy merges through a Go map (random order); sorted here like every other endpoint list.
  const merged = new Map<string, EndpointInfo>();
  for (const ep of [...cluster, ...local]) merged.set(ep.endpoint, ep);
  const reachable = [...merged.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
  return { cluster, local, reachable, hasAny };
}
