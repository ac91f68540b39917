import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { contentItems, publications } from "../../store/schema/index.ts";
import { platformLabel } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import { weekRange } from "../time.ts";

export interface CadenceRow {
  platform: string;
  label: string;
  done: number;
  target: number;
  /** Items for this platform in review or approved, not yet published on it. */
  pipeline: number;
  atRisk: boolean;
  met: boolean;
}

/** Platforms with a weekly target: every `cadence.<platform>` key in policy/rules.json. */
function targets(d: Services): { platform: string; target: number }[] {
  return d.policy
    .list()
    .filter((r) => r.key.startsWith("cadence."))
    .map((r) => ({ platform: r.key.slice("cadence.".length), target: Number(r.value) }));
}

/**
 * This ISO week's posting cadence per platform (seeds/000 第九条(一)1): published vs target, and "at risk" when the items
 * still in the pipeline cannot cover the shortfall, or the week is over with a shortfall.
 */
export function weeklyCadence(d: Services, now: number): CadenceRow[] {
  const [start, end] = weekRange(now, d.tz);
  return targets(d).map(({ platform, target }) => {
    const done =
      d.db
        .select({ n: sql<number>`count(*)` })
        .from(publications)
        .where(
          and(
            eq(publications.platform, platform),
            gte(publications.publishedAt, start),
            lt(publications.publishedAt, end),
          ),
        )
        .get()?.n ?? 0;
    const pipeline =
      d.db
        .select({ n: sql<number>`count(*)` })
        .from(contentItems)
        .where(
          and(
            eq(contentItems.kind, "content"),
            inArray(contentItems.status, ["in_review", "approved"]),
            sql`exists (select 1 from json_each(${contentItems.platforms}) where value = ${platform})`,
            sql`not exists (select 1 from ${publications} p where p.item_id = ${contentItems.id} and p.platform = ${platform})`,
          ),
        )
        .get()?.n ?? 0;
    const shortfall = Math.max(0, target - done);
    return {
      platform,
      label: platformLabel(platform),
      done,
      target,
      pipeline,
      met: shortfall === 0,
      atRisk: shortfall > 0 && (pipeline < shortfall || now >= end),
    };
  });
}

export function cadenceLine(r: CadenceRow): string {
  const state = r.met ? "✅ 已达标" : r.atRisk ? "⚠️ 有风险" : "⏳ 进行中";
  return `${r.label} ${r.done}/${r.target}（审核中 ${r.pipeline}）${state}`;
}
