import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { arg, prepared } from "../../store/prepared.ts";
import {
  contentItems,
  publications,
  reviewEvents,
  reviewSteps,
  revisions,
} from "../../store/schema/index.ts";
import type { Finding } from "../compliance/check.ts";
import { UserError } from "../types.ts";

export type Item = typeof contentItems.$inferSelect;
export type Step = typeof reviewSteps.$inferSelect;

// A card click reads these several times each: prepared once per database (see store/prepared.ts).
const itemById = prepared((db) =>
  db
    .select()
    .from(contentItems)
    .where(eq(contentItems.id, arg("id")))
    .prepare(),
);
const stepsOfRevision = prepared((db) =>
  db
    .select()
    .from(reviewSteps)
    .where(and(eq(reviewSteps.itemId, arg("itemId")), eq(reviewSteps.revision, arg("revision"))))
    .orderBy(asc(reviewSteps.position))
    .prepare(),
);
const stepById = prepared((db) =>
  db
    .select()
    .from(reviewSteps)
    .where(eq(reviewSteps.id, arg("id")))
    .prepare(),
);
const newestRevision = prepared((db) =>
  db
    .select()
    .from(revisions)
    .where(eq(revisions.itemId, arg("itemId")))
    .orderBy(desc(revisions.revision))
    .limit(1)
    .prepare(),
);
const insertEvent = prepared((db) =>
  db
    .insert(reviewEvents)
    .values({
      itemId: arg("itemId"),
      revision: arg("revision"),
      type: arg("type"),
      actorId: arg("actorId"),
      at: arg("at"),
      stepKey: arg("stepKey"),
      opinion: arg("opinion"),
    })
    .prepare(),
);

/** Reads of the review tables, shared by the engine, the views and the ledger. */
export function getItem(db: Db, itemId: number): Item {
  const item = itemById(db).get({ id: itemId });
  if (!item) throw new UserError(`没有编号为 #${itemId} 的内容`);
  return item;
}

export function stepsOf(db: Db, itemId: number, revision: number): Step[] {
  return stepsOfRevision(db).all({ itemId, revision });
}

export function getStep(db: Db, stepId: number): Step | undefined {
  return stepById(db).get({ id: stepId });
}

export function currentStep(db: Db, item: Item): Step | undefined {
  return stepsOf(db, item.id, item.revision).find((s) => s.status === "pending");
}

export function latestRevision(
  db: Db,
  itemId: number,
): { body: string; findings: Finding[]; revision: number } {
  const row = newestRevision(db).get({ itemId });
  if (!row) throw new Error(`item ${itemId} has no revision`);
  return { body: row.body, findings: row.findings as Finding[], revision: row.revision };
}

export function publicationsOf(db: Db, itemId: number) {
  return db
    .select()
    .from(publications)
    .where(eq(publications.itemId, itemId))
    .orderBy(publications.publishedAt)
    .all();
}

export function addEvent(
  db: Db,
  e: {
    itemId: number;
    revision: number;
    type: string;
    actorId: number | null;
    at: number;
    stepKey?: string;
    opinion?: string;
  },
): void {
  insertEvent(db).run({
    itemId: e.itemId,
    revision: e.revision,
    type: e.type,
    actorId: e.actorId,
    at: e.at,
    stepKey: e.stepKey ?? null,
    opinion: e.opinion ?? null,
  });
}
