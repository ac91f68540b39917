import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { people } from "./people.ts";

/** A content item under review (`#12`). `kind` lets other flows (crisis statements) reuse the engine. */
export const contentItems = sqliteTable(
  "content_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull().default("content"),
    chain: text("chain").notNull(),
    title: text("title").notNull(),
    platforms: text("platforms", { mode: "json" }).$type<string[]>().notNull(),
    authorId: integer("author_id")
      .notNull()
      .references(() => people.id),
    isAd: integer("is_ad", { mode: "boolean" }).notNull().default(false),
    isSensitive: integer("is_sensitive", { mode: "boolean" }).notNull().default(false),
    plannedAt: integer("planned_at"),
    /** in_review | rejected | approved | published | withdrawn */
    status: text("status").notNull(),
    revision: integer("revision").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("content_items_status").on(t.status), index("content_items_author").on(t.authorId)],
);

export const revisions = sqliteTable(
  "revisions",
  {
    itemId: integer("item_id")
      .notNull()
      .references(() => contentItems.id),
    revision: integer("revision").notNull(),
    body: text("body").notNull(),
    findings: text("findings", { mode: "json" }).$type<unknown[]>().notNull(),
    submittedAt: integer("submitted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.revision] })],
);

/** One row per chain step of one revision. Only a `pending` step can be decided (guarded update). */
export const reviewSteps = sqliteTable(
  "review_steps",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    itemId: integer("item_id")
      .notNull()
      .references(() => contentItems.id),
    revision: integer("revision").notNull(),
    position: integer("position").notNull(),
    stepKey: text("step_key").notNull(),
    label: text("label").notNull(),
    role: text("role").notNull(),
    /** waiting | pending | approved | rejected | cancelled */
    status: text("status").notNull(),
    openedAt: integer("opened_at"),
    decidedBy: integer("decided_by").references(() => people.id),
    decidedAt: integer("decided_at"),
    opinion: text("opinion"),
    breachedAt: integer("breached_at"),
  },
  (t) => [
    uniqueIndex("review_steps_item_rev_pos").on(t.itemId, t.revision, t.position),
    index("review_steps_status_role").on(t.status, t.role),
  ],
);

/** 审核台账: every event with who, when and opinion (seeds/000 第八条(三); columns: seeds/003 模板2). */
export const reviewEvents = sqliteTable(
  "review_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    itemId: integer("item_id")
      .notNull()
      .references(() => contentItems.id),
    revision: integer("revision").notNull(),
    type: text("type").notNull(),
    actorId: integer("actor_id"),
    stepKey: text("step_key"),
    opinion: text("opinion"),
    at: integer("at").notNull(),
  },
  (t) => [index("review_events_item").on(t.itemId), index("review_events_at").on(t.at)],
);

export const publications = sqliteTable(
  "publications",
  {
    itemId: integer("item_id")
      .notNull()
      .references(() => contentItems.id),
    platform: text("platform").notNull(),
    publishedAt: integer("published_at").notNull(),
    link: text("link"),
    publishedBy: integer("published_by").references(() => people.id),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.platform] }), index("publications_at").on(t.publishedAt)],
);
