/**
 * A VirtualBox-style DHCP server as the builders need it: the pool it leases from, in order,
 * and the options it hands out (router, DNS). Leases go to adapters in VM order, then adapter
 * order — deterministic where the real order depends on which guest boots first.
 */
import type { Ipv4 } from "../core/ip.js";

export interface DhcpServer {
  readonly first: Ipv4;
  readonly last: Ipv4;
  /** Option 3; absent = the server sends no router (e.g. host-only) and the guest adds no default route. */
  readonly router?: Ipv4;
  /** Option 6. */
  readonly dns: readonly Ipv4[];
}

export class LeasePool {
  private nextAddr: number;

  constructor(readonly server: DhcpServer) {
    this.nextAddr = server.first;
  }

  /** The next free address, skipping ones a guest already holds statically; undefined when exhausted. */
  lease(taken: ReadonlySet<number>): Ipv4 | undefined {
    while (this.nextAddr <= this.server.last && taken.has(this.nextAddr)) this.nextAddr++;
    if (this.nextAddr > this.server.last) return undefined;
    return this.nextAddr++ as Ipv4;
  }
}
