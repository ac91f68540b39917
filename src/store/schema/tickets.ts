import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { people, stores } from "./people.ts";

/** A customer-feedback ticket `T-34` (seeds/000 第九条(二); docs/feedback.md). */
export const tickets = sqliteTable(
  "tickets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    storeId: integer("store_id").references(() => stores.id),
    text: text("text").notNull(),
    /** positive | neutral | negative */
    sentiment: text("sentiment").notNull(),
    reasons: text("reasons", { mode: "json" }).$type<string[]>().notNull(),
    category: text("category").notNull(),
    /** Where the customer said it (dianping, weibo…), when the message names it. */
    source: text("source"),
    severe: text("severe", { mode: "json" }).$type<string[]>().notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    reporterId: integer("reporter_id")
      .notNull()
      .references(() => people.id),
    /** The chat platform it came in on (feishu, wecom, wechat). */
    platform: text("platform").notNull(),
    chatId: text("chat_id"),
    /** open | done | material (positive feedback kept as 好评素材, no reply deadline) */
    status: text("status").notNull(),
    ownerId: integer("owner_id").references(() => people.id),
    createdAt: integer("created_at").notNull(),
    /** First-response deadline; null when no reply is owed. */
    dueAt: integer("due_at"),
    breachedAt: integer("breached_at"),
    closedAt: integer("closed_at"),
    closedBy: integer("closed_by").references(() => people.id),
    note: text("note"),
  },
  (t) => [
    index("tickets_status").on(t.status),
    index("tickets_store_created").on(t.storeId, t.createdAt),
    index("tickets_created").on(t.createdAt),
  ],
);

export const ticketEvents = sqliteTable(
  "ticket_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id),
    type: text("type").notNull(),
    actorId: integer("actor_id"),
    note: text("note"),
    at: integer("at").notNull(),
  },
  (t) => [index("ticket_events_ticket").on(t.ticketId)],
);

/** A 疑似危机 card posted for a store, so the same burst of complaints does not post it again. */
export const crisisSuggestions = sqliteTable(
  "crisis_suggestions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    storeId: integer("store_id").references(() => stores.id),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id),
    reason: text("reason").notNull(),
    createdAt: integer("created_at").notNull(),
    /** open | opened (a crisis was opened from it) | ignored */
    status: text("status").notNull(),
  },
  (t) => [index("crisis_suggestions_store").on(t.storeId, t.createdAt)],
);
