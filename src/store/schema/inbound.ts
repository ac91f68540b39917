import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Keys of inbound deliveries already handled. Feishu retries at 15 s / 5 min / 1 h / 6 h and WeCom three
 * times, so a key must outlive 7 days; rows older than that are pruned.
 */
export const inboundSeen = sqliteTable(
  "inbound_seen",
  {
    key: text("key").primaryKey(),
    seenAt: integer("seen_at").notNull(),
  },
  (t) => [index("inbound_seen_at").on(t.seenAt)],
);
