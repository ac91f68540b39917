import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Durable timers (deadlines, reminders, repeats). A timer fires in the same transaction that marks it
 * fired, so a crash either fires it fully or not at all, and missed timers fire once after a restart.
 */
export const timers = sqliteTable(
  "timers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    ref: text("ref").notNull(),
    fireAt: integer("fire_at").notNull(),
    payload: text("payload", { mode: "json" }),
    status: text("status").notNull().default("pending"),
    createdAt: integer("created_at").notNull(),
    firedAt: integer("fired_at"),
  },
  (t) => [uniqueIndex("timers_kind_ref").on(t.kind, t.ref), index("timers_due").on(t.status, t.fireAt)],
);
