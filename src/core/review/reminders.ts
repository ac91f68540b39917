import { eq } from "drizzle-orm";
import type { TimerRow } from "../../scheduler/timers.ts";
import { reviewSteps } from "../../store/schema/index.ts";
import type { Services } from "../services.ts";
import { deferIfQuiet } from "../sla/defer.ts";
import { remind } from "../sla/reminder-batch.ts";
import { describeDuration } from "../time.ts";
import { TIMER_BREACH, TIMER_REMIND } from "./deps.ts";
import type { ReviewEngine } from "./engine.ts";
import { addEvent, getItem, getStep } from "./repo.ts";

/**
 * 催办 at review.step.remind (12 h) and 超时 at review.step.breach (24 h). Each fires once per step and
 * level (the timer row is the once); in quiet hours the message waits until they end.
 */
export function registerReviewTimers(d: Services, engine: ReviewEngine): void {
  const handler = (level: "remind" | "breach") => (t: TimerRow) => {
    const step = getStep(d.db, Number(t.ref));
    if (step?.status !== "pending") return;
    if (level === "breach" && !step.breachedAt) {
      d.db.update(reviewSteps).set({ breachedAt: t.fireAt }).where(eq(reviewSteps.id, step.id)).run();
    }
    const now = d.clock.now();
    if (deferIfQuiet(t, now, d)) return;
    const item = getItem(d.db, step.itemId);
    const waited = describeDuration(now - (step.openedAt ?? now));
    const text =
      level === "remind"
        ? `⏰ 催办：#${item.id}《${item.title}》的「${step.label}」已等待 ${waited}，请尽快处理（/approve ${item.id} 或 /reject ${item.id} <意见>）`
        : `🔴 超时：#${item.id}《${item.title}》的「${step.label}」已等待 ${waited}，超过时限`;
    // Into the sweep's one message per person (src/core/sla/reminder-batch.ts).
    for (const p of engine.deciders(item, step)) remind(d, p, text);
    if (level === "breach") remind(d, item.authorId, `${text}，已提醒审核人`);
    addEvent(d.db, {
      itemId: item.id,
      revision: step.revision,
      type: level,
      actorId: null,
      at: now,
      stepKey: step.stepKey,
    });
  };
  d.timers.on(TIMER_REMIND, handler("remind"));
  d.timers.on(TIMER_BREACH, handler("breach"));
}
