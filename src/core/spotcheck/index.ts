import { cronJob } from "../cron-job.ts";
import type { Feature } from "../feature.ts";
import { UserError } from "../types.ts";
import { dayOf, dayRange, spotcheckCommand } from "./commands.ts";
import { decideSpot } from "./decide.ts";
import { supervisionSection } from "./report.ts";
import { sampleRange } from "./sample.ts";

export const TIMER_SPOTCHECK = "spotcheck.daily";

/**
 * 每日抽查 (《制度》第十三条(一)): the `/spotcheck` command, the 合格 / 不合格
 * buttons, and the daily sample at `spotcheck.cron` of the previous day, on a durable timer re-armed
 * after each run like the digest (a run missed while down happens once at start-up).
 */
export const spotcheck: Feature = {
  name: "spotcheck",
  apply(r, services) {
    r.command(spotcheckCommand);
    r.reportSection(supervisionSection);
    r.cardAction("spot.decide", ({ services, actor, action }) => {
      const id = Number(action.value.s);
      const v = action.value.v;
      if (!Number.isInteger(id) || id <= 0 || (v !== "pass" && v !== "fail"))
        throw new UserError("卡片数据无效");
      const reason = typeof action.formValue.reason === "string" ? action.formValue.reason : "";
      const r = decideSpot(services, actor, { id, verdict: v, reason, clickedMessageId: action.messageId });
      return { toast: { type: "success", content: r.text }, card: r.card };
    });
    cronJob(services, {
      kind: TIMER_SPOTCHECK,
      ref: "daily",
      rule: "spotcheck.cron",
      run: (t) => {
        // The day before the run was due (not before now: a run caught up after downtime samples its own day).
        const day = dayOf(t.fireAt - 86_400_000, services.tz);
        const range = dayRange(day, services.tz);
        if (range) {
          sampleRange(services, {
            start: range[0],
            end: range[1],
            day,
            count: services.policy.count("spotcheck.count"),
            source: "cron",
            requestedBy: null,
          });
        }
        return true;
      },
    });
  },
};
