import { cardId } from "../commands/card-actions.ts";
import type { Feature } from "../feature.ts";
import { UserError } from "../types.ts";
import { rectifyCommand } from "./commands.ts";
import { confirmRect, registerRectTimers, reopenRect } from "./lifecycle.ts";
import { unconfirmed } from "./repo.ts";
import { isOverdue, rectLine } from "./views.ts";

/**
 * 整改通知 (《制度》第十三条(三)): `/rectify`, the issuer's 确认整改 / 退回重改 card,
 * the reminder and breach timers, and the daily digest (and /sla) section of unconfirmed notices.
 */
export const rectify: Feature = {
  name: "rectify",
  apply(r, services) {
    r.command(rectifyCommand);
    registerRectTimers(services);
    const idOf = (v: Record<string, unknown>) => cardId(v, "r");
    r.cardAction("rectify.confirm", ({ services, actor, action }) => {
      const card = confirmRect(services, actor, idOf(action.value), action.messageId);
      return { toast: { type: "success", content: "已确认整改完成" }, card };
    });
    r.cardAction("rectify.reopen", ({ services, actor, action }) => {
      const reason = typeof action.formValue.reason === "string" ? action.formValue.reason : "";
      if (!reason.trim()) throw new UserError("退回重改需要写原因");
      const card = reopenRect(services, actor, idOf(action.value), reason, action.messageId);
      return { toast: { type: "success", content: "已退回重改" }, card };
    });
    r.digestSection((c, now) => {
      const open = unconfirmed(c.db);
      if (open.length === 0) return undefined;
      const overdue = open.filter((r) => isOverdue(r, now)).length;
      return {
        label: `未完成的整改通知（其中超期 ${overdue} 项）`,
        lines: [...open]
          .sort((a, b) => Number(isOverdue(b, now)) - Number(isOverdue(a, now)))
          .map((r) => rectLine(c, r, now)),
      };
    });
  },
};
