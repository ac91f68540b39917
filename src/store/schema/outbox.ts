import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Every outbound platform call is a row here, written in the same transaction as the state change that
 * caused it. The worker delivers rows in id order; `idemKey` is sent to the platform (Feishu `uuid`,
 * WeCom `task_id`) so a resend after a crash is dropped on the platform side.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platform: text("platform").notNull(),
    /** send | update | urgent — see src/outbox/types.ts */
    op: text("op").notNull(),
    /** The limiter key: the chat or user this call counts against (platform rate limits). */
    target: text("target").notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    idemKey: text("idem_key").notNull().unique(),
    /** Logical card this message is a copy of, so later updates can find every copy. */
    cardRef: text("card_ref"),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    doneAt: integer("done_at"),
    /** Platform message id returned by a send. */
    messageId: text("message_id"),
  },
  (t) => [
    index("outbox_due").on(t.status, t.nextAttemptAt),
    index("outbox_card_ref").on(t.cardRef),
    // WeCom drops a message identical to one sent in the last 30 min (the duplicate check that makes
    // resends safe); the writer looks up recent identical ones to make a new one distinct. WeCom rows only.
    index("outbox_wecom_recent").on(t.target, t.createdAt).where(sql`platform = 'wecom'`),
  ],
);
