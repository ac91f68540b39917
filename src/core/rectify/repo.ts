import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { rectificationEvents, rectifications } from "../../store/schema/index.ts";
import { UserError } from "../types.ts";

export type Rectification = typeof rectifications.$inferSelect;

export const rectNo = (id: number) => `R-${id}`;
export const rectCardRef = (id: number) => `rectify:${id}`;
export const TIMER_RECTIFY_REMIND = "rectify.remind";
export const TIMER_RECTIFY_BREACH = "rectify.breach";

export const STATUS_LABEL: Record<string, string> = {
  open: "整改中",
  done: "已完成，待确认",
  confirmed: "已确认",
};

export function findRect(db: Db, id: number): Rectification | undefined {
  return db.select().from(rectifications).where(eq(rectifications.id, id)).get();
}

export function getRect(db: Db, id: number): Rectification {
  const r = findRect(db, id);
  if (!r) throw new UserError(`没有整改通知 ${rectNo(id)}`);
  return r;
}

/** Not yet confirmed: open (the owner is on it) or done (waiting for the issuer). */
export function unconfirmed(db: Db): Rectification[] {
  return db
    .select()
    .from(rectifications)
    .where(inArray(rectifications.status, ["open", "done"]))
    .orderBy(asc(rectifications.dueAt), asc(rectifications.id))
    .all();
}

export function mineOpen(db: Db, personId: number): Rectification[] {
  return db
    .select()
    .from(rectifications)
    .where(and(eq(rectifications.ownerId, personId), inArray(rectifications.status, ["open", "done"])))
    .orderBy(asc(rectifications.id))
    .all();
}

export function eventsOfRect(db: Db, id: number) {
  return db
    .select()
    .from(rectificationEvents)
    .where(eq(rectificationEvents.rectificationId, id))
    .orderBy(asc(rectificationEvents.at), asc(rectificationEvents.id))
    .all();
}

export function addRectEvent(
  db: Db,
  e: { rectificationId: number; type: string; actorId: number | null; detail: string; at: number },
): void {
  db.insert(rectificationEvents).values(e).run();
}
