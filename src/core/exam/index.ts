import type { CommandDef } from "../commands/registry.ts";
import type { Feature } from "../feature.ts";
import { reviewService } from "../review/api.ts";
import { UserError } from "../types.ts";
import { bank } from "./bank.ts";
import { examCommand } from "./commands.ts";
import { EXEMPT, REQUIRED, requireExamPassed } from "./gate.ts";
import { answer } from "./quiz.ts";
import { registerExamTimers } from "./reminders.ts";
import { rollOut } from "./rollout.ts";

/**
 * 上岗考核 (《制度》第十四条(二)1): `/exam`, the answer buttons, the gate on
 * submitting content, the grace period of existing holders and the refresher reminders.
 */
export const exam: Feature = {
  name: "exam",
  apply(r, services) {
    r.command(examCommand);
    r.wrapCommand("submit", withExamGate);
    services.policy.setChoices("exam.existing", [REQUIRED, EXEMPT]);
    services.policy.onChange((key, value) => {
      if (key === "exam.pass" && Number(value) > 100)
        throw new UserError("exam.pass 是答对的百分比，应为 0–100");
      if (key === "exam.count" && (Number(value) < 1 || Number(value) > bank.length))
        throw new UserError(`「上岗考核每次题数」应为 1–${bank.length}（题库共 ${bank.length} 题）`);
    });
    r.cardAction("exam.answer", ({ services, actor, action }) => {
      const v = action.value;
      const attemptId = Number(v.t);
      const n = Number(v.n);
      if (!Number.isInteger(attemptId) || attemptId <= 0 || !Number.isInteger(n) || typeof v.o !== "string")
        throw new UserError("卡片数据无效");
      const r = answer(services, actor, { attemptId, n, choice: v.o, clickedMessageId: action.messageId });
      // The answered card, then the next question (or the result) by DM, say enough: a toast would also be
      // one more DM per question on WeCom (which has no toasts), against its 30 messages a minute per member.
      return { card: r.card };
    });
    r.need(reviewService).engine.onBeforeSubmit((authorId, kind) => {
      if (kind === "content") requireExamPassed(services, authorId);
    });
    registerExamTimers(services);
    rollOut(services);
  },
};

/**
 * `/submit` answers "take the exam first" before anything else: before its usage line, and before the
 * Feishu form card (whose submission the engine's guard would refuse anyway).
 */
function withExamGate(def: CommandDef): CommandDef {
  return {
    ...def,
    run(ctx) {
      requireExamPassed(ctx.services, ctx.actor.personId);
      def.run.call(def, ctx);
    },
  };
}
