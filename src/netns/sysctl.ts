/**
 * sysctl values with the defaults of a freshly created network namespace, and the per-device
 * combination rules of include/linux/inetdevice.h (IN_DEV_ORCONF, IN_DEV_MAXCONF, …), so
 * `net.ipv4.conf.all.X` and `net.ipv4.conf.<dev>.X` interact as they do in the kernel.
 */
export const NETNS_DEFAULTS: Readonly<Record<string, string>> = {
  "net.ipv4.ip_forward": "0",
  "net.ipv4.ip_default_ttl": "64",
  "net.ipv4.tcp_syn_retries": "6",
  "net.ipv4.icmp_ratelimit": "1000",
  "net.ipv4.icmp_ratemask": "6168",
  "net.ipv4.icmp_msgs_per_sec": "1000",
  "net.ipv4.icmp_msgs_burst": "50",
  "net.ipv4.icmp_echo_ignore_all": "0",
  "net.ipv4.icmp_errors_use_inbound_ifaddr": "0",
  "net.ipv4.conf.all.rp_filter": "0",
  "net.ipv4.conf.default.rp_filter": "0",
  "net.ipv4.conf.all.accept_local": "0",
  "net.ipv4.conf.default.accept_local": "0",
  "net.ipv4.conf.all.send_redirects": "1",
  "net.ipv4.conf.default.send_redirects": "1",
  "net.ipv4.conf.all.forwarding": "0",
  "net.ipv4.neigh.default.mcast_solicit": "3",
  "net.ipv4.neigh.default.ucast_solicit": "3",
  "net.ipv4.neigh.default.retrans_time_ms": "1000",
  // 1 where br_netfilter is loaded (Kubernetes nodes, and the kernel podpath is checked against).
  "net.bridge.bridge-nf-call-iptables": "1",
};

export class Sysctls {
  private readonly values: Map<string, string>;

  constructor(overrides: Readonly<Record<string, string>>) {
    this.values = new Map(Object.entries(NETNS_DEFAULTS));
    for (const [k, v] of Object.entries(overrides)) this.values.set(k, String(v));
    // net.ipv4.ip_forward is an alias that sets every device's forwarding (devinet_sysctl_forward).
    const fwd = overrides["net.ipv4.ip_forward"];
    if (fwd !== undefined) this.values.set("net.ipv4.conf.all.forwarding", String(fwd));
    const allFwd = overrides["net.ipv4.conf.all.forwarding"];
    if (allFwd !== undefined) this.values.set("net.ipv4.ip_forward", String(allFwd));
  }

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  num(key: string, fallback = 0): number {
    const v = this.values.get(key);
    return v === undefined ? fallback : Number(v);
  }

  /** A per-device value: `conf.<dev>` if set, else `conf.default` (what the device got at creation). */
  private dev(dev: string, name: string): number {
    return this.num(`net.ipv4.conf.${dev}.${name}`, this.num(`net.ipv4.conf.default.${name}`));
  }

  /** IN_DEV_FORWARD: the device's forwarding flag, which ip_forward / conf.all set on every device. */
  forwarding(dev: string): boolean {
    const own = this.get(`net.ipv4.conf.${dev}.forwarding`);
    return own !== undefined ? own === "1" : this.num("net.ipv4.conf.all.forwarding") === 1;
  }

  /** IN_DEV_RPFILTER = max(all, dev). */
  rpFilter(dev: string): number {
    return Math.max(this.num("net.ipv4.conf.all.rp_filter"), this.dev(dev, "rp_filter"));
  }

  /** IN_DEV_ORCONF. */
  acceptLocal(dev: string): boolean {
    return this.num("net.ipv4.conf.all.accept_local") === 1 || this.dev(dev, "accept_local") === 1;
  }

  /** IN_DEV_ORCONF(ROUTE_LOCALNET): 127.0.0.0/8 may be routed to and from this device. */
  routeLocalnet(dev: string): boolean {
    return this.num("net.ipv4.conf.all.route_localnet") === 1 || this.dev(dev, "route_localnet") === 1;
  }

  sendRedirects(dev: string): boolean {
    return this.num("net.ipv4.conf.all.send_redirects") === 1 || this.dev(dev, "send_redirects") === 1;
  }
}
