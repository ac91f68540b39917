import { and, eq, isNull } from "drizzle-orm";
import type { TimerRow } from "../../scheduler/timers.ts";
import { contentItems, metricDuties } from "../../store/schema/index.ts";
import { platformLabel } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import { deferIfQuiet } from "../sla/defer.ts";
import { describeDuration, formatShort } from "../time.ts";

/**
 * The post-publish data rule (seeds/003 三.1 "发布后24-72小时内…收集各平台核心数据"): every platform an
 * item is published on owes its metrics; the author is reminded at 24 h and the breach is recorded at
 * 72 h, unless `/metric #n <平台> …` came first. Both are durable timers (once, also across restarts),
 * delayed by quiet hours like every non-crisis reminder; the breach joins the daily digest.
 */
export const TIMER_METRIC_REMIND = "metric.remind";
export const TIMER_METRIC_BREACH = "metric.breach";
const RULES = [
  [TIMER_METRIC_REMIND, "metric.after.publish.remind"],
  [TIMER_METRIC_BREACH, "metric.after.publish.breach"],
] as const;

const refOf = (itemId: number, platform: string) => `${itemId}:${platform}`;

/** An item went out on a platform: the duty starts at its first publication there. */
export function startDuty(d: Services, itemId: number, platform: string, at: number): void {
  const item = d.db
    .select({ kind: contentItems.kind })
    .from(contentItems)
    .where(eq(contentItems.id, itemId))
    .get();
  if (item?.kind !== "content") return;
  const res = d.db
    .insert(metricDuties)
    .values({ itemId, platform, publishedAt: at })
    .onConflictDoNothing()
    .run();
  if (res.changes === 0) return; // re-published (a new link): the clock keeps its first start
  for (const [kind, rule] of RULES) {
    d.timers.schedule(kind, refOf(itemId, platform), at + d.policy.durationMs(rule), { rule, basis: at });
  }
}

/** Metrics for the item on that platform were logged: the duty is done and its timers stop. */
export function completeDuty(d: Services, itemId: number, platform: string, at: number): void {
  d.db
    .update(metricDuties)
    .set({ loggedAt: at })
    .where(
      and(
        eq(metricDuties.itemId, itemId),
        eq(metricDuties.platform, platform),
        isNull(metricDuties.loggedAt),
      ),
    )
    .run();
  for (const [kind] of RULES) d.timers.cancel(kind, refOf(itemId, platform));
}

function openDuty(d: Services, ref: string) {
  const [item, platform = ""] = ref.split(":");
  return d.db
    .select({ duty: metricDuties, title: contentItems.title, authorId: contentItems.authorId })
    .from(metricDuties)
    .innerJoin(contentItems, eq(contentItems.id, metricDuties.itemId))
    .where(
      and(
        eq(metricDuties.itemId, Number(item)),
        eq(metricDuties.platform, platform),
        isNull(metricDuties.loggedAt),
      ),
    )
    .get();
}

const example = (itemId: number, platform: string) =>
  `/metric #${itemId} ${platformLabel(platform)} 曝光=… 点赞=… 评论=… 转发=…`;

export function registerDutyTimers(d: Services): void {
  d.timers.on(TIMER_METRIC_REMIND, (t: TimerRow) => {
    const open = openDuty(d, t.ref);
    if (!open || deferIfQuiet(t, d.clock.now(), d)) return;
    const { duty, title } = open;
    const since = describeDuration(t.fireAt - duty.publishedAt);
    const due = formatShort(duty.publishedAt + d.policy.durationMs("metric.after.publish.breach"), d.tz);
    d.outbound.toPerson(open.authorId, {
      type: "text",
      text: `⏰ #${duty.itemId}《${title}》在${platformLabel(duty.platform)}发布已 ${since}，请在 ${due} 前登记发布后数据：${example(duty.itemId, duty.platform)}`,
    });
  });
  d.timers.on(TIMER_METRIC_BREACH, (t: TimerRow) => {
    const open = openDuty(d, t.ref);
    if (!open) return;
    const { duty, title } = open;
    if (!duty.breachedAt) {
      d.db
        .update(metricDuties)
        .set({ breachedAt: t.fireAt })
        .where(and(eq(metricDuties.itemId, duty.itemId), eq(metricDuties.platform, duty.platform)))
        .run();
    }
    if (deferIfQuiet(t, d.clock.now(), d)) return;
    const limit = describeDuration(t.fireAt - duty.publishedAt);
    d.outbound.toPerson(open.authorId, {
      type: "text",
      text: `🔴 超时：#${duty.itemId}《${title}》在${platformLabel(duty.platform)}发布已超过 ${limit}，仍未登记数据，请尽快登记：${example(duty.itemId, duty.platform)}`,
    });
  });
}
