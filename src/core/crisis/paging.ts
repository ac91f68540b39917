import { and, eq, isNull, ne } from "drizzle-orm";
import type { TimerRow } from "../../scheduler/timers.ts";
import { crises } from "../../store/schema/crisis.ts";
import type { Actor } from "../commands/registry.ts";
import type { Services } from "../services.ts";
import { describeDuration, formatShort } from "../time.ts";
import { type CardView, UserError } from "../types.ts";
import { drillSkipsManagement, drillText, recordDrillAck } from "./drill-mark.ts";
import { crisisCardRef, crisisNo, STAGE_LABEL, TIER_LABEL, TIMER_PAGE, type Tier } from "./model.ts";
import { addEvent, type Crisis, findCrisis, getCrisis, requireResponder } from "./repo.ts";
import { crisisCard } from "./views.ts";

/**
 * The pager (seeds/000 第十一条; src/core/crisis/README.md): a red card with @all in every crisis group plus, for 二级/三级, a buzz (加急) to the
 * crisis members; repeated every `crisis.repeat.<tier>` until the first 收到, escalating by DM to
 * marketing_head and then management. Each repeat is a durable timer that fires in the transaction that
 * marks it fired, so a restart neither loses nor doubles a page. Crisis pages never wait for quiet hours.
 */

export const repeatRule = (tier: Tier) => `crisis.repeat.${tier}`;
const repeatMs = (services: Services, tier: Tier) => services.policy.durationMs(repeatRule(tier));

/** Escalation steps: after N unanswered repeats, DM every holder of the role (once per paging round). */
const ESCALATIONS = [
  { level: 1, role: "marketing_head", rule: "crisis.escalate.head", label: "市场部门负责人" },
  { level: 2, role: "management", rule: "crisis.escalate.management", label: "管理层" },
] as const;

/** Sends page number `c.pages + 1` of the current round and arms the next repeat at `basis + interval`. */
export function page(services: Services, c: Crisis, basis: number): void {
  const now = services.clock.now();
  const ref = crisisCardRef(c.id);
  const paged = { ...c, pages: c.pages + 1 };
  services.db.update(crises).set({ pages: paged.pages, updatedAt: now }).where(eq(crises.id, c.id)).run();
  const members = services.people.holders("crisis");
  const urgent = c.tier >= 2 ? members : [];
  const groupCard = { type: "card" as const, card: crisisCard(services, paged, { atAll: true }) };
  // actors: where a group post cannot carry 收到 (WeCom robots), the members get the card by DM too.
  const groups = services.outbound.toGroups("crisis", groupCard, { cardRef: ref, urgent, actors: members });
  if (groups === 0) {
    // No crisis group bound: the members get the page in person rather than nobody getting it.
    const dm = { type: "card" as const, card: crisisCard(services, paged) };
    for (const p of members)
      services.outbound.toPerson(p, dm, { cardRef: ref, urgent: urgent.includes(p) ? [p] : [] });
    if (paged.pages === 1) {
      services.outbound.toAdmins({
        type: "text",
        text: drillText(
          services.db,
          c.id,
          `⚠️ ${crisisNo(c.id)} 危机呼叫没有危机群可发：请在危机群里发送 /bind crisis${members.length ? "" : "，并用 /role add crisis @某人 指定危机小组成员"}`,
        ),
      });
    }
  }
  const repeat = paged.pages - 1;
  const where = groups > 0 ? `危机群 ${groups} 个` : `私信危机小组 ${members.length} 人`;
  const buzz = urgent.length > 0 ? `，加急 ${urgent.length} 人` : "";
  addEvent(services.db, {
    crisisId: c.id,
    type: "page",
    actorId: null,
    detail: `${repeat === 0 ? "呼叫" : `第 ${repeat} 次重复呼叫`}（${where}${buzz}）`,
    at: now,
  });
  escalate(services, paged, repeat);
  services.timers.schedule(TIMER_PAGE, String(c.id), basis + repeatMs(services, c.tier), {
    rule: repeatRule(c.tier),
    basis,
  });
}

function escalate(services: Services, c: Crisis, repeats: number): void {
  for (const step of ESCALATIONS) {
    if (c.escalated >= step.level || repeats < services.policy.count(step.rule)) continue;
    if (step.role === "management" && drillSkipsManagement(services, c.id)) {
      // A drill pages 管理层 only when drill.escalate is 开: say once that it would have.
      services.db.update(crises).set({ escalated: step.level }).where(eq(crises.id, c.id)).run();
      addEvent(services.db, {
        crisisId: c.id,
        type: "escalate_skipped",
        actorId: null,
        detail: `${repeats} 次重复呼叫无人确认，此时应私信${step.label}（演练中不升级到管理层）`,
        at: services.clock.now(),
      });
      continue;
    }
    services.db.update(crises).set({ escalated: step.level }).where(eq(crises.id, c.id)).run();
    const holders = services.people.holders(step.role);
    const card = {
      type: "card" as const,
      card: crisisCard(services, c, { escalation: { to: step.label, repeats } }),
    };
    for (const p of holders) services.outbound.toPerson(p, card, { cardRef: crisisCardRef(c.id) });
    addEvent(services.db, {
      crisisId: c.id,
      type: "escalate",
      actorId: null,
      detail: holders.length
        ? `${repeats} 次重复呼叫无人确认，已私信${step.label}：${holders.map((p) => services.people.name(p)).join("、")}`
        : `${repeats} 次重复呼叫无人确认，但没有${step.label}可通知`,
      at: services.clock.now(),
    });
  }
}

