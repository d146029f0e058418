/**
 * Scalar values only the cluster format has: a network prefix as Kubernetes and flannel write one
 * (`10.244.0.0/16`, host bits clear, as `net.ParseCIDR` users such as kubeadm's --pod-network-cidr
 * validation insist on).
 */
import { formatPrefix, networkOf, parsePrefix, type Prefix } from "../../core/ip.js";
import { quote, type Value } from "../values.js";

export function prefixText(text: string): Value<Prefix> {
  const p = /\/\d+$/.test(text) ? parsePrefix(text, false) : undefined;
  if (p === undefined) return { ok: false, code: "expected-prefix", message: `expected a network like 10.244.0.0/16, found ${quote(text)}` };
  if (networkOf(p.addr, p.len) !== p.addr) {
    const net = formatPrefix({ addr: networkOf(p.addr, p.len), len: p.len });
    return { ok: false, code: "invalid-prefix", message: `${quote(text)} has host bits set; the network is ${net}` };
  }
  return { ok: true, value: p };
}
