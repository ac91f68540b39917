import { and, eq } from "drizzle-orm";
import type { TimerRow } from "../../scheduler/timers.ts";
import { rectifications } from "../../store/schema/index.ts";
import type { Actor } from "../commands/registry.ts";
import type { Services } from "../services.ts";
import { deferIfQuiet } from "../sla/defer.ts";
import { describeDuration, formatDateTime } from "../time.ts";
import { type CardView, UserError } from "../types.ts";
import {
  addRectEvent,
  getRect,
  type Rectification,
  rectCardRef,
  rectNo,
  TIMER_RECTIFY_BREACH,
  TIMER_RECTIFY_REMIND,
} from "./repo.ts";
import { confirmCard } from "./views.ts";

/**
 * 整改通知 (《制度》第十三条(三)：发出整改通知，跟踪整改落实情况). An R-n goes to its owner with a deadline
 * (`rectify.due`, or the one given), a reminder at `rectify.remind` and the breach at the deadline, like
 * the SLA rules: durable timers, once each, after quiet hours. The owner answers with /rectify done; the
 * issuer confirms or sends it back with a reason (a new deadline). Every step is in rectification_events,
 * which the archive keeps.
 */

/** Arms the reminder and the breach for the current deadline. */
function arm(services: Services, r: Rectification, from: number): void {
  const ref = String(r.id);
  const remindAt = from + services.policy.durationMs("rectify.remind");
  // A deadline shorter than the reminder: remind half-way instead, so the owner hears before it passes.
  const remind = remindAt < r.dueAt ? remindAt : from + Math.floor((r.dueAt - from) / 2);
  services.timers.schedule(
    TIMER_RECTIFY_REMIND,
    ref,
    remind,
    remindAt < r.dueAt ? { rule: "rectify.remind", basis: from } : {},
  );
  // The deadline is the one the notice named (a later /policy set rectify.due applies to new notices).
  services.timers.schedule(TIMER_RECTIFY_BREACH, ref, r.dueAt);
}

export interface NewRect {
  ownerId: number;
  issuerId: number;
  matter: string;
  /** Absent: `rectify.due` from now. */
  dueAt?: number;
  spotCheckId?: number;
}

