import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { people } from "./people.ts";
import { contentItems } from "./review.ts";

/**
 * A crisis incident `C-7` (seeds/000 第十一条). Rows are never deleted: closed crises are kept
 * permanently (第十二条(三)). `ackedAt` is null while the current paging round is unanswered; every guard on
 * ack and stage is an UPDATE … WHERE on these columns, so two taps can never both win.
 */
export const crises = sqliteTable(
  "crises",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** 1 一般 · 2 较大 · 3 重大 */
    tier: integer("tier").notNull(),
    description: text("description").notNull(),
    /** report | assess | verify | plan | respond | execute | repair | closed (src/core/crisis/stages.ts) */
    stage: text("stage").notNull(),
    reporterId: integer("reporter_id")
      .notNull()
      .references(() => people.id),
    discoveredAt: integer("discovered_at").notNull(),
    reportedAt: integer("reported_at").notNull(),
    /** The report window of the tier at the time of the report, and how far past it the report came. */
    reportWindowMs: integer("report_window_ms").notNull(),
    reportLateMs: integer("report_late_ms").notNull().default(0),
    /** command | suggestion (the crisis-suggestion card of a store's tickets) */
    source: text("source").notNull().default("command"),
    ticketId: integer("ticket_id"),
    store: text("store"),
    leadId: integer("lead_id").references(() => people.id),
    ackedAt: integer("acked_at"),
    /** Start of the current paging round, pages sent in it, escalations done in it (1 head, 2 management). */
    pagedAt: integer("paged_at").notNull(),
    pages: integer("pages").notNull().default(0),
    escalated: integer("escalated").notNull().default(0),
    /** Contain clock notices already sent: 0 none, 1 first warning, 2 second warning, 3 breach. */
    containNotified: integer("contain_notified").notNull().default(0),
    containedAt: integer("contained_at"),
    statementItemId: integer("statement_item_id").references(() => contentItems.id),
    statementPublishedAt: integer("statement_published_at"),
    statementPublishedBy: integer("statement_published_by").references(() => people.id),
    statementLink: text("statement_link"),
    summary: text("summary"),
    closedAt: integer("closed_at"),
    closedBy: integer("closed_by").references(() => people.id),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("crises_stage").on(t.stage), index("crises_ticket").on(t.ticketId)],
);

/** The timeline of a crisis: every page, escalation, ack, stage, message, evidence, with its time. */
export const crisisEvents = sqliteTable(
  "crisis_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    crisisId: integer("crisis_id")
      .notNull()
      .references(() => crises.id),
    type: text("type").notNull(),
    actorId: integer("actor_id").references(() => people.id),
    /** What the timeline shows after the time and the actor's name (names are looked up when shown). */
    detail: text("detail").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("crisis_events_crisis").on(t.crisisId, t.at)],
);

/** Images attached as evidence (核实取证): the platform's key and message, so the archive can fetch them. */
export const crisisEvidence = sqliteTable(
  "crisis_evidence",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    crisisId: integer("crisis_id")
      .notNull()
      .references(() => crises.id),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    platform: text("platform").notNull(),
    imageKey: text("image_key").notNull(),
    messageId: text("message_id").notNull(),
    note: text("note"),
    at: integer("at").notNull(),
  },
  (t) => [index("crisis_evidence_crisis").on(t.crisisId)],
);

/** `/crisis evidence C-7`: the sender's next images until `until` belong to that crisis. */
export const crisisEvidenceWindows = sqliteTable("crisis_evidence_windows", {
  personId: integer("person_id")
    .primaryKey()
    .references(() => people.id),
  crisisId: integer("crisis_id")
    .notNull()
    .references(() => crises.id),
  note: text("note"),
  until: integer("until").notNull(),
});
