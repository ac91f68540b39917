import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { people } from "./people.ts";
import { contentItems } from "./review.ts";

/**
 * 运营档案 (seeds/000 第十二条; docs/archive.md). Every row is a copy of something the bot recorded, written by
 * SQLite triggers (migrations/*_archive_triggers.sql) in the same transaction as the write it copies, and
 * chained: `hash = sha256(prev_hash || json_array(id, at, kind, op, scope, retention, content))`. Triggers
 * refuse updates of a hashed row and every delete except the retention job's (see `archivePurgePermit`).
 * The triggers call `sha256()` and `bot_now()`, which only the bot's own connection defines (openDb), so
 * no other connection can write to an archived table.
 */
export const archiveRecords = sqliteTable(
  "archive_records",
  {
    /** AUTOINCREMENT: an id is never reused after a purge, so a gap is always visible. */
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** When it was recorded (the bot's clock); retention counts from here. */
    at: integer("at").notNull(),
    /** The source table (review_events, tickets…) or archive_purge for a retention job's note. */
    kind: text("kind").notNull(),
    /** insert | update | backfill (rows that existed before the archive) | purge */
    op: text("op").notNull(),
    /** What it belongs to: review:#12, ticket:T-3, crisis:C-2, metric:…, report:…, policy:…, audit:…, archive:… */
    scope: text("scope").notNull(),
    /** standard (archive.retention, 3 years) | permanent (crises, purge notes, marks) */
    retention: text("retention").notNull(),
    /** The row as json_object(...) of all its columns at that moment. */
    content: text("content").notNull(),
    prevHash: text("prev_hash"),
    hash: text("hash"),
  },
  // One index only: every index is paid on every archived write; the retention job and the verifier
  // walk the whole table in id order anyway.
  (t) => [index("archive_records_scope").on(t.scope, t.id)],
);

/** Scopes kept permanently whatever their records' class: `/archive mark <范围> 重大`, and crisis-linked items. */
export const archiveMarks = sqliteTable("archive_marks", {
  scope: text("scope").primaryKey(),
  /** 重大 (an admin's mark) | 危机 (the source ticket or the statement of a crisis, marked by a trigger) */
  level: text("level").notNull(),
  reason: text("reason").notNull(),
  markedBy: integer("marked_by"),
  markedAt: integer("marked_at").notNull(),
});

/**
 * 《档案查阅申请》: one per review item of kind archive_access. Approval sets the window in which the
 * requester may read that scope (`archive.grant`, 24 h).
 */
export const archiveRequests = sqliteTable(
  "archive_requests",
  {
    itemId: integer("item_id")
      .primaryKey()
      .references(() => contentItems.id),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    /** Canonical scope: an exact scope (review:#12), a class prefix ending in ':' (ticket:), or * for all. */
    scope: text("scope").notNull(),
    external: integer("external", { mode: "boolean" }).notNull().default(false),
    reason: text("reason").notNull(),
    requestedAt: integer("requested_at").notNull(),
    grantedAt: integer("granted_at"),
    expiresAt: integer("expires_at"),
  },
  (t) => [index("archive_requests_person").on(t.personId, t.expiresAt)],
);

/** Every read of the archive (and every refused attempt), itself archived by a trigger. */
export const archiveAccessLog = sqliteTable(
  "archive_access_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    /** search | show */
    action: text("action").notNull(),
    /** The keyword searched, or the record number shown. */
    query: text("query").notNull(),
    /** The canonical scopes read, comma-separated. */
    scope: text("scope").notNull(),
    /** role (marketing_head/admin) | grant (an approved request) | refused */
    basis: text("basis").notNull(),
    requestItemId: integer("request_item_id"),
    results: integer("results").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("archive_access_log_at").on(t.at)],
);

/**
 * Present only inside the retention job's transaction: the delete guard on archive_records lets a row go
 * only while a permit exists, and only if the row is standard, older than the permit's cutoff and not marked.
 */
export const archivePurgePermit = sqliteTable(
  "archive_purge_permit",
  {
    id: integer("id").primaryKey(),
    cutoff: integer("cutoff").notNull(),
  },
  (t) => [check("archive_purge_permit_one", sql`${t.id} = 1`)],
);
