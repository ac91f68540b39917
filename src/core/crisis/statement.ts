import { eq } from "drizzle-orm";
import { crises } from "../../store/schema/crisis.ts";
import { contentItems } from "../../store/schema/index.ts";
import type { Actor } from "../commands/registry.ts";
import type { ReviewEngine } from "../review/engine.ts";
import { addEvent as addReviewEvent, currentStep, getItem } from "../review/repo.ts";
import { type ItemStatus, STATUS_LABEL, transition } from "../review/transitions.ts";
import type { Services } from "../services.ts";
import { formatShort } from "../time.ts";
import { UserError } from "../types.ts";
import { drillText } from "./drill-mark.ts";
import { crisisCardRef, crisisNo, TIER_LABEL } from "./model.ts";
import {
  addEvent,
  type Crisis,
  crisisOfStatement,
  getCrisis,
  isResponder,
  requireResponder,
} from "./repo.ts";
import { crisisCard } from "./views.ts";

/**
 * The official statement. 三级: "由管理层审批后发布官方声明" (第十一条(二)5) — the statement runs the review
 * engine's `crisis_statement` chain (marketing_head → legal → management); it can only be marked
 * published once that chain approved it. 一级/二级 have no approval step: the 口径 is recorded as it is.
 */

const STATEMENT_CHAIN = "crisis_statement";

function refresh(services: Services, id: number): void {
  services.outbound.updateCards(crisisCardRef(id), crisisCard(services, getCrisis(services.db, id)));
}

export function submitStatement(
  services: Services,
  review: ReviewEngine,
  actor: Actor,
  id: number,
  text: string,
): string {
  const c = getCrisis(services.db, id);
  const no = crisisNo(id);
  if (c.stage === "closed") throw new UserError(`${no} 已结案`);
  requireResponder(services, actor, c, "提交危机声明", c.leadId ? [c.leadId] : []);
  const body = text.trim();
  if (!body) throw new UserError(`用法：/crisis statement ${no} <声明全文>（可多行）`);
  const now = services.clock.now();
  if (c.tier < 3) {
    addEvent(services.db, {
      crisisId: id,
      type: "statement",
      actorId: actor.personId,
      detail: `回应口径：${body}`,
      at: now,
    });
    return `已记录 ${no} 的回应口径（${TIER_LABEL[c.tier]}无需审批）。对外发布后请发送 /crisis publish ${no} [链接]`;
  }
  if (c.statementItemId !== null && c.statementPublishedAt === null) {
    const old = getItem(services.db, c.statementItemId);
    if (old.status === "in_review" || old.status === "approved") {
      throw new UserError(
        `${no} 已有声明 #${old.id}（${STATUS_LABEL[old.status as ItemStatus]}）。修改请先 /withdraw ${old.id} <原因>`,
      );
    }
  }
  const { item, opened } = review.submit({
    authorId: actor.personId,
    title: drillText(services.db, c.id, `${no} 官方声明`),
    platforms: [],
    body,
    isAd: false,
    isSensitive: true,
    kind: "crisis_statement",
    chain: STATEMENT_CHAIN,
  });
  services.db
    .update(crises)
    .set({ statementItemId: item.id, statementPublishedAt: null, statementLink: null, updatedAt: now })
    .where(eq(crises.id, id))
    .run();
  addEvent(services.db, {
    crisisId: id,
    type: "statement",
    actorId: actor.personId,
    detail: `提交官方声明 #${item.id} 审批（市场部门负责人 → 法务 → 管理层）`,
    at: now,
  });
  refresh(services, id);
  const none = opened.reviewers === 0 ? "\n⚠️ 目前没有可审核的人，已通知管理员" : "";
  return `已提交 ${no} 官方声明 #${item.id}，当前：${opened.step.label}。管理层批准后才能发布${none}`;
}

