import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { crises } from "./crisis.ts";
import { people } from "./people.ts";

/**
 * Duties the policy gives people (seeds/000 第十三条、第十四条): 上岗考核, 每日抽查, 整改通知, 危机演练.
 * Rows are never deleted; the archive copies the ones listed in src/core/archive/sources.ts.
 */

/**
 * One attempt at the 上岗考核 (第十四条(二)1). `questions` are ids of policy/exam/questions.json in the
 * order asked, `answers` the chosen option per question (null while unanswered). `kind` offline: an
 * assessment held in person and recorded by an admin or the 市场部门负责人 (no questions).
 */
export const examAttempts = sqliteTable(
  "exam_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    kind: text("kind").notNull().default("quiz"),
    questions: text("questions", { mode: "json" }).$type<string[]>().notNull(),
    answers: text("answers", { mode: "json" }).$type<(string | null)[]>().notNull(),
    total: integer("total").notNull(),
    correct: integer("correct"),
    /** The pass mark (percent) in force when the attempt started. */
    passPct: integer("pass_pct").notNull(),
    /** open | passed | failed */
    status: text("status").notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    recordedBy: integer("recorded_by").references(() => people.id),
    note: text("note"),
  },
  (t) => [index("exam_attempts_person").on(t.personId, t.status)],
);

/** When the exam gate was first switched on: ops holders granted before it are "existing" holders. */
export const examRollout = sqliteTable("exam_rollout", {
  id: integer("id").primaryKey(),
  at: integer("at").notNull(),
});

/** Existing ops holders at the rollout: they may keep submitting for `exam.grace` from `since`. */
export const examGrace = sqliteTable("exam_grace", {
  personId: integer("person_id")
    .primaryKey()
    .references(() => people.id),
  since: integer("since").notNull(),
});

/**
 * 每日抽查 (第十三条(一)): one sampled item (published content `#n` or closed ticket `T-n`) put before the
 * 市场部门负责人. `day` is the day sampled (YYYY-MM-DD, bot time zone).
 */
export const spotChecks = sqliteTable(
  "spot_checks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    day: text("day").notNull(),
    /** content | ticket */
    kind: text("kind").notNull(),
    itemId: integer("item_id").notNull(),
    /** Who answers for the item (author, or whoever closed the ticket); null when nobody is known. */
    ownerId: integer("owner_id").references(() => people.id),
    /** cron | manual */
    source: text("source").notNull(),
    requestedBy: integer("requested_by").references(() => people.id),
    /** pending | pass | fail */
    status: text("status").notNull(),
    reason: text("reason"),
    checkerId: integer("checker_id").references(() => people.id),
    rectificationId: integer("rectification_id"),
    createdAt: integer("created_at").notNull(),
    decidedAt: integer("decided_at"),
  },
  (t) => [index("spot_checks_day").on(t.day, t.kind), index("spot_checks_item").on(t.kind, t.itemId)],
);

/** 整改通知 `R-n` (第十三条(三)): a matter, its owner, the issuer who confirms, a deadline. */
export const rectifications = sqliteTable(
  "rectifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => people.id),
    issuerId: integer("issuer_id")
      .notNull()
      .references(() => people.id),
    matter: text("matter").notNull(),
    spotCheckId: integer("spot_check_id").references(() => spotChecks.id),
    /** open | done (owner answered, waiting for the issuer) | confirmed */
    status: text("status").notNull(),
    dueAt: integer("due_at").notNull(),
    doneAt: integer("done_at"),
    doneNote: text("done_note"),
    confirmedAt: integer("confirmed_at"),
    reopened: integer("reopened").notNull().default(0),
    breachedAt: integer("breached_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("rectifications_status").on(t.status, t.dueAt), index("rectifications_owner").on(t.ownerId)],
);

/** The record of one R-n: issued, reminded, answered, confirmed, reopened, breached. */
export const rectificationEvents = sqliteTable(
  "rectification_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    rectificationId: integer("rectification_id")
      .notNull()
      .references(() => rectifications.id),
    type: text("type").notNull(),
    actorId: integer("actor_id").references(() => people.id),
    detail: text("detail").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("rectification_events_r").on(t.rectificationId, t.at)],
);

/**
 * 危机演练 (第十四条(二)4): a crisis row run by the real pager, marked as a drill. Drills never count in
 * crisis reports; the report of the drill itself is `report` once it ended.
 */
export const crisisDrills = sqliteTable("crisis_drills", {
  crisisId: integer("crisis_id")
    .primaryKey()
    .references(() => crises.id),
  note: text("note"),
  startedBy: integer("started_by")
    .notNull()
    .references(() => people.id),
  startedAt: integer("started_at").notNull(),
  endedAt: integer("ended_at"),
  report: text("report"),
});

/** Every member's first 收到 in a drill (the real pager keeps only the first, the lead). */
export const drillAcks = sqliteTable(
  "drill_acks",
  {
    crisisId: integer("crisis_id")
      .notNull()
      .references(() => crises.id),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.crisisId, t.personId] })],
);
