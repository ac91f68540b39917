import { and, eq, ne } from "drizzle-orm";
import { crises } from "../../store/schema/crisis.ts";
import type { Actor } from "../commands/registry.ts";
import type { Services } from "../services.ts";
import { describeDuration, formatShort } from "../time.ts";
import { type CardView, UserError } from "../types.ts";
import type { ClosedHooks } from "./api.ts";
import { armContain, containDeadline, containWindowMs, markContainedIfReached } from "./contain.ts";
import { drillText } from "./drill-mark.ts";
import {
  crisisCardRef,
  crisisNo,
  moveStage,
  STAGE_LABEL,
  type Stage,
  TIER_LABEL,
  TIMER_CONTAIN,
  TIMER_PAGE,
  type Tier,
  windowText,
} from "./model.ts";
import { page, repeatRule, resetRound, startRound } from "./paging.ts";
import { addEvent, type Crisis, getCrisis, requireResponder } from "./repo.ts";
import { crisisCard } from "./views.ts";

/** Opening, stages, re-tiering and closing of a crisis. Each runs in the caller's transaction. */

export interface Report {
  tier: Tier;
  description: string;
  reporterId: number;
  /** 发现于; defaults to now. */
  discoveredAt?: number;
  source?: "command" | "suggestion";
  ticketId?: number;
  store?: string;
  /** Called with the new id before the first page (a drill marks itself, so every page says 【演练】). */
  beforePage?: (id: number) => void;
}

/** Opens C-n: records report lateness against `crisis.report.<tier>`, pages, starts the contain clock. */
export function openCrisis(services: Services, r: Report): { crisis: Crisis; reply: string } {
  const now = services.clock.now();
  const description = r.description.trim();
  if (!description) throw new UserError("请写上危机描述");
  const discoveredAt = Math.min(r.discoveredAt ?? now, now);
  const window = services.policy.durationMs(`crisis.report.${r.tier}`);
  const late = Math.max(0, now - discoveredAt - window);
  const { id } = services.db
    .insert(crises)
    .values({
      tier: r.tier,
      description,
      stage: "report",
      reporterId: r.reporterId,
      discoveredAt,
      reportedAt: now,
      reportWindowMs: window,
      reportLateMs: late,
      source: r.source ?? "command",
      ticketId: r.ticketId ?? null,
      store: r.store ?? null,
      pagedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: crises.id })
    .get();
  const no = crisisNo(id);
  const found = discoveredAt < now ? `发现于 ${formatShort(discoveredAt, services.tz)}，` : "";
  const timing = late > 0 ? `⚠️ 迟报 ${describeDuration(late)}` : "按时上报";
  addEvent(services.db, {
    crisisId: id,
    type: "report",
    actorId: r.reporterId,
    detail: `上报${TIER_LABEL[r.tier]}：${description}（${found}${timing}，时限 ${windowText(window)}）`,
    at: now,
  });
  r.beforePage?.(id);
  startRound(services, id);
  const crisis = getCrisis(services.db, id);
  armContain(services, crisis);
  const lines = [
    `🚨 已上报 ${no}：${TIER_LABEL[r.tier]}，已呼叫危机小组，确认前每 ${windowText(services.policy.durationMs(repeatRule(r.tier)))} 重复呼叫`,
    late > 0
      ? `⚠️ ${found}${TIER_LABEL[r.tier]}应在发现后 ${windowText(window)} 内上报，已迟报 ${describeDuration(late)}（已记录）`
      : `上报时限 ${windowText(window)}：${found}按时上报`,
    `处置时限：${formatShort(containDeadline(services, crisis), services.tz)}（${windowText(containWindowMs(services, r.tier))}）`,
  ];
  return { crisis, reply: drillText(services.db, id, lines.join("\n")) };
}

function refreshCards(services: Services, id: number, clickedMessageId?: string): CardView {
  const card = crisisCard(services, getCrisis(services.db, id));
  services.outbound.updateCards(crisisCardRef(id), card, clickedMessageId);
  return card;
}

/** Moves to a stage (buttons and /crisis stage); 结案 goes through `closeCrisis` (it needs a summary). */
export function setStage(
  services: Services,
  actor: Actor,
  x: { id: number; to: Stage; note: string; expectedFrom?: string; clickedMessageId?: string },
  closed: ClosedHooks,
): CardView {
  if (x.to === "closed")
    return closeCrisis(services, actor, {
      id: x.id,
      summary: x.note,
      closed,
      clickedMessageId: x.clickedMessageId,
    });
  const c = getCrisis(services.db, x.id);
  const no = crisisNo(c.id);
  requireResponder(services, actor, c, "推进危机阶段", c.leadId ? [c.leadId] : []);
  // A card button names the stage it was shown in: a stale card must not skip a stage.
  if (x.expectedFrom !== undefined && x.expectedFrom !== c.stage) {
    throw new UserError(`${no} 已在「${STAGE_LABEL[c.stage]}」阶段，卡片已更新`);
  }
  const to = moveStage(no, c.stage, x.to);
  const now = services.clock.now();
  const res = services.db
    .update(crises)
    .set({ stage: to, updatedAt: now })
    .where(and(eq(crises.id, c.id), eq(crises.stage, c.stage)))
    .run();
  if (res.changes !== 1) throw new UserError(`${no} 刚刚被其他人修改，请重试`);
  const note = x.note.trim();
  addEvent(services.db, {
    crisisId: c.id,
    type: "stage",
    actorId: actor.personId,
    detail: `「${STAGE_LABEL[c.stage]}」→「${STAGE_LABEL[to]}」${note ? `：${note}` : ""}`,
    at: now,
  });
  markContainedIfReached(services, c, to, actor.personId);
  const card = refreshCards(services, c.id, x.clickedMessageId);
  services.outbound.toGroups("crisis", {
    type: "text",
    text: drillText(
      services.db,
      c.id,
      `📍 ${no} 进入「${STAGE_LABEL[to]}」（${actor.name}）${note ? `：${note}` : ""}`,
    ),
  });
  return card;
}

