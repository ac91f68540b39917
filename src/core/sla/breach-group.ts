import { type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../../store/db.ts";
import type { Breach, BreachGroup } from "../registry.ts";

/**
 * One rule's open breaches as a digest group. Open breaches pile up (a data duty nobody logs stays
 * breached for good), and over years that is tens of thousands of rows: each provider reads at most
 * `take` items (SQLite's LIMIT, -1 = all) on its open-breach index, and a capped list is counted in SQL,
 * so the digest's cost does not grow with the backlog (the daily sweep over 1M items stays within 2 s).
 */
export function breachGroup(
  db: Db,
  take: number,
  g: { rule: string; label: string; items: Breach[]; table: SQLiteTable; where: SQL | undefined },
): BreachGroup[] {
  const total =
    take >= 0 && g.items.length >= take
      ? (db.select({ n: sql<number>`count(*)` }).from(g.table).where(g.where).get()?.n ?? 0)
      : g.items.length;
  return total > 0 ? [{ rule: g.rule, label: g.label, total, items: g.items }] : [];
}

/** Who holds a role, looked up once per role per digest rather than once per line. */
export function holderCache(holders: (role: string) => number[]): (role: string) => number[] {
  const cache = new Map<string, number[]>();
  return (role) => {
    let h = cache.get(role);
    if (!h) {
      h = holders(role);
      cache.set(role, h);
    }
    return h;
  };
}
