import { and, asc, gt, isNotNull, isNull, lt } from "drizzle-orm";
import { accounts, livePlans } from "../../store/schema/index.ts";
import { platformLabel } from "../people/catalog.ts";
import type { BreachGroup, BreachProvider } from "../registry.ts";
import type { Services } from "../services.ts";
import { formatShort } from "../time.ts";
import { breachGroup } from "./breach-group.ts";
import { missingPlatforms } from "./live-platforms.ts";

/**
 * Every open breach, grouped by rule, in the order the providers were registered (the features' order).
 * `limit` caps the items of each group; its total is still counted (docs/sla.md).
 */
export function openBreaches(
  d: Services,
  providers: readonly BreachProvider[],
  now: number,
  limit = Number.POSITIVE_INFINITY,
): BreachGroup[] {
  const take = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : -1; // SQLite: LIMIT -1 = all
  return providers.flatMap((provide) => provide(d, now, take));
}

/** Live streams whose preview is late, then accounts whose password is due for a change. */
export const liveAndAccountBreaches: BreachProvider = (d, now, take) => {
  const liveWhere = and(
    isNotNull(livePlans.breachedAt),
    isNull(livePlans.previewItemId),
    gt(livePlans.startsAt, now),
  );
  const lives = d.db
    .select()
    .from(livePlans)
    .where(liveWhere)
    .orderBy(asc(livePlans.startsAt), asc(livePlans.id))
    .limit(take)
    .all();
  const liveItems = lives.map((l) => ({
    text: `L-${l.id} 直播「${l.topic}」${formatShort(l.startsAt, d.tz)}，${missingPlatforms(d, l).map(platformLabel).join("、")}预告未发布`,
    owners: [l.ownerId],
  }));

  const accountWhere = lt(accounts.rotatedAt, now - d.policy.durationMs("account.rotation"));
  const stale = d.db
    .select()
    .from(accounts)
    .where(accountWhere)
    .orderBy(asc(accounts.rotatedAt), asc(accounts.id))
    .limit(take)
    .all();
  const accountItems = stale.map((a) => ({
    text: `${platformLabel(a.platform)}账号「${a.name}」上次更换密码 ${formatShort(a.rotatedAt, d.tz)}`,
    owners: [a.ownerId],
  }));
  return [
    ...breachGroup(d.db, take, {
      rule: "live.preview.lead",
      label: "直播预告未按时发布",
      items: liveItems,
      table: livePlans,
      where: liveWhere,
    }),
    ...breachGroup(d.db, take, {
      rule: "account.rotation",
      label: "账号密码未按期更换",
      items: accountItems,
      table: accounts,
      where: accountWhere,
    }),
  ];
};
