import { eq } from "drizzle-orm";
import type { TimerRow } from "../../scheduler/timers.ts";
import { crises } from "../../store/schema/crisis.ts";
import type { Core } from "../core.ts";
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

export const containWindowMs = (core: Core, tier: Tier) => core.policy.durationMs(`crisis.contain.${tier}`);
export const containDeadline = (core: Core, c: Crisis) => c.reportedAt + containWindowMs(core, c.tier);

/** The three notice points in percent of the window: the two warnings (policy) and the breach. */
function levels(core: Core): [number, number, number] {
  const pct = (k: string) => Math.min(100, core.policy.count(k));
  const [a, b] = [pct("crisis.contain.warn1"), pct("crisis.contain.warn2")].sort((x, y) => x - y);
  return [a ?? 50, b ?? 90, 100];
}

/** Percent of the window used at `now` (0–∞, whole numbers). */
export function containElapsedPct(core: Core, c: Crisis, now: number): number {
  return Math.floor(((now - c.reportedAt) / containWindowMs(core, c.tier)) * 100);
}

/**
 * Arms the timer for the next notice not yet sent. The timer carries no `rule`: its time is a percentage
 * of a rule, which `Timers.reschedule` cannot compute, so a policy change re-arms it (registerContain).
 */
export function armContain(core: Core, c: Crisis): void {
  const ref = String(c.id);
  const next = levels(core)[c.containNotified];
  if (c.stage === "closed" || c.containedAt !== null || next === undefined) {
    core.timers.cancel(TIMER_CONTAIN, ref);
    return;
  }
  const fireAt = c.reportedAt + Math.ceil((containWindowMs(core, c.tier) * next) / 100);
  core.timers.schedule(TIMER_CONTAIN, ref, fireAt, { crisis: c.id });
}

/** Records that the crisis reached its tier's contain stage (or closed) and stops the clock. */
export function markContainedIfReached(core: Core, c: Crisis, stage: Stage, actorId: number): boolean {
  if (c.containedAt !== null) return false;
  if (stage !== "closed" && stageIndex(stage) < stageIndex(CONTAINED_AT[c.tier])) return false;
  const now = core.clock.now();
  core.db.update(crises).set({ containedAt: now }).where(eq(crises.id, c.id)).run();
  core.timers.cancel(TIMER_CONTAIN, String(c.id));
  const window = containWindowMs(core, c.tier);
  const used = now - c.reportedAt;
  const verdict =
    used <= window
      ? `在处置时限内（用时 ${describeDuration(used)} / ${windowText(window)}）`
      : `超出处置时限 ${describeDuration(used - window)}`;
  addEvent(core.db, {
    crisisId: c.id,
    type: "contained",
    actorId,
    detail: `${CONTAIN_GOAL[c.tier]}：${verdict}`,
    at: now,
  });
  return true;
}

function noticeText(core: Core, c: Crisis, level: number, pct: number, now: number): string {
  const no = crisisNo(c.id);
  const deadline = containDeadline(core, c);
  const lead = c.leadId ? core.people.name(c.leadId) : "未确认";
  const tail = `当前阶段「${STAGE_LABEL[c.stage]}」，负责人：${lead}（/crisis show ${no}）`;
  if (level === 2) {
    return `🔴 ${no} ${TIER_NAME[c.tier]}危机已超过处置时限（${windowText(containWindowMs(core, c.tier))}，截止 ${formatShort(deadline, core.tz)}），尚未${CONTAIN_GOAL[c.tier]}。${tail}`;
  }
  return `⏳ ${no} ${TIER_NAME[c.tier]}危机处置时限已用 ${pct}%：应在 ${formatShort(deadline, core.tz)} 前${CONTAIN_GOAL[c.tier]}，剩余 ${describeDuration(deadline - now)}。${tail}`;
}

/** Lead (DM), the crisis group(s) and every marketing_head (DM), each once. */
function notify(core: Core, c: Crisis, text: string): void {
  const msg = { type: "text" as const, text: drillText(core.db, c.id, text) };
  const people = new Set<number>([...(c.leadId ? [c.leadId] : []), ...core.people.holders("marketing_head")]);
  for (const p of people) core.outbound.toPerson(p, msg);
  core.outbound.toGroups("crisis", msg);
}

function onContainTimer(core: Core, t: TimerRow): void {
  const c = findCrisis(core.db, Number(t.ref));
  if (!c || c.stage === "closed" || c.containedAt !== null) return;
  const now = core.clock.now();
  const window = containWindowMs(core, c.tier);
  const points = levels(core);
  // After downtime or a re-tier several points may have passed: send only the latest one, once.
  let reached = -1;
  for (let i = c.containNotified; i < points.length; i++) {
    if (now - c.reportedAt >= (window * (points[i] ?? 100)) / 100) reached = i;
  }
  if (reached >= 0) {
    const pct = points[reached] ?? 100;
    core.db
      .update(crises)
      .set({ containNotified: reached + 1 })
      .where(eq(crises.id, c.id))
      .run();
    notify(core, c, noticeText(core, c, reached, pct, now));
    addEvent(core.db, {
      crisisId: c.id,
      type: reached === 2 ? "contain_breach" : "contain_warning",
      actorId: null,
      detail:
        reached === 2 ? "超过处置时限，已通知负责人、危机群和市场部门负责人" : `处置时限已用 ${pct}%，已提醒`,
      at: now,
    });
  }
  const after = findCrisis(core.db, c.id);
  if (after) armContain(core, after);
}

export function registerContain(core: Core): void {
  core.timers.on(TIMER_CONTAIN, (t) => onContainTimer(core, t));
  // /policy set crisis.contain.3 96h (or a warning percentage) applies to every open crisis at once.
  core.policy.onChange((key) => {
    if (!key.startsWith("crisis.contain.")) return;
    for (const c of openCrises(core.db)) armContain(core, c);
  });
}
