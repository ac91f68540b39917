import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { livePlanPlatforms, type livePlans, publications } from "../../store/schema/index.ts";
import { findPlatform, platformLabel } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import { formatShort } from "../time.ts";
import { UserError } from "../types.ts";

/**
 * 直播预告 on every platform (seeds/000 第九条(一)4 「提前3天在各平台预告」): a live plan may name several
 * platforms (`/live 抖音,视频号 …`) and is previewed only when each of them has a published preview.
 */

type Plan = typeof livePlans.$inferSelect;

/** "抖音,视频号" (also 、 and ，) → platform keys, or undefined when any name is unknown. */
export function parseLivePlatforms(text: string): string[] | undefined {
  const names = text
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const keys: string[] = [];
  for (const n of names) {
    const p = findPlatform(n);
    if (!p) return undefined;
    if (!keys.includes(p.key)) keys.push(p.key);
  }
  return keys.length > 0 ? keys : undefined;
}

export function recordLivePlatforms(d: Services, liveId: number, platforms: string[]): void {
  for (const platform of platforms) d.db.insert(livePlanPlatforms).values({ liveId, platform }).run();
}

/** Every platform of the plan with its preview (null while none); old plans have only `plan.platform`. */
export function livePlatformsOf(
  d: Pick<Services, "db">,
  plan: Plan,
): { platform: string; previewItemId: number | null }[] {
  const rows = d.db
    .select({ platform: livePlanPlatforms.platform, previewItemId: livePlanPlatforms.previewItemId })
    .from(livePlanPlatforms)
    .where(eq(livePlanPlatforms.liveId, plan.id))
    .orderBy(sql`rowid`) // the order the plan named them
    .all();
  return rows.length > 0 ? rows : [{ platform: plan.platform, previewItemId: plan.previewItemId }];
}

export function missingPlatforms(d: Pick<Services, "db">, plan: Plan): string[] {
  return livePlatformsOf(d, plan)
    .filter((r) => r.previewItemId === null)
    .map((r) => r.platform);
}

/**
 * Links a published item as the preview on each of the plan's platforms it is published on and that has
 * none yet. Returns the platforms it covered and those still missing; the plan is complete when none is.
 */
export function linkPlatformPreviews(
  d: Services,
  plan: Plan,
  itemId: number,
): { covered: string[]; missing: string[] } {
  const now = d.clock.now();
  const all = livePlatformsOf(d, plan);
  const names = all.map((r) => r.platform);
  const published = d.db
    .select({ platform: publications.platform })
    .from(publications)
    .where(and(eq(publications.itemId, itemId), inArray(publications.platform, names)))
    .all()
    .map((p) => p.platform);
  if (published.length === 0)
    throw new UserError(`#${itemId} 还没有在${names.map(platformLabel).join("或")}发布，发布后再关联`);
  const open = all.filter((r) => r.previewItemId === null).map((r) => r.platform);
  const covered = published.filter((p) => open.includes(p));
  if (covered.length === 0)
    throw new UserError(
      `L-${plan.id} 在${published.map(platformLabel).join("、")}已有预告，还差：${open.map(platformLabel).join("、")}`,
    );
  // A plan from before the per-platform rows has none to update: its completion is the plan row itself.
  d.db
    .update(livePlanPlatforms)
    .set({ previewItemId: itemId, linkedAt: now })
    .where(
      and(
        eq(livePlanPlatforms.liveId, plan.id),
        inArray(livePlanPlatforms.platform, covered),
        isNull(livePlanPlatforms.previewItemId),
      ),
    )
    .run();
  return { covered, missing: open.filter((p) => !covered.includes(p)) };
}

/** One line of `/live list`: each platform with its preview (✅ #n) or ⏳. */
export function livePlanLine(d: Pick<Services, "db">, plan: Plan, tz: string): string {
  const parts = livePlatformsOf(d, plan).map(
    (r) => `${platformLabel(r.platform)}${r.previewItemId ? ` 预告 #${r.previewItemId} ✅` : " 预告未关联"}`,
  );
  return `L-${plan.id} ${formatShort(plan.startsAt, tz)}「${plan.topic}」${parts.join("；")}`;
}
