import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import { contentItems, metricDuties } from "../../store/schema/index.ts";
import { platformLabel } from "../people/catalog.ts";
import type { BreachProvider } from "../registry.ts";
import { breachGroup } from "../sla/breach-group.ts";
import { formatShort } from "../time.ts";

/** The post-publish data rule: publications whose data was not logged in time (duties.ts records them). */
export const dutyBreaches: BreachProvider = (d, _now, take) => {
  const where = and(isNull(metricDuties.loggedAt), isNotNull(metricDuties.breachedAt));
  const duties = d.db
    .select({ duty: metricDuties, title: contentItems.title, authorId: contentItems.authorId })
    .from(metricDuties)
    .innerJoin(contentItems, eq(contentItems.id, metricDuties.itemId))
    .where(where)
    .orderBy(asc(metricDuties.publishedAt), asc(metricDuties.itemId), asc(metricDuties.platform))
    .limit(take)
    .all();
  const items = duties.map((r) => ({
    text: `#${r.duty.itemId}《${r.title}》${platformLabel(r.duty.platform)} ${formatShort(r.duty.publishedAt, d.tz)} 发布，未登记数据`,
    owners: [r.authorId],
  }));
  return breachGroup(d.db, take, {
    rule: "metric.after.publish.breach",
    label: "发布后数据未登记",
    items,
    table: metricDuties,
    where,
  });
};
