/**
 * The chains and rules every sync writes whatever the Services (proxier.go syncProxyRules):
 *
 *   filter  :KUBE-SERVICES :KUBE-EXTERNAL-SERVICES :KUBE-FORWARD :KUBE-NODEPORTS :KUBE-PROXY-FIREWALL
 *           [:KUBE-FIREWALL + the anti-martian DROP, IPv4 with localhost NodePorts]
 *           KUBE-FORWARD: INVALID DROP (unless tcp_be_liberal), marked ACCEPT, RELATED/ESTABLISHED ACCEPT
 *   nat     :KUBE-SERVICES :KUBE-NODEPORTS :KUBE-POSTROUTING :KUBE-MARK-MASQ
 *           KUBE-POSTROUTING: RETURN unless marked, clear the mark, MASQUERADE [--random-fully]
 *           KUBE-MARK-MASQ: set the mark
 *           KUBE-SERVICES' last rule(s): NodePorts for local destinations (`addrtype --dst-type LOCAL`)
 */
import { quoted } from "../lines.js";
import type { SyncContext } from "./context.js";

/** Chain lines of the top-level chains, in kube-proxy's order. */
export function writeTopLevelChains(ctx: SyncContext): void {
  for (const c of ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"]) ctx.out.filterChains.chain(c);
  for (const c of ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"]) ctx.out.natChains.chain(c);
}

/** KUBE-POSTROUTING and KUBE-MARK-MASQ: mark in nat PREROUTING/OUTPUT, masquerade in POSTROUTING. */
export function writeMasqueradeChains(ctx: SyncContext): void {
  const { natRules } = ctx.out;
  const mark = ctx.cfg.masqueradeMark;
  natRules.write("-A", "KUBE-POSTROUTING", "-m", "mark", "!", "--mark", `${mark}/${mark}`, "-j", "RETURN");
  // Clearing the bit keeps a packet that goes through the stack again from being masqueraded twice.
  natRules.write("-A", "KUBE-POSTROUTING", "-j", "MARK", "--xor-mark", mark);
  natRules.write("-A", "KUBE-POSTROUTING", "-m", "comment", "--comment", quoted("kubernetes service traffic requiring SNAT"), "-j", "MASQUERADE", ctx.cfg.randomFully ? ["--random-fully"] : []);
  natRules.write("-A", "KUBE-MARK-MASQ", "-j", "MARK", "--or-mark", mark);
}

/**
 * kubelet's anti-martian rule, duplicated by kube-proxy: localhost NodePorts need
 * route_localnet=1, which would otherwise let outside packets to 127.0.0.0/8 in.
 */
export function writeKubeletFirewall(ctx: SyncContext): void {
  if (!ctx.cfg.localhostNodePorts) return;
  ctx.out.filterChains.chain("KUBE-FIREWALL");
  ctx.out.filterRules.write(
    "-A", "KUBE-FIREWALL",
    "-m", "comment", "--comment", quoted("block incoming localnet connections"),
    "-d", "127.0.0.0/8", "!", "-s", "127.0.0.0/8",
    "-m", "conntrack", "!", "--ctstate", "RELATED,ESTABLISHED,DNAT",
    "-j", "DROP",
  );
}

const NODEPORTS_COMMENT = quoted("kubernetes service nodeports; NOTE: this must be the last rule in this chain");

/** The tail call into KUBE-NODEPORTS, after every Service's captures. */
export function writeNodePortsJump(ctx: SyncContext): void {
  const { natRules } = ctx.out;
  if (ctx.cfg.nodePortMatchAll) {
    // Localhost NodePorts only work with route_localnet, which kube-proxy sets only when they are on.
    const notLoopback = ctx.cfg.localhostNodePorts ? [] : ["!", "-d", "127.0.0.0/8"];
    natRules.write("-A", "KUBE-SERVICES", "-m", "comment", "--comment", NODEPORTS_COMMENT, "-m", "addrtype", "--dst-type", "LOCAL", notLoopback, "-j", "KUBE-NODEPORTS");
    return;
  }
  for (const ip of ctx.cfg.nodePortIPs) natRules.write("-A", "KUBE-SERVICES", "-m", "comment", "--comment", NODEPORTS_COMMENT, "-d", ip, "-j", "KUBE-NODEPORTS");
}

/** KUBE-FORWARD: lets marked (masqueraded) traffic and its replies through a DROP FORWARD policy. */
export function writeForward(ctx: SyncContext): void {
  const { filterRules } = ctx.out;
  const mark = ctx.cfg.masqueradeMark;
  if (!ctx.cfg.conntrackTcpBeLiberal) {
    // An out-of-window packet is INVALID and would reach the pod un-NATed and be answered with a RST.
    const counter = ctx.cfg.nfacct ? ["-m", "nfacct", "--nfacct-name", "ct_state_invalid_dropped_pkts"] : [];
    filterRules.write("-A", "KUBE-FORWARD", "-m", "conntrack", "--ctstate", "INVALID", counter, "-j", "DROP");
  }
  filterRules.write("-A", "KUBE-FORWARD", "-m", "comment", "--comment", quoted("kubernetes forwarding rules"), "-m", "mark", "--mark", `${mark}/${mark}`, "-j", "ACCEPT");
  filterRules.write("-A", "KUBE-FORWARD", "-m", "comment", "--comment", quoted("kubernetes forwarding conntrack rule"), "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT");
}