function onPageTimer(services: Services, t: TimerRow): void {
  const c = findCrisis(services.db, Number(t.ref));
  if (!c || c.stage === "closed" || c.ackedAt !== null) return;
  const now = services.clock.now();
  // On time, or back from a short restart: keep the rhythm (0, 5, 10 … min). After a downtime longer than
  // one interval, count from now, so the missed pages are not fired in a burst.
  const basis = now - t.fireAt < repeatMs(services, c.tier) ? t.fireAt : now;
  page(services, c, basis);
}

export function registerPaging(services: Services): void {
  services.timers.on(TIMER_PAGE, (t) => onPageTimer(services, t));
}

/** A new paging round (a new crisis, or a raised tier): unanswered again, no page sent yet. */
export function resetRound(services: Services, id: number): void {
  const now = services.clock.now();
  services.db
    .update(crises)
    .set({ ackedAt: null, pagedAt: now, pages: 0, escalated: 0, updatedAt: now })
    .where(eq(crises.id, id))
    .run();
}

export function startRound(services: Services, id: number): void {
  resetRound(services, id);
  page(services, getCrisis(services.db, id), services.clock.now());
}

export interface AckResult {
  won: boolean;
  card: CardView;
  text: string;
}

/**
 * The first 收到 (card) or /ack wins: the UPDATE only matches while the round is unanswered, inside the
 * IMMEDIATE transaction, so two taps at once give exactly one lead; the other is told who it is.
 */
export function acknowledge(
  services: Services,
  actor: Actor,
  id: number,
  clickedMessageId?: string,
): AckResult {
  const c = getCrisis(services.db, id);
  const no = crisisNo(id);
  if (c.stage === "closed") throw new UserError(`${no} 已结案`);
  requireResponder(services, actor, c, "确认危机");
  const now = services.clock.now();
  // A drill times every member's 收到, not only the first (the lead).
  const drillAckAt = recordDrillAck(services, id, actor.personId, now);
  const stage = c.stage === "report" ? "assess" : c.stage;
  const won = services.db
    .update(crises)
    .set({ leadId: actor.personId, ackedAt: now, stage, updatedAt: now })
    .where(and(eq(crises.id, id), isNull(crises.ackedAt), ne(crises.stage, "closed")))
    .run();
  if (won.changes !== 1) {
    const cur = getCrisis(services.db, id);
    const lead = services.people.name(cur.leadId ?? 0);
    const when = formatShort(cur.ackedAt ?? now, services.tz);
    const text =
      drillAckAt !== undefined
        ? `已记录你的收到（呼叫后 ${describeDuration(drillAckAt - c.pagedAt)}），负责人：${lead}`
        : `${no} 已由 ${lead} 于 ${when} 确认，负责人：${lead}`;
    const card = crisisCard(services, cur);
    // In a drill the last member's 收到 takes the button off every copy.
    if (drillAckAt !== undefined) services.outbound.updateCards(crisisCardRef(id), card, clickedMessageId);
    return { won: false, card, text: drillText(services.db, id, text) };
  }
  services.timers.cancel(TIMER_PAGE, String(id));
  const waited = describeDuration(now - c.pagedAt);
  addEvent(services.db, {
    crisisId: id,
    type: "ack",
    actorId: actor.personId,
    detail: `确认（收到），成为负责人（呼叫后 ${waited}）`,
    at: now,
  });
  if (stage !== c.stage) {
    addEvent(services.db, {
      crisisId: id,
      type: "stage",
      actorId: actor.personId,
      detail: `进入「${STAGE_LABEL[stage]}」`,
      at: now,
    });
  }
  const card = crisisCard(services, getCrisis(services.db, id));
  services.outbound.updateCards(crisisCardRef(id), card, clickedMessageId);
  services.outbound.toGroups("crisis", {
    type: "text",
    text: drillText(
      services.db,
      id,
      `✅ ${no}（${TIER_LABEL[c.tier]}）已由 ${actor.name} 确认，${actor.name} 为负责人（呼叫后 ${waited}），停止呼叫`,
    ),
  });
  return {
    won: true,
    card,
    text: drillText(
      services.db,
      id,
      `已确认 ${no}，你是负责人。下一步：评估定级，/crisis show ${no} 查看详情`,
    ),
  };
}
