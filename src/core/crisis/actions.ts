import { cardId } from "../commands/card-actions.ts";
import type { Registry } from "../registry.ts";
import { UserError } from "../types.ts";
import type { ClosedHooks } from "./api.ts";
import { setLevel, setStage } from "./lifecycle.ts";
import { crisisNo, isTier, STAGE_LABEL, STAGES, type Stage, TIER_LABEL } from "./model.ts";
import { acknowledge } from "./paging.ts";
import { getCrisis } from "./repo.ts";

/** Buttons of the crisis card: 收到, 升级, 进入下一阶段. Each value names the state the card showed. */
export function registerCrisisActions(r: Registry, closed: ClosedHooks): void {
  const idOf = (v: Record<string, unknown>) => cardId(v, "c");

  r.cardAction("crisis.ack", ({ services, actor, action }) => {
    const r = acknowledge(services, actor, idOf(action.value), action.messageId);
    return { toast: { type: r.won ? "success" : "info", content: r.text }, card: r.card };
  });

  r.cardAction("crisis.escalate", ({ services, actor, action }) => {
    const id = idOf(action.value);
    const c = getCrisis(services.db, id);
    // A second tap on a stale card must not raise the tier twice.
    if (Number(action.value.from) !== c.tier) {
      throw new UserError(`${crisisNo(id)} 已是${TIER_LABEL[c.tier]}，卡片已更新`);
    }
    const tier = c.tier + 1;
    if (!isTier(tier)) throw new UserError(`${crisisNo(id)} 已是最高级别`);
    const card = setLevel(services, actor, id, tier, action.messageId);
    return {
      toast: { type: "success", content: `${crisisNo(id)} 已升级为${TIER_LABEL[tier]}，重新呼叫` },
      card,
    };
  });

  r.cardAction("crisis.stage", ({ services, actor, action }) => {
    const id = idOf(action.value);
    const to = STAGES.find((s) => s === action.value.to) as Stage | undefined;
    if (!to) throw new UserError("卡片数据无效");
    const card = setStage(
      services,
      actor,
      {
        id,
        to,
        note: "",
        expectedFrom: String(action.value.from ?? ""),
        clickedMessageId: action.messageId,
      },
      closed,
    );
    return { toast: { type: "success", content: `${crisisNo(id)} 进入「${STAGE_LABEL[to]}」` }, card };
  });
}
