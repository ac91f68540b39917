import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { people, stores } from "./people.ts";
import { contentItems } from "./review.ts";

/**
 * 数据台账 (seeds/000 第十条(二)): one value per subject, day and key. `subject` names what was
 * measured as one string, so the unique index works without NULLs: `platform:douyin`, `store:3`,
 * `item:12:douyin` (a content item on one platform). The typed columns are there for the report's joins.
 * Re-logging replaces the value; every change is kept in `metric_changes`.
 */
export const metricValues = sqliteTable(
  "metric_values",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    subject: text("subject").notNull(),
    /** platform | store | item */
    scope: text("scope").notNull(),
    platform: text("platform"),
    storeId: integer("store_id").references(() => stores.id),
    itemId: integer("item_id").references(() => contentItems.id),
    /** The wall date in BOT_TIMEZONE, YYYY-MM-DD (sorts and ranges as text). */
    day: text("day").notNull(),
    /** A key of policy/metrics.json (exposure, likes…). */
    key: text("key").notNull(),
    value: real("value").notNull(),
    loggedBy: integer("logged_by")
      .notNull()
      .references(() => people.id),
    loggedAt: integer("logged_at").notNull(),
  },
  (t) => [
    uniqueIndex("metric_values_subject_day_key").on(t.subject, t.day, t.key),
    index("metric_values_scope_day").on(t.scope, t.day),
    index("metric_values_item").on(t.itemId, t.key, t.day),
  ],
);

/** Every value ever logged or replaced: who, old → new, when (old is null for the first value). */
export const metricChanges = sqliteTable(
  "metric_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** A metric subject, or `target:12` for the targets of content item #12. */
    subject: text("subject").notNull(),
    /** YYYY-MM-DD; "-" for targets, which have no date. */
    day: text("day").notNull(),
    key: text("key").notNull(),
    oldValue: real("old_value"),
    newValue: real("new_value").notNull(),
    changedBy: integer("changed_by")
      .notNull()
      .references(() => people.id),
    changedAt: integer("changed_at").notNull(),
  },
  (t) => [index("metric_changes_subject").on(t.subject, t.changedAt)],
);

/** Targets per content item (`/target #12 曝光=50万 互动=1万`, or `目标曝光=…` on /submit); 达成率 = actual / target. */
export const contentTargets = sqliteTable(
  "content_targets",
  {
    itemId: integer("item_id")
      .notNull()
      .references(() => contentItems.id),
    key: text("key").notNull(),
    value: real("value").notNull(),
    setBy: integer("set_by")
      .notNull()
      .references(() => people.id),
    setAt: integer("set_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.key] })],
);

/**
 * The post-publish data rule (seeds/003 三.1): a published item owes its metrics per platform within 72 h
 * (remind at 24 h). `loggedAt` ends the duty; `breachedAt` is when the 72 h passed without data.
 */
export const metricDuties = sqliteTable(
  "metric_duties",
  {
    itemId: integer("item_id")
      .notNull()
      .references(() => contentItems.id),
    platform: text("platform").notNull(),
    publishedAt: integer("published_at").notNull(),
    breachedAt: integer("breached_at"),
    loggedAt: integer("logged_at"),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.platform] }),
    index("metric_duties_open").on(t.loggedAt, t.breachedAt),
  ],
);

/** Reports as sent (seeds/000 第十二条 archives 周月报): the plain text of each, by period and trigger. */
export const reportsSent = sqliteTable(
  "reports_sent",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** week | month */
    kind: text("kind").notNull(),
    /** 2026-W47 | 2026-11 */
    period: text("period").notNull(),
    /** cron | command */
    trigger: text("trigger").notNull(),
    requestedBy: integer("requested_by").references(() => people.id),
    text: text("text").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("reports_sent_period").on(t.kind, t.period)],
);
