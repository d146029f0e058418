/**
 * The flannel CNI meta-plugin (flannel-io/cni-plugin doCmdAdd / getDelegateIPAM): it fills in the
 * delegate config from subnet.env and hands it to the bridge plugin. Defaults it applies, each
 * only when the delegate leaves the key out: `type` bridge; `ipMasq` = NOT FLANNEL_IPMASQ (when
 * flanneld masquerades, the bridge plugin must not); `mtu` = FLANNEL_MTU; `isGateway` true for
 * the bridge. It always sets `name` (the network's) and `ipam` (host-local, one range with the
 * node's subnet, routes = any user ipam routes + FLANNEL_NETWORK without a gateway).
 */
import type { BridgeConf, FlannelDelegate, FlannelEnv } from "./model.js";

/** kube-flannel.yml's cni-conf.json delegate. */
export const MANIFEST_DELEGATE: FlannelDelegate = { hairpinMode: true, isDefaultGateway: true };

/** The bridge plugin's own default bridge name (defaultBrName). */
export const DEFAULT_BRIDGE = "cni0";

export function delegateConf(network: string, env: FlannelEnv, delegate: FlannelDelegate = MANIFEST_DELEGATE): BridgeConf {
  const isDefaultGateway = delegate.isDefaultGateway ?? false;
  return {
    name: network,
    type: "bridge",
    bridge: delegate.bridge ?? DEFAULT_BRIDGE,
    // The bridge plugin's cmdAdd: isDefaultGateway implies isGateway.
    isGateway: (delegate.isGateway ?? true) || isDefaultGateway,
    isDefaultGateway,
    hairpinMode: delegate.hairpinMode ?? false,
    ipMasq: delegate.ipMasq ?? !env.ipMasq,
    mtu: delegate.mtu ?? env.mtu,
    ipam: { type: "host-local", subnet: env.subnet, routes: [env.network] },
  };
}
