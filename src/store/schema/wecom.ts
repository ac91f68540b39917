import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { people } from "./people.ts";

/**
 * WeCom (企业微信) state the outbox and the receiver need, plus the cross-platform person links.
 *
 * `response_code` (docs/platforms.md → 企业微信自建应用 → cards): a template_card send returns one, and every
 * click brings a new one; each updates that copy of the card once (`update_template_card`), within 72 h.
 * One row per code, so an update spends exactly one and a retry never reuses a spent one.
 */
export const wecomCardCodes = sqliteTable(
  "wecom_card_codes",
  {
    code: text("code").primaryKey(),
    /** The copy's `task_id` (our outbox message id for WeCom cards). */
    taskId: text("task_id").notNull(),
    /** The member whose copy this code updates. */
    userId: text("user_id").notNull(),
    /** send | click */
    source: text("source").notNull(),
    issuedAt: integer("issued_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("wecom_card_codes_task").on(t.taskId)],
);

/**
 * Group robots (群机器人) registered by `/bind <用途> <webhook或key>` in a DM: an app cannot read or post
 * into ordinary groups, a robot can post. The key is a credential, so chats are named `robot:<id>` and the
 * key stays in this table (never in outbox targets, logs or admin notices).
 */
export const wecomRobots = sqliteTable("wecom_robots", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  webhookKey: text("webhook_key").notNull().unique(),
  addedBy: integer("added_by"),
  addedAt: integer("added_at").notNull(),
});

/**
 * WeCom cards have no input fields: a button that needs one (驳回 needs the opinion) asks for it, and the
 * member's next plain message in the DM is that field. At most one question per member.
 */
export const wecomPendingInputs = sqliteTable("wecom_pending_inputs", {
  userId: text("user_id").primaryKey(),
  /** The clicked button's action value (`{a, …}`), dispatched again with the answer as form value. */
  value: text("value", { mode: "json" }).notNull(),
  field: text("field").notNull(),
  taskId: text("task_id").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

/**
 * `/link`: two accounts (e.g. 飞书 and 企业微信) are one person. The identities move to the kept person
 * and the folded person points here, so everything that still names the folded id (an item's author, a
 * ticket's reporter) reaches the same human on every platform.
 */
export const personLinks = sqliteTable("person_links", {
  personId: integer("person_id")
    .primaryKey()
    .references(() => people.id),
  canonicalId: integer("canonical_id")
    .notNull()
    .references(() => people.id),
  linkedBy: integer("linked_by"),
  linkedAt: integer("linked_at").notNull(),
});
