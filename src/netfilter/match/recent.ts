/**
 * xt_recent.c: named lists of addresses with the times they were seen (a ring of the last
 * ip_pkt_list_tot = 20 stamps), per namespace. --set adds the packet's source (or destination,
 * --rdest, after --mask) and matches; --rcheck/--update match when the address has a stamp
 * within --seconds (and at least --hitcount of them); --update also adds a stamp when it
 * matches; --reap drops stamps older than --seconds; --remove deletes the entry and matches.
 * kube-proxy's session affinity is --set in the KUBE-SEP chain and --rcheck --reap in KUBE-SVC.
 */
import type { Match } from "../rule.js";
import type { PacketCtx } from "../eval/context.js";

const PKT_LIST_TOT = 20;

interface Entry {
  stamps: number[];
  ttl: number;
}

/** Lists by name; each maps a masked address to its entry. */
export class RecentTables {
  readonly lists = new Map<string, Map<number, Entry>>();

  list(name: string): Map<number, Entry> {
    let l = this.lists.get(name);
    if (!l) {
      l = new Map();
      this.lists.set(name, l);
    }
    return l;
  }
}

export function recentMatches(m: Extract<Match, { module: "recent" }>, pc: PacketCtx): boolean {
  const p = pc.skb.pkt;
  const addr = ((m.side === "rdest" ? p.dst : p.src) & m.mask) >>> 0;
  // The TTL as the packet had it before forwarding decremented it.
  const ttl = pc.outDev !== undefined && pc.skb.dev !== undefined ? p.ttl + 1 : p.ttl;
  const now = pc.ns.world.now;
  const list = pc.state.recent.list(m.name);
  let e = list.get(addr);
  if (e && m.rttl && e.ttl !== ttl) e = undefined;
  let ret = m.neg;
  if (!e) {
    if (m.cmd !== "set") return ret;
    list.set(addr, { stamps: [now], ttl });
    return !ret;
  }
  if (m.cmd === "set") ret = !ret;
  else if (m.cmd === "remove") {
    list.delete(addr);
    return !ret;
  } else {
    const since = now - (m.seconds ?? 0) * 1000;
    let hits = 0;
    for (const s of e.stamps) {
      if (m.seconds && s < since) continue;
      if (!m.hitcount || ++hits >= m.hitcount) {
        ret = !ret;
        break;
      }
    }
    if (m.reap && m.seconds) e.stamps = e.stamps.filter((s) => s >= since);
  }
  if (m.cmd === "set" || (m.cmd === "update" && ret !== m.neg)) {
    e.stamps.push(now);
    if (e.stamps.length > PKT_LIST_TOT) e.stamps.shift();
    e.ttl = ttl;
  }
  return ret;
}
