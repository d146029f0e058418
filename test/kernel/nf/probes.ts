/**
 * The commands the cases type, and the addresses and ports of the topology they aim at.
 *
 * Owns the exact command texts, written with the flags the simulated tools reproduce
 * (src/apps/): every probe ends on its own within about a second even when its packets are
 * dropped, so a DROP costs ~1 s and a REJECT or a delivery a few milliseconds.
 *
 *   tcp   `nc -v -w 1 IP PORT`             the tcp listener's echo on stdout; why it failed on
 *                                           stderr (-v: refused / no route / timed out …)
 *   http  `curl -sS -m 1 [--interface A] URL`   the http listener's echo; `curl: (N) …` on failure
 *   udp   `echo hi | nc -u -w 1 IP PORT`   the udp listener's echo (always waits the 1 s)
 *   zudp  `nc -zuv -w 1 IP PORT`           exit 1 when an ICMP error came back, else 0 and
 *                                           `Connection to … succeeded!` (without -v, nc -zu
 *                                           exits 0 either way: it tests the port only with -v)
 *   ping  `ping -c 1 -W 1 [-I A] IP`       reply, `From X icmp_seq=1 <error>`, or nothing
 */
import type { Host, Step } from "./case.js";

export const CLIENT = "10.0.1.2";
/** The client's second address (secondary on eth0), used as a source with --interface / -I. */
export const CLIENT2 = "10.0.1.3";
export const ROUTER_IN = "10.0.1.1";
export const ROUTER_OUT = "10.0.2.1";
export const ROUTER_BR = "10.0.3.1";
export const SERVER = "10.0.2.2";
export const SERVER2 = "10.0.2.3";
export const POD1 = "10.0.3.2";
export const POD2 = "10.0.3.3";

/** Ports with a tcp listener on the server (9009 has none: it answers with a reset). */
export const SERVER_TCP = [9000, 9001, 9002] as const;
export const CLOSED_TCP = 9009;
export const SERVER_HTTP = [80, 8080] as const;
/** udp 5000 on both server addresses, 5001 on 10.0.2.2 only; 5002 is closed. */
export const SERVER_UDP = [5000, 5001] as const;
export const CLOSED_UDP = 5002;
/** Router-local listeners: tcp 9000 and 2222, http 80 and 8080, udp 5000 on 10.0.1.1. */
export const ROUTER_TCP = [9000, 2222] as const;

/**
 * `nc -v -w <wait>`. Where a case may REJECT the server's SYN-ACK, the client's only answer comes
 * with its SYN retransmitted at 1 s — exactly when `-w 1` gives up, a race the kernel decides
 * either way under load; such cases wait 2 s.
 */
export function tcp(from: Host, dst: string, port: number, wait = 1): Step {
  return { netns: from, command: `nc -v -w ${wait} ${dst} ${port}` };
}

export function http(from: Host, dst: string, port = 80, iface?: string): Step {
  const url = port === 80 ? `http://${dst}/` : `http://${dst}:${port}/`;
  return { netns: from, command: `curl -sS -m 1 ${iface !== undefined ? `--interface ${iface} ` : ""}${url}` };
}

export function udp(from: Host, dst: string, port: number): Step {
  return { netns: from, command: `echo hi | nc -u -w 1 ${dst} ${port}` };
}

export function zudp(from: Host, dst: string, port: number): Step {
  return { netns: from, command: `nc -zuv -w 1 ${dst} ${port}` };
}

export function ping(from: Host, dst: string, src?: string): Step {
  return { netns: from, command: `ping -c 1 -W 1 ${src !== undefined ? `-I ${src} ` : ""}${dst}` };
}
