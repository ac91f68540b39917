import { and, asc, eq, gt, isNotNull, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  accounts,
  contentItems,
  livePlans,
  metricDuties,
  reviewSteps,
  tickets,
} from "../../store/schema/index.ts";
import { platformLabel, roleLabel } from "../people/catalog.ts";
import type { ReviewDeps } from "../review/deps.ts";
import { formatShort } from "../time.ts";
import { missingPlatforms } from "./live-platforms.ts";

export interface Breach {
  /** One line describing the item. */
  text: string;
  /** People answerable for it (@-mentioned in the digest). */
  owners: number[];
}

export interface BreachGroup {
  rule: string;
  label: string;
  /** Every open breach of the rule, counted in SQL. */
  total: number;
  /** The first `limit` of them, oldest first (`items.length < total` when the list was capped). */
  items: Breach[];
}

/**
 * Every open breach, grouped by rule (the daily digest, docs/sla.md). Crises are added by the crisis module.
 *
 * Open breaches pile up (a post-publish data duty nobody logs stays breached for good), and over years of
 * history that is tens of thousands of rows. The digest shows `limit` lines per rule and counts the rest,
 * so each rule is one `count(*)` and one `LIMIT` query on its open-breach index: the cost of the digest
 * no longer grows with the backlog (docs/performance.md: the daily sweep over 1M items within 2 s and 400 MB).
 */
export function openBreaches(d: ReviewDeps, now: number, limit = Number.POSITIVE_INFINITY): BreachGroup[] {
  const take = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : -1; // SQLite: LIMIT -1 = all
  const count = (table: SQLiteTable, where: SQL | undefined) =>
    d.db.select({ n: sql<number>`count(*)` }).from(table).where(where).get()?.n ?? 0;

  const stepWhere = and(eq(reviewSteps.status, "pending"), isNotNull(reviewSteps.breachedAt));
  const steps = d.db
    .select({ step: reviewSteps, title: contentItems.title, authorId: contentItems.authorId })
    .from(reviewSteps)
    .innerJoin(contentItems, eq(contentItems.id, reviewSteps.itemId))
    .where(stepWhere)
    .orderBy(asc(reviewSteps.openedAt), asc(reviewSteps.id))
    .limit(take)
    .all();
  const holders = new Map<string, number[]>(); // one role lookup per role, not per line
  const holdersOf = (role: string) => {
    let h = holders.get(role);
    if (!h) {
      h = d.people.holders(role);
      holders.set(role, h);
    }
    return h;
  };
  const review: Breach[] = steps.map((r) => ({
    text: `#${r.step.itemId}《${r.title}》${r.step.label}（${roleLabel(r.step.role)}）自 ${formatShort(r.step.openedAt ?? 0, d.tz)} 等待`,
    owners: holdersOf(r.step.role).filter((p) => p !== r.authorId),
  }));

  const ticketWhere = and(eq(tickets.status, "open"), isNotNull(tickets.breachedAt));
  const late = d.db
    .select({ id: tickets.id, text: tickets.text, dueAt: tickets.dueAt, ownerId: tickets.ownerId })
    .from(tickets)
    .where(ticketWhere)
    .orderBy(asc(tickets.dueAt), asc(tickets.id))
    .limit(take)
    .all();
  const ticketItems: Breach[] = late.map((t) => ({
    text: `T-${t.id} ${t.text.slice(0, 24)}${t.text.length > 24 ? "…" : ""}（截止 ${formatShort(t.dueAt ?? 0, d.tz)}）`,
    owners: t.ownerId !== null ? [t.ownerId] : holdersOf("cs"),
  }));

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
  const liveItems: Breach[] = lives.map((l) => ({
    text: `L-${l.id} 直播「${l.topic}」${formatShort(l.startsAt, d.tz)}，${missingPlatforms(d, l).map(platformLabel).join("、")}预告未发布`,
    owners: [l.ownerId],
  }));

  const rotation = d.policy.durationMs("account.rotation");
  const accountWhere = lt(accounts.rotatedAt, now - rotation);
  const stale = d.db
    .select()
    .from(accounts)
    .where(accountWhere)
    .orderBy(asc(accounts.rotatedAt), asc(accounts.id))
    .limit(take)
    .all();
  const accountItems: Breach[] = stale.map((a) => ({
    text: `${platformLabel(a.platform)}账号「${a.name}」上次更换密码 ${formatShort(a.rotatedAt, d.tz)}`,
    owners: [a.ownerId],
  }));

  // The post-publish data rule (src/core/metrics/duties.ts records these breaches and reminds the author).
  const dutyWhere = and(isNull(metricDuties.loggedAt), isNotNull(metricDuties.breachedAt));
  const duties = d.db
    .select({ duty: metricDuties, title: contentItems.title, authorId: contentItems.authorId })
    .from(metricDuties)
    .innerJoin(contentItems, eq(contentItems.id, metricDuties.itemId))
    .where(dutyWhere)
    .orderBy(asc(metricDuties.publishedAt), asc(metricDuties.itemId), asc(metricDuties.platform))
    .limit(take)
    .all();
  const dutyItems: Breach[] = duties.map((r) => ({
    text: `#${r.duty.itemId}《${r.title}》${platformLabel(r.duty.platform)} ${formatShort(r.duty.publishedAt, d.tz)} 发布，未登记数据`,
    owners: [r.authorId],
  }));

  // A capped list is counted in SQL; an uncapped one is its own count.
  const group = (
    rule: string,
    label: string,
    items: Breach[],
    table: SQLiteTable,
    where: SQL | undefined,
  ) => ({
    rule,
    label,
    total: take >= 0 && items.length >= take ? count(table, where) : items.length,
    items,
  });
  return [
    group("review.step.breach", "审核超时", review, reviewSteps, stepWhere),
    group("ticket.response", "工单首次响应超时", ticketItems, tickets, ticketWhere),
    group("live.preview.lead", "直播预告未按时发布", liveItems, livePlans, liveWhere),
    group("account.rotation", "账号密码未按期更换", accountItems, accounts, accountWhere),
    group("metric.after.publish.breach", "发布后数据未登记", dutyItems, metricDuties, dutyWhere),
  ].filter((g) => g.total > 0);
}