export function openRect(services: Services, x: NewRect): Rectification {
  const now = services.clock.now();
  const matter = x.matter.trim();
  if (!matter) throw new UserError("请写明整改事项");
  const dueAt = x.dueAt ?? now + services.policy.durationMs("rectify.due");
  if (dueAt <= now) throw new UserError("整改期限必须在将来");
  const r = services.db
    .insert(rectifications)
    .values({
      ownerId: x.ownerId,
      issuerId: x.issuerId,
      matter,
      spotCheckId: x.spotCheckId ?? null,
      status: "open",
      dueAt,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  const no = rectNo(r.id);
  addRectEvent(services.db, {
    rectificationId: r.id,
    type: "issue",
    actorId: x.issuerId,
    detail: `下发整改通知给 ${services.people.name(x.ownerId)}：${matter}（截止 ${formatDateTime(dueAt, services.tz)}）`,
    at: now,
  });
  arm(services, r, now);
  services.outbound.toPerson(x.ownerId, {
    type: "text",
    text: `📌 整改通知 ${no}（${services.people.name(x.issuerId)} 下发，《制度》第十三条(三)）\n事项：${matter}\n截止：${formatDateTime(dueAt, services.tz)}\n整改完成后发送 /rectify done ${no} <整改说明>`,
  });
  return r;
}

export function doneRect(services: Services, actor: Actor, id: number, note: string): Rectification {
  const r = getRect(services.db, id);
  const no = rectNo(id);
  if (r.ownerId !== actor.personId)
    throw new UserError(`只有整改人 ${services.people.name(r.ownerId)} 可以提交 ${no} 的整改结果`);
  if (r.status === "done") throw new UserError(`${no} 已提交，等待 ${services.people.name(r.issuerId)} 确认`);
  if (r.status === "confirmed") throw new UserError(`${no} 已确认完成`);
  const text = note.trim();
  if (!text) throw new UserError(`请写整改说明：/rectify done ${no} <整改说明>`);
  const now = services.clock.now();
  const res = services.db
    .update(rectifications)
    .set({ status: "done", doneAt: now, doneNote: text, updatedAt: now })
    .where(and(eq(rectifications.id, id), eq(rectifications.status, "open")))
    .run();
  if (res.changes !== 1) throw new UserError(`${no} 刚刚被其他人修改，请重试`);
  services.timers.cancel(TIMER_RECTIFY_REMIND, String(id));
  services.timers.cancel(TIMER_RECTIFY_BREACH, String(id));
  const late = now > r.dueAt ? `（超期 ${describeDuration(now - r.dueAt)}）` : "";
  addRectEvent(services.db, {
    rectificationId: id,
    type: "done",
    actorId: actor.personId,
    detail: `提交整改结果${late}：${text}`,
    at: now,
  });
  const after = getRect(services.db, id);
  services.outbound.toPerson(
    r.issuerId,
    { type: "card", card: confirmCard(services, after) },
    { cardRef: rectCardRef(id) },
  );
  return after;
}

function requireIssuer(services: Services, actor: Actor, r: Rectification): void {
  if (r.issuerId === actor.personId || actor.isAdmin) return;
  throw new UserError(`只有下发人 ${services.people.name(r.issuerId)} 可以确认或退回 ${rectNo(r.id)}`);
}

export function confirmRect(
  services: Services,
  actor: Actor,
  id: number,
  clickedMessageId?: string,
): CardView {
  const r = getRect(services.db, id);
  const no = rectNo(id);
  requireIssuer(services, actor, r);
  if (r.status !== "done")
    throw new UserError(r.status === "confirmed" ? `${no} 已确认` : `${no} 还没有提交整改结果`);
  const now = services.clock.now();
  services.db
    .update(rectifications)
    .set({ status: "confirmed", confirmedAt: now, updatedAt: now })
    .where(eq(rectifications.id, id))
    .run();
  addRectEvent(services.db, {
    rectificationId: id,
    type: "confirm",
    actorId: actor.personId,
    detail: "确认整改完成",
    at: now,
  });
  const card = confirmCard(services, getRect(services.db, id));
  services.outbound.updateCards(rectCardRef(id), card, clickedMessageId);
  services.outbound.toPerson(r.ownerId, { type: "text", text: `✅ ${no} 整改已由 ${actor.name} 确认完成` });
  return card;
}

/** Back to the owner with a reason and a new deadline of `rectify.due` from now. */
export function reopenRect(
  services: Services,
  actor: Actor,
  id: number,
  reason: string,
  clickedMessageId?: string,
): CardView {
  const r = getRect(services.db, id);
  const no = rectNo(id);
  requireIssuer(services, actor, r);
  if (r.status !== "done")
    throw new UserError(r.status === "confirmed" ? `${no} 已确认，不能退回` : `${no} 还没有提交整改结果`);
  const why = reason.trim();
  if (!why) throw new UserError(`退回需要写原因：/rectify reopen ${no} <原因>`);
  const now = services.clock.now();
  const dueAt = now + services.policy.durationMs("rectify.due");
  services.db
    .update(rectifications)
    .set({ status: "open", dueAt, doneAt: null, reopened: r.reopened + 1, updatedAt: now })
    .where(eq(rectifications.id, id))
    .run();
  addRectEvent(services.db, {
    rectificationId: id,
    type: "reopen",
    actorId: actor.personId,
    detail: `退回重改：${why}（新截止 ${formatDateTime(dueAt, services.tz)}）`,
    at: now,
  });
  const after = getRect(services.db, id);
  arm(services, after, now);
  const card = confirmCard(services, after);
  services.outbound.updateCards(rectCardRef(id), card, clickedMessageId);
  services.outbound.toPerson(r.ownerId, {
    type: "text",
    text: `↩️ ${no} 被 ${actor.name} 退回重改：${why}\n新截止：${formatDateTime(dueAt, services.tz)}。完成后再发送 /rectify done ${no} <整改说明>`,
  });
  return card;
}

export function registerRectTimers(services: Services): void {
  const deps = { timers: services.timers, policy: services.policy, tz: services.tz };
  services.timers.on(TIMER_RECTIFY_REMIND, (t: TimerRow) => {
    const r = getRectOpen(services, t);
    if (!r || deferIfQuiet(t, services.clock.now(), deps)) return;
    addRectEvent(services.db, {
      rectificationId: r.id,
      type: "remind",
      actorId: null,
      detail: "催办",
      at: services.clock.now(),
    });
    services.outbound.toPerson(r.ownerId, {
      type: "text",
      text: `⏰ 催办：整改通知 ${rectNo(r.id)} 将于 ${formatDateTime(r.dueAt, services.tz)} 到期\n事项：${r.matter}\n完成后发送 /rectify done ${rectNo(r.id)} <整改说明>`,
    });
  });
  services.timers.on(TIMER_RECTIFY_BREACH, (t: TimerRow) => {
    const r = getRectOpen(services, t);
    if (!r) return;
    if (r.breachedAt === null) {
      services.db
        .update(rectifications)
        .set({ breachedAt: t.fireAt })
        .where(eq(rectifications.id, r.id))
        .run();
      addRectEvent(services.db, {
        rectificationId: r.id,
        type: "breach",
        actorId: null,
        detail: "超过整改期限",
        at: t.fireAt,
      });
    }
    if (deferIfQuiet(t, services.clock.now(), deps)) return;
    const text = `🔴 超期：整改通知 ${rectNo(r.id)}（${services.people.name(r.ownerId)}）已过期限 ${formatDateTime(r.dueAt, services.tz)}，仍未完成\n事项：${r.matter}`;
    services.outbound.toPerson(r.ownerId, {
      type: "text",
      text: `${text}\n请尽快整改后发送 /rectify done ${rectNo(r.id)} <整改说明>`,
    });
    if (r.issuerId !== r.ownerId) services.outbound.toPerson(r.issuerId, { type: "text", text });
  });
}

function getRectOpen(services: Services, t: TimerRow): Rectification | undefined {
  const r = services.db
    .select()
    .from(rectifications)
    .where(eq(rectifications.id, Number(t.ref)))
    .get();
  return r?.status === "open" ? r : undefined;
}
