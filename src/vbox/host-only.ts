/**
 * Host-only networks (`--nic<N> hostonly --host-only-adapter<N> vboxnetK`, research B4): a
 * segment shared by the VMs and the host's adapter vboxnetK. vboxnet0 is 192.168.56.1/24 with
 * the DHCP server at .100 leasing .101–.254; vboxnetK defaults to 192.168.(56+K).1/24 with the
 * same offsets (the +K step is from VirtualBox's default-address code as remembered, unverified).
 * The server sends no router option (unverified, B4), so guests get no default route here.
 * There is no path beyond the host: the host namespace does not forward.
 *
 * Not modelled: the DHCP server as a host that answers ARP/ping; macOS host-only *networks*.
 */
import type { Mac } from "../core/ip.js";
import { networkOf, parseIpv4, parsePrefix } from "../core/ip.js";
import type { Issue, Position } from "../core/issue.js";
import type { HostOnlyNetworkSpec } from "./model.js";
import type { NetworkPlan } from "./network.js";
import { at } from "./network.js";
import { hostOnlySegment } from "./names.js";

export function hostOnlyPlan(name: string, spec: HostOnlyNetworkSpec | undefined, issues: Issue[], where: Position): NetworkPlan {
  const k = /^vboxnet(\d+)$/.exec(name)?.[1];
  const index = k === undefined ? 0 : Number(k);
  let host = { addr: parseIpv4(`192.168.${(56 + index) & 255}.1`)!, len: 24 };
  if (spec?.hostAddress !== undefined) {
    const p = parsePrefix(spec.hostAddress, false);
    if (p === undefined || p.len > 24) issues.push({ code: "bad-address", message: `host-only network ${name}: host address ${spec.hostAddress} is not a.b.c.d/len of /24 or wider`, at: where });
    else host = p;
  }
  const prefix = { addr: networkOf(host.addr, host.len), len: host.len };
  const server = at(prefix, 100);
  return {
    mode: "hostonly",
    segment: hostOnlySegment(name),
    prefix,
    ...(spec?.dhcp === false ? {} : { dhcp: { first: at(prefix, 101), last: at(prefix, 254), dns: [] } }),
    reserved: [host.addr, server],
    // Linux hosts give vboxnetK the MAC 0a:00:27:00:00:0K.
    hostAdapter: { dev: name, addr: host.addr, len: host.len, mac: `0a:00:27:00:00:${(index & 255).toString(16).padStart(2, "0")}` as Mac },
  };
}