/**
 * Re-tiers. Raising the tier starts a new paging round at the new tier (the crisis got worse: everyone
 * must know, and someone must confirm again); lowering it only changes the interval of a page still
 * unanswered. The report lateness stays as recorded; the contain clock follows the new tier.
 */
export function setLevel(
  services: Services,
  actor: Actor,
  id: number,
  tier: Tier,
  clickedMessageId?: string,
): CardView {
  const c = getCrisis(services.db, id);
  const no = crisisNo(id);
  if (c.stage === "closed") throw new UserError(`${no} 已结案，不能再修改`);
  requireResponder(services, actor, c, "调整危机级别");
  if (c.tier === tier) throw new UserError(`${no} 已经是${TIER_LABEL[tier]}`);
  const now = services.clock.now();
  const res = services.db
    .update(crises)
    .set({ tier, updatedAt: now })
    .where(and(eq(crises.id, id), eq(crises.tier, c.tier), ne(crises.stage, "closed")))
    .run();
  if (res.changes !== 1) throw new UserError(`${no} 刚刚被其他人修改，请重试`);
  const raised = tier > c.tier;
  addEvent(services.db, {
    crisisId: id,
    type: "level",
    actorId: actor.personId,
    detail: `级别 ${TIER_LABEL[c.tier]} → ${TIER_LABEL[tier]}${raised ? "，重新呼叫" : ""}`,
    at: now,
  });
  const updated = getCrisis(services.db, id);
  markContainedIfReached(services, updated, updated.stage, actor.personId);
  armContain(services, getCrisis(services.db, id));
  if (raised) {
    resetRound(services, id);
  } else if (c.ackedAt === null) {
    const pending = services.timers.pending(TIMER_PAGE, String(id));
    const basis = Number(pending?.payload.basis ?? now);
    services.timers.schedule(TIMER_PAGE, String(id), basis + services.policy.durationMs(repeatRule(tier)), {
      rule: repeatRule(tier),
      basis,
    });
  }
  // Every copy shows the new tier (and, when raised, asks for 收到 again); then the new round's first page.
  const card = refreshCards(services, id, clickedMessageId);
  if (raised) page(services, getCrisis(services.db, id), now);
  services.outbound.toGroups("crisis", {
    type: "text",
    text: drillText(
      services.db,
      id,
      `${raised ? "⬆️" : "⬇️"} ${no} 已由 ${actor.name} 调整为${TIER_LABEL[tier]}${raised ? "，重新呼叫，请确认" : ""}`,
    ),
  });
  return card;
}

export function closeCrisis(
  services: Services,
  actor: Actor,
  x: { id: number; summary: string; closed: ClosedHooks; clickedMessageId?: string | undefined },
): CardView {
  const { id, summary, clickedMessageId } = x;
  const c = getCrisis(services.db, id);
  const no = crisisNo(id);
  if (c.stage === "closed")
    throw new UserError(`${no} 已于 ${formatShort(c.closedAt ?? 0, services.tz)} 结案`);
  requireResponder(services, actor, c, "结案", c.leadId ? [c.leadId] : []);
  const text = summary.trim();
  if (!text) throw new UserError(`结案需要写总结：/crisis close ${no} <总结>`);
  const now = services.clock.now();
  const res = services.db
    .update(crises)
    .set({ stage: "closed", summary: text, closedAt: now, closedBy: actor.personId, updatedAt: now })
    .where(and(eq(crises.id, id), ne(crises.stage, "closed")))
    .run();
  if (res.changes !== 1) throw new UserError(`${no} 刚刚被其他人结案`);
  markContainedIfReached(services, c, "closed", actor.personId);
  services.timers.cancel(TIMER_PAGE, String(id));
  services.timers.cancel(TIMER_CONTAIN, String(id));
  addEvent(services.db, {
    crisisId: id,
    type: "close",
    actorId: actor.personId,
    detail: `结案：${text}`,
    at: now,
  });
  const card = refreshCards(services, id, clickedMessageId);
  services.outbound.toGroups("crisis", {
    type: "text",
    text: drillText(services.db, id, `🏁 ${no} 已由 ${actor.name} 结案：${text}`),
  });
  x.closed.run(services, id);
  return card;
}
