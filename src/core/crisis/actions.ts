import type { Core } from "../core.ts";
import { UserError } from "../types.ts";
import { setLevel, setStage } from "./lifecycle.ts";
import { crisisNo, isTier, STAGE_LABEL, STAGES, type Stage, TIER_LABEL } from "./model.ts";
import { acknowledge } from "./paging.ts";
import { getCrisis } from "./repo.ts";

/** Buttons of the crisis card: 收到, 升级, 进入下一阶段. Each value names the state the card showed. */
export function registerCrisisActions(core: Core): void {
  const idOf = (v: Record<string, unknown>) => {
    const id = Number(v.c);
    if (!Number.isInteger(id) || id <= 0) throw new UserError("卡片数据无效");
    return id;
  };

  core.cardActions.on("crisis.ack", ({ core, actor, action }) => {
    const r = acknowledge(core, actor, idOf(action.value), action.messageId);
    return { toast: { type: r.won ? "success" : "info", content: r.text }, card: r.card };
  });

  core.cardActions.on("crisis.escalate", ({ core, actor, action }) => {
    const id = idOf(action.value);
    const c = getCrisis(core.db, id);
    // A second tap on a stale card must not raise the tier twice.
    if (Number(action.value.from) !== c.tier) {
      throw new UserError(`${crisisNo(id)} 已是${TIER_LABEL[c.tier]}，卡片已更新`);
    }
    const tier = c.tier + 1;
    if (!isTier(tier)) throw new UserError(`${crisisNo(id)} 已是最高级别`);
    const card = setLevel(core, actor, id, tier, action.messageId);
    return {
      toast: { type: "success", content: `${crisisNo(id)} 已升级为${TIER_LABEL[tier]}，重新呼叫` },
      card,
    };
  });

  core.cardActions.on("crisis.stage", ({ core, actor, action }) => {
    const id = idOf(action.value);
    const to = STAGES.find((s) => s === action.value.to) as Stage | undefined;
    if (!to) throw new UserError("卡片数据无效");
    const card = setStage(core, actor, {
      id,
      to,
      note: "",
      expectedFrom: String(action.value.from ?? ""),
      clickedMessageId: action.messageId,
    });
    return { toast: { type: "success", content: `${crisisNo(id)} 进入「${STAGE_LABEL[to]}」` }, card };
  });
}
