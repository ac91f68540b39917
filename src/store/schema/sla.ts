import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { people } from "./people.ts";
import { contentItems } from "./review.ts";

/** A platform account whose password must be rotated (seeds/000 第七条(三)). The password itself is never stored. */
export const accounts = sqliteTable(
  "accounts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platform: text("platform").notNull(),
    name: text("name").notNull(),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => people.id),
    rotatedAt: integer("rotated_at").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("accounts_platform_name").on(t.platform, t.name)],
);

/** A planned live stream `L-n`; its preview must be published ≥ 3 days before (seeds/000 第九条(一)4). */
export const livePlans = sqliteTable(
  "live_plans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platform: text("platform").notNull(),
    startsAt: integer("starts_at").notNull(),
    topic: text("topic").notNull(),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => people.id),
    previewItemId: integer("preview_item_id").references(() => contentItems.id),
    createdAt: integer("created_at").notNull(),
    breachedAt: integer("breached_at"),
  },
  (t) => [index("live_plans_starts").on(t.startsAt)],
);
