import { eq } from "drizzle-orm";
import type { TimerRow } from "../../scheduler/timers.ts";
import { crises } from "../../store/schema/crisis.ts";
import type { Services } from "../services.ts";
import { describeDuration, formatShort } from "../time.ts";
import { drillText } from "./drill-mark.ts";
import {
  CONTAIN_GOAL,
  CONTAINED_AT,
  crisisNo,
  STAGE_LABEL,
  type Stage,
  stageIndex,
  TIER_NAME,
  TIMER_CONTAIN,
  type Tier,
  windowText,
} from "./model.ts";
import { addEvent, type Crisis, findCrisis, openCrises } from "./repo.ts";

/**
 * The contain clock (seeds/000 第十一条(三)2): 24 h / 48 h / 72 h from the report, a warning at 50 % and at 90 %, the
 * breach at 100 %, each sent once to the lead, the crisis group and marketing_head. It stops when the
 * crisis reaches the stage its tier has to reach (CONTAINED_AT) or is closed.
 */

export const containWindowMs = (services: Services, tier: Tier) =>
  services.policy.durationMs(`crisis.contain.${tier}`);
export const containDeadline = (services: Services, c: Crisis) =>
  c.reportedAt + containWindowMs(services, c.tier);

/** The three notice points in percent of the window: the two warnings (policy) and the breach. */
function levels(services: Services): [number, number, number] {
  const pct = (k: string) => Math.min(100, services.policy.count(k));
  const [a, b] = [pct("crisis.contain.warn1"), pct("crisis.contain.warn2")].sort((x, y) => x - y);
  return [a ?? 50, b ?? 90, 100];
}

/** Percent of the window used at `now` (0–∞, whole numbers). */
export function containElapsedPct(services: Services, c: Crisis, now: number): number {
  return Math.floor(((now - c.reportedAt) / containWindowMs(services, c.tier)) * 100);
}

/**
 * Arms the timer for the next notice not yet sent. The timer carries no `rule`: its time is a percentage
 * of a rule, which `Timers.reschedule` cannot compute, so a policy change re-arms it (registerContain).
 */
export function armContain(services: Services, c: Crisis): void {
  const ref = String(c.id);
  const next = levels(services)[c.containNotified];
  if (c.stage === "closed" || c.containedAt !== null || next === undefined) {
    services.timers.cancel(TIMER_CONTAIN, ref);
    return;
  }
  const fireAt = c.reportedAt + Math.ceil((containWindowMs(services, c.tier) * next) / 100);
  services.timers.schedule(TIMER_CONTAIN, ref, fireAt, { crisis: c.id });
}

/** Records that the crisis reached its tier's contain stage (or closed) and stops the clock. */
export function markContainedIfReached(
  services: Services,
  c: Crisis,
  stage: Stage,
  actorId: number,
): boolean {
  if (c.containedAt !== null) return false;
  if (stage !== "closed" && stageIndex(stage) < stageIndex(CONTAINED_AT[c.tier])) return false;
  const now = services.clock.now();
  services.db.update(crises).set({ containedAt: now }).where(eq(crises.id, c.id)).run();
  services.timers.cancel(TIMER_CONTAIN, String(c.id));
  const window = containWindowMs(services, c.tier);
  const used = now - c.reportedAt;
  const verdict =
    used <= window
      ? `在处置时限内（用时 ${describeDuration(used)} / ${windowText(window)}）`
      : `超出处置时限 ${describeDuration(used - window)}`;
  addEvent(services.db, {
    crisisId: c.id,
    type: "contained",
    actorId,
    detail: `${CONTAIN_GOAL[c.tier]}：${verdict}`,
    at: now,
  });
  return true;
}

function noticeText(services: Services, c: Crisis, level: number, pct: number, now: number): string {
  const no = crisisNo(c.id);
  const deadline = containDeadline(services, c);
  const lead = c.leadId ? services.people.name(c.leadId) : "未确认";
  const tail = `当前阶段「${STAGE_LABEL[c.stage]}」，负责人：${lead}（/crisis show ${no}）`;
  if (level === 2) {
    return `🔴 ${no} ${TIER_NAME[c.tier]}危机已超过处置时限（${windowText(containWindowMs(services, c.tier))}，截止 ${formatShort(deadline, services.tz)}），尚未${CONTAIN_GOAL[c.tier]}。${tail}`;
  }
  return `⏳ ${no} ${TIER_NAME[c.tier]}危机处置时限已用 ${pct}%：应在 ${formatShort(deadline, services.tz)} 前${CONTAIN_GOAL[c.tier]}，剩余 ${describeDuration(deadline - now)}。${tail}`;
}

/** Lead (DM), the crisis group(s) and every marketing_head (DM), each once. */
function notify(services: Services, c: Crisis, text: string): void {
  const msg = { type: "text" as const, text: drillText(services.db, c.id, text) };
  const people = new Set<number>([
    ...(c.leadId ? [c.leadId] : []),
    ...services.people.holders("marketing_head"),
  ]);
  for (const p of people) services.outbound.toPerson(p, msg);
  services.outbound.toGroups("crisis", msg);
}

function onContainTimer(services: Services, t: TimerRow): void {
  const c = findCrisis(services.db, Number(t.ref));
  if (!c || c.stage === "closed" || c.containedAt !== null) return;
  const now = services.clock.now();
  const window = containWindowMs(services, c.tier);
  const points = levels(services);
  // After downtime or a re-tier several points may have passed: send only the latest one, once.
  let reached = -1;
  for (let i = c.containNotified; i < points.length; i++) {
    if (now - c.reportedAt >= (window * (points[i] ?? 100)) / 100) reached = i;
  }
  if (reached >= 0) {
    const pct = points[reached] ?? 100;
    services.db
      .update(crises)
      .set({ containNotified: reached + 1 })
      .where(eq(crises.id, c.id))
      .run();
    notify(services, c, noticeText(services, c, reached, pct, now));
    addEvent(services.db, {
      crisisId: c.id,
      type: reached === 2 ? "contain_breach" : "contain_warning",
      actorId: null,
      detail:
        reached === 2 ? "超过处置时限，已通知负责人、危机群和市场部门负责人" : `处置时限已用 ${pct}%，已提醒`,
      at: now,
    });
  }
  const after = findCrisis(services.db, c.id);
  if (after) armContain(services, after);
}

export function registerContain(services: Services): void {
  services.timers.on(TIMER_CONTAIN, (t) => onContainTimer(services, t));
  // /policy set crisis.contain.3 96h (or a warning percentage) applies to every open crisis at once.
  services.policy.onChange((key) => {
    if (!key.startsWith("crisis.contain.")) return;
    for (const c of openCrises(services.db)) armContain(services, c);
  });
}
