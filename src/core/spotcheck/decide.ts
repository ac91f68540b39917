import { and, eq } from "drizzle-orm";
import { spotChecks } from "../../store/schema/index.ts";
import type { Actor } from "../commands/registry.ts";
import { openRect } from "../rectify/lifecycle.ts";
import { rectNo } from "../rectify/repo.ts";
import type { Services } from "../services.ts";
import { type CardView, UserError } from "../types.ts";
import { type SpotCheck, spotCard, spotCardRef, spotNo } from "./views.ts";

/** The checker's verdict. 不合格 needs a reason and opens an 整改通知 R-n for the item's owner. */

export function requireChecker(services: Services, actor: Actor): void {
  if (actor.isAdmin || services.people.hasRole(actor.personId, "marketing_head")) return;
  throw new UserError("只有市场部门负责人或管理员可以判定抽查结果");
}

export function decideSpot(
  services: Services,
  actor: Actor,
  x: { id: number; verdict: "pass" | "fail"; reason: string; clickedMessageId?: string },
): { card: CardView; text: string } {
  requireChecker(services, actor);
  const s = services.db.select().from(spotChecks).where(eq(spotChecks.id, x.id)).get() as
    | SpotCheck
    | undefined;
  const no = spotNo(x.id);
  if (!s) throw new UserError(`没有抽查记录 ${no}`);
  if (s.status !== "pending") {
    const by = s.checkerId ? services.people.name(s.checkerId) : "";
    throw new UserError(`${no} 已由 ${by} 判定为${s.status === "pass" ? "合格" : "不合格"}`);
  }
  const reason = x.reason.trim();
  if (x.verdict === "fail" && !reason)
    throw new UserError(`不合格需要写明原因：/spotcheck 不合格 ${no} <原因>`);
  if (reason.length > 1000) throw new UserError("原因请控制在 1000 字以内");
  const now = services.clock.now();
  const won = services.db
    .update(spotChecks)
    .set({ status: x.verdict, reason: reason || null, checkerId: actor.personId, decidedAt: now })
    .where(and(eq(spotChecks.id, x.id), eq(spotChecks.status, "pending")))
    .run();
  if (won.changes !== 1) throw new UserError(`${no} 刚刚已被判定`);
  let text = `${no} 判定${x.verdict === "pass" ? "合格" : "不合格"}`;
  if (x.verdict === "fail") {
    if (s.ownerId) {
      const what = s.kind === "content" ? `内容 #${s.itemId}` : `工单 T-${s.itemId}`;
      const r = openRect(services, {
        ownerId: s.ownerId,
        issuerId: actor.personId,
        matter: `每日抽查 ${no} ${what} 不合格：${reason}`,
        spotCheckId: s.id,
      });
      services.db.update(spotChecks).set({ rectificationId: r.id }).where(eq(spotChecks.id, s.id)).run();
      text += `，已向 ${services.people.name(s.ownerId)} 下发整改通知 ${rectNo(r.id)}`;
    } else {
      text += "；找不到责任人，请用 /rectify @某人 <事项> 下发整改通知";
    }
  }
  const card = spotCard(
    services,
    services.db.select().from(spotChecks).where(eq(spotChecks.id, x.id)).get() as SpotCheck,
  );
  services.outbound.updateCards(spotCardRef(x.id), card, x.clickedMessageId);
  return { card, text };
}
