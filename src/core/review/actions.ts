import type { Registry } from "../registry.ts";
import { parseDateTime } from "../time.ts";
import { UserError } from "../types.ts";
import { windowWarningLines } from "../windows/publish-windows.ts";
import type { ReviewApi } from "./api.ts";
import { submittedReply } from "./commands.ts";
import { plannedExample } from "./example-date.ts";
import { parsePlatforms } from "./submit-parse.ts";

/** Card buttons of the review chain: 通过/驳回 on a step card, and the /submit form card. */
export function registerReviewActions(r: Registry, api: ReviewApi): void {
  r.cardAction("review.decide", ({ log, actor, action }) => {
    const stepId = Number(action.value.step);
    const verdict = action.value.v === "reject" ? "reject" : "approve";
    if (!Number.isInteger(stepId)) throw new UserError("卡片数据无效");
    const opinion = typeof action.formValue.opinion === "string" ? action.formValue.opinion : undefined;
    const { step, card } = api.decider.decide({
      actorId: actor.personId,
      stepId,
      verdict,
      opinion,
      clickedMessageId: action.messageId,
    });
    log.info({ item: step.itemId, step: step.id, verdict }, "审核决定 / review decision");
    return {
      toast: { type: "success", content: `${verdict === "approve" ? "已通过" : "已驳回"}「${step.label}」` },
      card,
    };
  });

  r.cardAction("submit.form", ({ services, actor, action }) => {
    const f = action.formValue;
    const text = (k: string) => (typeof f[k] === "string" ? (f[k] as string).trim() : "");
    const list = (k: string) =>
      Array.isArray(f[k]) ? (f[k] as unknown[]).map(String) : text(k) ? [text(k)] : [];
    const title = text("title");
    const body = text("body");
    if (!title || !body || list("platforms").length === 0) throw new UserError("请填写平台、标题和正文");
    const planned = text("planned");
    const plannedAt = planned ? parseDateTime(planned, services.tz) : undefined;
    if (planned && plannedAt === undefined)
      throw new UserError(`计划发布时间格式：${plannedExample(services.clock.now(), services.tz)}`);
    const flags = list("flags");
    const { item, findings, opened } = api.engine.submit({
      authorId: actor.personId,
      title,
      body,
      platforms: parsePlatforms(list("platforms").join(",")),
      isAd: flags.includes("ad"),
      isSensitive: flags.includes("sensitive"),
      ...(plannedAt !== undefined ? { plannedAt } : {}),
    });
    return {
      toast: { type: "success", content: `已提交 #${item.id}` },
      card: {
        template: "notice",
        more: `发送 /status ${item.id} 查看全文`,
        data: {
          title: `已提交 #${item.id}`,
          color: "green",
          text: submittedReply(
            item.id,
            item.title,
            findings,
            opened,
            1,
            windowWarningLines(item.platforms, item.plannedAt, services.tz),
          ),
        },
      },
    };
  });
}
