/**
 * The sysctl values of a freshly created network namespace — the defaults the simulator must
 * assume for every key a scenario does not set.
 *
 * Note: `net.ipv4.neigh.default.*` exists only in the initial namespace; in any other one the
 * neighbour parameters exist per device only, copied from the (global) defaults when the
 * device is made. They are read here from a veth made for the purpose (`net.ipv4.neigh.DEV.*`)
 * and reported under the `default` name the simulator uses.
 */
import { claimPrefix, deletePrefixNamespaces, releasePrefix } from "./names.js";
import { mustRun, run } from "./run.js";

export const SYSCTL_KEYS = [
  "net.ipv4.ip_forward",
  "net.ipv4.conf.all.rp_filter",
  "net.ipv4.conf.default.rp_filter",
  "net.ipv4.tcp_syn_retries",
  "net.ipv4.icmp_ratelimit",
  "net.ipv4.icmp_ratemask",
  "net.ipv4.icmp_msgs_per_sec",
  "net.ipv4.icmp_msgs_burst",
  "net.ipv4.conf.all.send_redirects",
  "net.ipv4.conf.all.accept_local",
  "net.ipv4.icmp_errors_use_inbound_ifaddr",
  "net.ipv4.neigh.default.mcast_solicit",
  "net.ipv4.neigh.default.ucast_solicit",
  "net.ipv4.neigh.default.retrans_time_ms",
  "net.ipv4.ip_default_ttl",
  "net.bridge.bridge-nf-call-iptables",
] as const;

/** Observed on Linux 6.18 in a namespace made by `ip netns add`. */
export const OBSERVED_DEFAULTS: Readonly<Record<string, string>> = {
  "net.ipv4.ip_forward": "0",
  "net.ipv4.conf.all.rp_filter": "0",
  "net.ipv4.conf.default.rp_filter": "0",
  "net.ipv4.tcp_syn_retries": "6",
  "net.ipv4.icmp_ratelimit": "1000",
  "net.ipv4.icmp_ratemask": "6168",
  "net.ipv4.icmp_msgs_per_sec": "1000",
  "net.ipv4.icmp_msgs_burst": "50",
  "net.ipv4.conf.all.send_redirects": "1",
  "net.ipv4.conf.all.accept_local": "0",
  "net.ipv4.icmp_errors_use_inbound_ifaddr": "0",
  "net.ipv4.neigh.default.mcast_solicit": "3",
  "net.ipv4.neigh.default.ucast_solicit": "3",
  "net.ipv4.neigh.default.retrans_time_ms": "1000",
  "net.ipv4.ip_default_ttl": "64",
  // br_netfilter is loaded on the machines podpath is checked on (as on every Kubernetes node).
  "net.bridge.bridge-nf-call-iptables": "1",
};

/** Key → value as `sysctl -n` prints it (tabs kept), or null when the key does not exist. */
export async function freshNetnsSysctls(keys: readonly string[] = SYSCTL_KEYS): Promise<Record<string, string | null>> {
  const prefix = claimPrefix();
  const ns = `${prefix}-ns-fresh`;
  try {
    await mustRun(["ip", "netns", "add", ns]);
    await mustRun(["ip", "-n", ns, "link", "add", "probe0", "type", "veth", "peer", "name", "probe1"]);
    const out: Record<string, string | null> = {};
    for (const key of keys) {
      const real = key.replace(/^net\.ipv4\.neigh\.default\./, "net.ipv4.neigh.probe0.");
      const r = await run(["ip", "netns", "exec", ns, "sysctl", "-n", real], 5_000);
      out[key] = r.exitCode === 0 ? r.stdout.trim() : null;
    }
    return out;
  } finally {
    await deletePrefixNamespaces(prefix);
    releasePrefix(prefix);
  }
}