/** The review engine finished the statement's chain: tell the lead and the crisis group. */
export function onStatementFinished(
  services: Services,
  itemId: number,
  outcome: "approved" | "rejected",
): void {
  const c = crisisOfStatement(services.db, itemId);
  if (!c) return;
  const no = crisisNo(c.id);
  const text =
    outcome === "approved"
      ? `✅ ${no} 官方声明 #${itemId} 已获管理层批准，可以对外发布；发布后请发送 /crisis publish ${no} [链接]`
      : `❌ ${no} 官方声明 #${itemId} 被驳回，修改后发送 /resubmit ${itemId}（第二行起写新全文）`;
  addEvent(services.db, {
    crisisId: c.id,
    type: "statement",
    actorId: null,
    detail: outcome === "approved" ? `官方声明 #${itemId} 审批通过` : `官方声明 #${itemId} 被驳回`,
    at: services.clock.now(),
  });
  const marked = drillText(services.db, c.id, text);
  if (c.leadId) services.outbound.toPerson(c.leadId, { type: "text", text: marked });
  services.outbound.toGroups("crisis", { type: "text", text: marked });
  refresh(services, c.id);
}

/** Records that the response went out. For 三级 only after management approved the statement. */
export function publishStatement(
  services: Services,
  actor: Actor,
  id: number,
  link: string | undefined,
): string {
  const c = getCrisis(services.db, id);
  const no = crisisNo(id);
  if (c.stage === "closed") throw new UserError(`${no} 已结案`);
  const allowed =
    isResponder(services, actor.personId) || services.people.hasRole(actor.personId, "publisher");
  if (!allowed) throw new UserError("只有危机小组成员、市场部门负责人、管理层或发布专员可以登记危机声明发布");
  if (c.statementPublishedAt !== null) {
    throw new UserError(`${no} 的声明已于 ${formatShort(c.statementPublishedAt, services.tz)} 登记发布`);
  }
  const now = services.clock.now();
  if (c.tier === 3) publishApproved(services, actor, c, link);
  services.db
    .update(crises)
    .set({
      statementPublishedAt: now,
      statementPublishedBy: actor.personId,
      statementLink: link ?? null,
      updatedAt: now,
    })
    .where(eq(crises.id, id))
    .run();
  addEvent(services.db, {
    crisisId: id,
    type: "publish",
    actorId: actor.personId,
    detail: `对外发布回应${link ? `：${link}` : ""}`,
    at: now,
  });
  refresh(services, id);
  services.outbound.toGroups("crisis", {
    type: "text",
    text: drillText(services.db, id, `📢 ${no} 的官方回应已发布（${actor.name}）${link ? `：${link}` : ""}`),
  });
  return `📢 已登记 ${no} 的回应已发布${link ? `（${link}）` : ""}`;
}

/** The statement item must be approved (its chain ends with management); it becomes 已发布 in /status. */
function publishApproved(services: Services, actor: Actor, c: Crisis, link: string | undefined): void {
  const no = crisisNo(c.id);
  if (c.statementItemId === null) {
    throw new UserError(`${no} 是三级危机，官方声明须经管理层批准：请先 /crisis statement ${no} <声明全文>`);
  }
  const item = getItem(services.db, c.statementItemId);
  if (item.status !== "approved") {
    const step = item.status === "in_review" ? currentStep(services.db, item) : undefined;
    const now = step ? `当前：${step.label}` : `当前：${STATUS_LABEL[item.status as ItemStatus]}`;
    throw new UserError(`${no} 的官方声明 #${item.id} 尚未获管理层批准（${now}），不能标记为已发布`);
  }
  transition(item.id, item.status as ItemStatus, "publish");
  const now = services.clock.now();
  services.db
    .update(contentItems)
    .set({ status: "published", updatedAt: now })
    .where(eq(contentItems.id, item.id))
    .run();
  addReviewEvent(services.db, {
    itemId: item.id,
    revision: item.revision,
    type: "publish",
    actorId: actor.personId,
    at: now,
    ...(link ? { opinion: link } : {}),
  });
}
