/**
 * One namespace's conntrack table (the nf_conntrack hash): confirmed connections found by
 * either tuple. Entries expire lazily in virtual time — a lookup past `expires` removes the
 * entry, as the kernel's gc would have. Rule changes never touch it, so stale entries keep
 * steering their flows as on a real node.
 */
import type { Conn } from "./conn.js";
import type { CtDir, Tuple } from "./tuple.js";
import { IP_CT_DIR_ORIGINAL, IP_CT_DIR_REPLY, invert, tupleEqual } from "./tuple.js";

export interface Found {
  readonly conn: Conn;
  readonly dir: CtDir;
}

/** A 32-bit hash of a tuple (the kernel hashes tuples too, with jhash; any good mix does here). */
function tupleHash(t: Tuple): number {
  let h = Math.imul(t.src ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ t.dst, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ ((t.sport << 16) | t.dport), 0x27d4eb2f);
  return (h ^ (h >>> 15) ^ t.proto) | 0;
}

export class ConntrackTable {
  /** Hash → entries with that hash (tuples compared in full). */
  private readonly byTuple = new Map<number, Found[]>();
  private nextId = 1;

  private get(t: Tuple): Found | undefined {
    const list = this.byTuple.get(tupleHash(t));
    if (!list) return undefined;
    for (const f of list) if (tupleEqual(f.dir === IP_CT_DIR_ORIGINAL ? f.conn.orig : f.conn.reply, t)) return f;
    return undefined;
  }

  private put(t: Tuple, f: Found): void {
    const h = tupleHash(t);
    const list = this.byTuple.get(h);
    if (list) list.push(f);
    else this.byTuple.set(h, [f]);
  }

  private drop(t: Tuple, c: Conn): void {
    const h = tupleHash(t);
    const list = this.byTuple.get(h);
    if (!list) return;
    const rest = list.filter((f) => f.conn !== c);
    if (rest.length === 0) this.byTuple.delete(h);
    else this.byTuple.set(h, rest);
  }

  newId(): number {
    return this.nextId++;
  }

  /** nf_conntrack_find_get(): a live confirmed entry with this tuple in either direction. */
  find(t: Tuple, now: number): Found | undefined {
    const f = this.get(t);
    if (!f) return undefined;
    if (f.conn.expires <= now) {
      this.remove(f.conn);
      return undefined;
    }
    return f;
  }

  /** __nf_conntrack_confirm(): false when another entry already holds one of its tuples (a clash). */
  insert(c: Conn, now: number): boolean {
    if (this.find(c.orig, now) || this.find(c.reply, now)) return false;
    this.put(c.orig, { conn: c, dir: IP_CT_DIR_ORIGINAL });
    this.put(c.reply, { conn: c, dir: IP_CT_DIR_REPLY });
    return true;
  }

  remove(c: Conn): void {
    this.drop(c.orig, c);
    this.drop(c.reply, c);
  }

  /** nf_nat_used_tuple(): would a connection whose packets look like `t` collide with a live one? */
  used(t: Tuple, ignore: Conn, now: number): boolean {
    const f = this.find(invert(t), now);
    return f !== undefined && f.conn !== ignore;
  }

  /** Live entries, oldest first (for `conntrack -L`). */
  entries(now: number): Conn[] {
    const seen = new Set<Conn>();
    for (const list of this.byTuple.values()) for (const f of list) if (f.conn.expires > now) seen.add(f.conn);
    return [...seen].sort((a, b) => a.id - b.id);
  }
}
