import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { examAttempts } from "../../store/schema/index.ts";

export type Attempt = typeof examAttempts.$inferSelect;

/** Reads of the 上岗考核 tables. */

export function openAttempt(db: Db, personId: number): Attempt | undefined {
  return db
    .select()
    .from(examAttempts)
    .where(and(eq(examAttempts.personId, personId), eq(examAttempts.status, "open")))
    .orderBy(desc(examAttempts.id))
    .get();
}

export function findAttempt(db: Db, id: number): Attempt | undefined {
  return db.select().from(examAttempts).where(eq(examAttempts.id, id)).get();
}

/** The latest pass of a person (quiz or recorded in person), if any. */
export function lastPass(db: Db, personId: number): Attempt | undefined {
  return db
    .select()
    .from(examAttempts)
    .where(and(eq(examAttempts.personId, personId), eq(examAttempts.status, "passed")))
    .orderBy(desc(examAttempts.finishedAt), desc(examAttempts.id))
    .get();
}

export function attemptsOf(db: Db, personId: number): Attempt[] {
  return db
    .select()
    .from(examAttempts)
    .where(eq(examAttempts.personId, personId))
    .orderBy(desc(examAttempts.id))
    .all();
}

export function recentAttempts(db: Db, limit: number): Attempt[] {
  return db.select().from(examAttempts).orderBy(desc(examAttempts.id)).limit(limit).all();
}

/** Percent of questions answered right, rounded down (9/10 → 90). */
export const scorePct = (a: Pick<Attempt, "correct" | "total">) =>
  a.total > 0 ? Math.floor(((a.correct ?? 0) * 100) / a.total) : 0;
