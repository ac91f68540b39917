import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { contentTargets, metricChanges, metricValues } from "../../store/schema/index.ts";

/** What a line of /metric is about: a platform's account, a store, or one content item on one platform. */
export type MetricSubject =
  | { scope: "platform"; platform: string }
  | { scope: "store"; storeId: number; storeName: string }
  | { scope: "item"; itemId: number; platform: string; title: string };

export function subjectKey(s: MetricSubject): string {
  if (s.scope === "platform") return `platform:${s.platform}`;
  if (s.scope === "store") return `store:${s.storeId}`;
  return `item:${s.itemId}:${s.platform}`;
}

export interface Written {
  key: string;
  value: number;
  /** The value it replaced, with who logged it and when; undefined for a first value. */
  old?: { value: number; by: number; at: number };
}

/**
 * Writes a validated line: each value replaces the one for the same subject, day and key, and every write
 * (first or replacement) leaves a change row. Runs inside the caller's transaction (all or nothing).
 */
export function writeValues(
  db: Db,
  subject: MetricSubject,
  day: string,
  values: { key: string; value: number }[],
  by: number,
  at: number,
): Written[] {
  const sub = subjectKey(subject);
  const out: Written[] = [];
  for (const { key, value } of values) {
    const prev = db
      .select()
      .from(metricValues)
      .where(and(eq(metricValues.subject, sub), eq(metricValues.day, day), eq(metricValues.key, key)))
      .get();
    db.insert(metricValues)
      .values({
        subject: sub,
        scope: subject.scope,
        platform: subject.scope === "store" ? null : subject.platform,
        storeId: subject.scope === "store" ? subject.storeId : null,
        itemId: subject.scope === "item" ? subject.itemId : null,
        day,
        key,
        value,
        loggedBy: by,
        loggedAt: at,
      })
      .onConflictDoUpdate({
        target: [metricValues.subject, metricValues.day, metricValues.key],
        set: { value, loggedBy: by, loggedAt: at },
      })
      .run();
    db.insert(metricChanges)
      .values({
        subject: sub,
        day,
        key,
        oldValue: prev?.value ?? null,
        newValue: value,
        changedBy: by,
        changedAt: at,
      })
      .run();
    out.push(
      prev
        ? { key, value, old: { value: prev.value, by: prev.loggedBy, at: prev.loggedAt } }
        : { key, value },
    );
  }
  return out;
}

/** The values logged for one subject and day, in dictionary order of the caller's choosing. */
export function valuesOf(db: Db, subject: MetricSubject, day: string): Map<string, number> {
  const rows = db
    .select({ key: metricValues.key, value: metricValues.value })
    .from(metricValues)
    .where(and(eq(metricValues.subject, subjectKey(subject)), eq(metricValues.day, day)))
    .all();
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** An item's latest value per key, summed over its platforms (a content item's numbers are cumulative). */
export function itemTotals(db: Db, itemId: number): Map<string, number> {
  const rows = db.all<{ key: string; value: number }>(sql`
    select key, sum(value) as value from (
      select key, value, row_number() over (partition by platform, key order by day desc) as rn
      from ${metricValues} where item_id = ${itemId}
    ) where rn = 1 group by key`);
  return new Map(rows.map((r) => [r.key, r.value]));
}

export function targetsOf(db: Db, itemId: number): Map<string, number> {
  const rows = db.select().from(contentTargets).where(eq(contentTargets.itemId, itemId)).all();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export function setTargets(
  db: Db,
  itemId: number,
  values: { key: string; value: number }[],
  by: number,
  at: number,
): Written[] {
  const out: Written[] = [];
  for (const { key, value } of values) {
    const prev = db
      .select()
      .from(contentTargets)
      .where(and(eq(contentTargets.itemId, itemId), eq(contentTargets.key, key)))
      .get();
    db.insert(contentTargets)
      .values({ itemId, key, value, setBy: by, setAt: at })
      .onConflictDoUpdate({
        target: [contentTargets.itemId, contentTargets.key],
        set: { value, setBy: by, setAt: at },
      })
      .run();
    db.insert(metricChanges)
      .values({
        subject: `target:${itemId}`,
        day: "-",
        key,
        oldValue: prev?.value ?? null,
        newValue: value,
        changedBy: by,
        changedAt: at,
      })
      .run();
    out.push(
      prev ? { key, value, old: { value: prev.value, by: prev.setBy, at: prev.setAt } } : { key, value },
    );
  }
  return out;
}

/** The latest changes of a subject (or of an item's every platform and its targets), newest first. */
export function changesOf(db: Db, subjects: string[], limit: number) {
  if (subjects.length === 0) return [];
  return db
    .select()
    .from(metricChanges)
    .where(
      sql`${metricChanges.subject} in (${sql.join(
        subjects.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    )
    .orderBy(desc(metricChanges.changedAt), desc(metricChanges.id))
    .limit(limit)
    .all();
}
