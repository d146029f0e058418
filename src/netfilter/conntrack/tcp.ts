/**
 * TCP connection tracking states and transitions (nf_conntrack_proto_tcp.c: tcp_conntracks[][][],
 * get_conntrack_index, the per-state timeouts). Sequence-window checks (tcp_in_window) are not
 * modelled: podpath's TCP never sends out-of-window segments, and the kernel's default
 * nf_conntrack_tcp_loose=1 picks up mid-stream ACKs as ESTABLISHED.
 */
import type { TcpFlags } from "../../wire/packet.js";

export type TcpCtState = "NONE" | "SYN_SENT" | "SYN_RECV" | "ESTABLISHED" | "FIN_WAIT" | "CLOSE_WAIT" | "LAST_ACK" | "TIME_WAIT" | "CLOSE" | "SYN_SENT2";

/** sIV: the segment is invalid in this state; sIG: ignore it (no state change). */
type Next = TcpCtState | "IV" | "IG";

const ORDER: readonly TcpCtState[] = ["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2"];
type Index = "syn" | "synack" | "fin" | "ack" | "rst" | "none";

const NO = "NONE", SS = "SYN_SENT", SR = "SYN_RECV", ES = "ESTABLISHED", FW = "FIN_WAIT", CW = "CLOSE_WAIT", LA = "LAST_ACK", TW = "TIME_WAIT", CL = "CLOSE", S2 = "SYN_SENT2";
void NO;

//                 sNO   sSS   sSR   sES   sFW   sCW   sLA   sTW   sCL   sS2
const ORIGINAL: Readonly<Record<Index, readonly Next[]>> = {
  syn: /*    */ [SS, SS, "IG", "IG", "IG", "IG", "IG", SS, SS, S2],
  synack: /* */ ["IV", "IV", SR, "IV", "IV", "IV", "IV", "IV", "IV", SR],
  fin: /*    */ ["IV", "IV", FW, FW, LA, LA, LA, TW, CL, "IV"],
  ack: /*    */ [ES, "IV", ES, ES, CW, CW, TW, TW, CL, "IV"],
  rst: /*    */ ["IV", CL, CL, CL, CL, CL, CL, CL, CL, CL],
  none: /*   */ ["IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV"],
};
const REPLY: Readonly<Record<Index, readonly Next[]>> = {
  syn: /*    */ ["IV", S2, "IV", "IV", "IV", "IV", "IV", SS, "IV", S2],
  synack: /* */ ["IV", SR, "IG", "IG", "IG", "IG", "IG", "IG", "IG", SR],
  fin: /*    */ ["IV", "IV", FW, FW, LA, LA, LA, TW, CL, "IV"],
  ack: /*    */ ["IV", "IG", SR, ES, CW, CW, TW, TW, CL, "IG"],
  rst: /*    */ ["IV", CL, CL, CL, CL, CL, CL, CL, CL, CL],
  none: /*   */ ["IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV", "IV"],
};

function index(f: TcpFlags): Index {
  if (f.rst) return "rst";
  if (f.syn) return f.ack ? "synack" : "syn";
  if (f.fin) return "fin";
  if (f.ack) return "ack";
  return "none";
}

/** The state a segment moves the connection to, "IV" (invalid) or "IG" (ignored). */
export function tcpNext(state: TcpCtState, reply: boolean, flags: TcpFlags): Next {
  const row = (reply ? REPLY : ORIGINAL)[index(flags)];
  return row[ORDER.indexOf(state)]!;
}

/** Seconds (net.netfilter.nf_conntrack_tcp_timeout_*). */
export const TCP_TIMEOUTS: Readonly<Record<TcpCtState, number>> = {
  NONE: 0,
  SYN_SENT: 120,
  SYN_RECV: 60,
  ESTABLISHED: 432000,
  FIN_WAIT: 120,
  CLOSE_WAIT: 60,
  LAST_ACK: 30,
  TIME_WAIT: 120,
  CLOSE: 10,
  SYN_SENT2: 120,
};
