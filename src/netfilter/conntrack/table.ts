/**
 * One namespace's conntrack table (the nf_conntrack hash): confirmed connections found by
 * either tuple. Entries expire lazily in virtual time — a lookup past `expires` removes the
 * entry, as the kernel's gc would have. Rule changes never touch it, so stale entries keep
 * steering their flows as on a real node.
 */
import type { Conn } from "./conn.js";
import type { CtDir, Tuple } from "./tuple.js";
import { IP_CT_DIR_ORIGINAL, IP_CT_DIR_REPLY, invert, tupleKey } from "./tuple.js";

export interface Found {
  readonly conn: Conn;
  readonly dir: CtDir;
}

export class ConntrackTable {
  private readonly byTuple = new Map<string, Found>();
  private nextId = 1;

  newId(): number {
    return this.nextId++;
  }

  /** nf_conntrack_find_get(): a live confirmed entry with this tuple in either direction. */
  find(t: Tuple, now: number): Found | undefined {
    const f = this.byTuple.get(tupleKey(t));
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
    this.byTuple.set(tupleKey(c.orig), { conn: c, dir: IP_CT_DIR_ORIGINAL });
    this.byTuple.set(tupleKey(c.reply), { conn: c, dir: IP_CT_DIR_REPLY });
    return true;
  }

  remove(c: Conn): void {
    const o = this.byTuple.get(tupleKey(c.orig));
    if (o?.conn === c) this.byTuple.delete(tupleKey(c.orig));
    const r = this.byTuple.get(tupleKey(c.reply));
    if (r?.conn === c) this.byTuple.delete(tupleKey(c.reply));
  }

  /** nf_nat_used_tuple(): would a connection whose packets look like `t` collide with a live one? */
  used(t: Tuple, ignore: Conn, now: number): boolean {
    const f = this.find(invert(t), now);
    return f !== undefined && f.conn !== ignore;
  }

  /** Live entries, oldest first (for `conntrack -L`). */
  entries(now: number): Conn[] {
    const seen = new Set<Conn>();
    for (const f of [...this.byTuple.values()]) if (f.conn.expires > now) seen.add(f.conn);
    return [...seen].sort((a, b) => a.id - b.id);
  }
}
