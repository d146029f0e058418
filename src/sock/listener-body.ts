/**
 * A listener's reply body with the placeholders filled in for one connection or datagram, as
 * test/kernel/listener.mjs does on the real kernel:
 *
 *   {peer} {peer_ip}    the remote address:port the server socket sees (getpeername; for udp
 *                       the datagram's source) — after any NAT on the way
 *   {local} {local_ip}  the local address:port (getsockname of the accepted socket; for udp the
 *                       bound socket's address, 0.0.0.0 when bound to any)
 */
import { formatIpv4 } from "../core/ip.js";

export interface SocketView {
  readonly peerIp: number;
  readonly peerPort: number;
  readonly localIp: number;
  readonly localPort: number;
}

export function expandBody(body: string, v: SocketView): string {
  return body.replace(/\{(peer|peer_ip|local|local_ip)\}/g, (_m, key: string) => {
    if (key === "peer") return `${formatIpv4(v.peerIp)}:${v.peerPort}`;
    if (key === "peer_ip") return formatIpv4(v.peerIp);
    if (key === "local") return `${formatIpv4(v.localIp)}:${v.localPort}`;
    return formatIpv4(v.localIp);
  });
}
