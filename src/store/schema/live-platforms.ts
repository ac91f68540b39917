import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { contentItems } from "./review.ts";
import { livePlans } from "./sla.ts";

/**
 * 直播预告 per platform (seeds/000 第九条(一)4 「提前3天在各平台预告」): one row for every platform a live
 * plan `L-n` names, with the published item that previewed it there. `live_plans.preview_item_id` is set
 * only once every row has its preview, so the plan counts as previewed only then. A plan from before this
 * table has no rows; its one `live_plans.platform` is its only platform.
 */
export const livePlanPlatforms = sqliteTable(
  "live_plan_platforms",
  {
    liveId: integer("live_id")
      .notNull()
      .references(() => livePlans.id),
    platform: text("platform").notNull(),
    previewItemId: integer("preview_item_id").references(() => contentItems.id),
    linkedAt: integer("linked_at"),
  },
  (t) => [primaryKey({ columns: [t.liveId, t.platform] })],
);
