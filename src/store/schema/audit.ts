import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Changes that are not review events but must be on record: roles, bindings, policy, refused clicks. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorId: integer("actor_id"),
    action: text("action").notNull(),
    detail: text("detail", { mode: "json" }),
    at: integer("at").notNull(),
  },
  (t) => [index("audit_log_at").on(t.at)],
);
