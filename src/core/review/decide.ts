import { and, eq } from "drizzle-orm";
import { arg, prepared, setArg } from "../../store/prepared.ts";
import { type auditLog, contentItems, reviewSteps } from "../../store/schema/index.ts";
import { roleLabel } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import { formatDateTime } from "../time.ts";
import { type CardView, UserError } from "../types.ts";
import { cardRefOf } from "./deps.ts";
import type { ReviewEngine } from "./engine.ts";
import { addEvent, currentStep, getItem, getStep, type Item, type Step, stepsOf } from "./repo.ts";
import { type ItemStatus, transition } from "./transitions.ts";
import { type CardReads, nameIn, reviewCard } from "./views.ts";

// The guarded claim: only a step still `pending` can be decided (prepared: this is the click path).
const claimStep = prepared((db) =>
  db
    .update(reviewSteps)
    .set({
      status: setArg("status"),
      decidedBy: setArg("by"),
      decidedAt: setArg("at"),
      opinion: setArg("opinion"),
    })
    .where(and(eq(reviewSteps.id, arg("id")), eq(reviewSteps.status, "pending")))
    .prepare(),
);
const setItemStatus = prepared((db) =>
  db
    .update(contentItems)
    .set({ status: setArg("status"), updatedAt: setArg("at") })
    .where(eq(contentItems.id, arg("id")))
    .prepare(),
);
const finishItem = prepared((db) =>
  db
    .update(contentItems)
    .set({ status: setArg("status"), updatedAt: setArg("at"), finishedAt: setArg("at") })
    .where(eq(contentItems.id, arg("id")))
    .prepare(),
);

export type Verdict = "approve" | "reject";

export interface Decision {
  actorId: number;
  stepId: number;
  verdict: Verdict;
  opinion: string | undefined;
  /** The card message that was clicked: it is updated by the callback answer, not through the outbox. */
  clickedMessageId?: string;
}

/** Listeners for finished chains, by item kind (crisis statements and archive requests reuse the engine). */
export type FinishedHook = (itemId: number, outcome: "approved" | "rejected") => void;

/**
 * One decision on one step. Exactly one decision wins: the step row is updated only while it is still
 * `pending`, inside an IMMEDIATE transaction, so duplicate callbacks and simultaneous clicks by two
 * holders of the role see the first decision and are refused.
 */
export class ReviewDecider {
  private readonly hooks = new Map<string, FinishedHook>();

  constructor(
    private readonly d: Services,
    private readonly engine: ReviewEngine,
  ) {}

  onFinished(kind: string, hook: FinishedHook): void {
    this.hooks.set(kind, hook);
  }

  /** Text fallback (`/approve 12`, `/reject 12 意见`): decides the item's current step. */
  decideItem(
    actorId: number,
    itemId: number,
    verdict: Verdict,
    opinion: string | undefined,
  ): { step: Step; card: CardView } {
    const item = getItem(this.d.db, itemId);
    const step = currentStep(this.d.db, item);
    if (!step || !this.d.people.hasRole(actorId, step.role)) {
      // Typed after someone else's tap: the step this person meant (one of their roles) is already decided.
      // Say so, rather than naming the role of the step that has moved on.
      const meant = stepsOf(this.d.db, item.id, item.revision)
        .filter(
          (s) =>
            (s.status === "approved" || s.status === "rejected") &&
            s.decidedBy !== actorId &&
            this.d.people.hasRole(actorId, s.role),
        )
        .at(-1);
      if (meant) this.refuse(actorId, meant, verdict, this.alreadyDecided(meant.id));
    }
    if (!step) throw new UserError(`#${itemId} 当前没有待审步骤`);
    return this.decide({ actorId, stepId: step.id, verdict, opinion });
  }

  decide(x: Decision): { step: Step; card: CardView } {
    const now = this.d.clock.now();
    const step = getStep(this.d.db, x.stepId);
    if (!step) throw new UserError("找不到这个审核步骤");
    const item = getItem(this.d.db, step.itemId);
    this.authorise(x, step, item.authorId);
    const opinion = x.opinion?.trim() || undefined;
    if (x.verdict === "reject" && !opinion) throw new UserError("驳回需要填写意见");

    const decidedStatus = x.verdict === "approve" ? "approved" : "rejected";
    const claimed = claimStep(this.d.db).run({
      status: decidedStatus,
      by: x.actorId,
      at: now,
      opinion: opinion ?? null,
      id: step.id,
    });
    if (claimed.changes !== 1) throw new UserError(this.alreadyDecided(step.id));
    this.engine.stopTimers(step.id);
    addEvent(this.d.db, {
      itemId: item.id,
      revision: step.revision,
      type: x.verdict,
      actorId: x.actorId,
      at: now,
      stepKey: step.stepKey,
      ...(opinion ? { opinion } : {}),
    });

    const steps = stepsOf(this.d.db, item.id, step.revision);
    const next = steps.find((s) => s.position > step.position && s.status === "waiting");
    const event = x.verdict === "reject" ? "reject" : next ? "approve_step" : "approve_last";
    const status = transition(item.id, item.status as ItemStatus, event);
    const finished = status !== "in_review";
    (finished ? finishItem : setItemStatus)(this.d.db).run({ status, at: now, id: item.id });
    // What was just written, so the card and the author's notice need not read it back.
    const updated: Item = { ...item, status, updatedAt: now, ...(finished ? { finishedAt: now } : {}) };
    if (x.verdict === "reject") this.engine.cancelOpenSteps(updated, step.id);

    const decided: Step = {
      ...step,
      status: decidedStatus,
      decidedBy: x.actorId,
      decidedAt: now,
      opinion: opinion ?? null,
    };
    // The steps were read after the claim; a rejection has since cancelled the open ones (read again).
    const reads: CardReads = { item: updated, ...(x.verdict === "approve" && { steps }) };
    const card = reviewCard(this.d, item.id, decided, reads, this.engine.factsOf);
    this.d.outbound.updateCards(cardRefOf(step.id), card, x.clickedMessageId);
    const opened = next && x.verdict === "approve" ? this.engine.openStep(item.id, next, reads) : undefined;
    this.notifyAuthor(updated, decided, opened?.step, reads);
    if (status === "approved" || status === "rejected") {
      this.hooks.get(item.kind)?.(item.id, status);
    }
    return { step: decided, card };
  }

  /** Only current holders of the step's role, never the author. Refusals are logged (docs/review.md). */
  private authorise(x: Decision, step: Step, authorId: number): void {
    let refusal: string | undefined;
    if (step.status !== "pending") refusal = this.alreadyDecided(step.id);
    else if (x.actorId === authorId) refusal = "不能审核自己提交的内容";
    else if (!this.d.people.hasRole(x.actorId, step.role)) {
      refusal = `你不是「${roleLabel(step.role)}」，不能处理「${step.label}」`;
    }
    if (!refusal) return;
    this.refuse(x.actorId, step, x.verdict, refusal, this.currentCardFor(x, step));
  }

  private refuse(actorId: number, step: Step, verdict: Verdict, refusal: string, card?: CardView): never {
    throw new RefusedDecision(
      refusal,
      {
        actorId,
        action: "review.refused",
        detail: { stepId: step.id, itemId: step.itemId, verdict, reason: refusal },
        at: this.d.clock.now(),
      },
      card,
    );
  }

  /**
   * A click on a step that is over refreshes the clicked card: it may be a copy whose update never arrived
   * (the answer to the deciding click was lost in a crash). Only when the clicked message really is a copy
   * of this step's card: a value edited to name another item's step must not show that item.
   */
  private currentCardFor(x: Decision, step: Step): CardView | undefined {
    if (step.status === "pending" || !x.clickedMessageId) return undefined;
    if (!this.d.outbound.isCopyOf(cardRefOf(step.id), x.clickedMessageId)) return undefined;
    return reviewCard(this.d, step.itemId, step, {}, this.engine.factsOf);
  }

  private alreadyDecided(stepId: number): string {
    const s = getStep(this.d.db, stepId);
    if (!s) return "找不到这个审核步骤";
    if (s.status === "approved" || s.status === "rejected") {
      const who = s.decidedBy ? this.d.people.name(s.decidedBy) : "?";
      const when = s.decidedAt ? formatDateTime(s.decidedAt, this.d.tz) : "";
      return `「${s.label}」已由 ${who} 于 ${when} ${s.status === "approved" ? "通过" : "驳回"}，无需重复处理`;
    }
    if (s.status === "waiting") return `「${s.label}」还没轮到（前面的审核步骤尚未通过）`;
    return `「${s.label}」已结束（内容已撤回、被驳回或已有新版本）`;
  }

  private notifyAuthor(item: Item, decided: Step, next: Step | undefined, reads: CardReads): void {
    const who = decided.decidedBy ? nameIn(this.d, decided.decidedBy, reads) : "";
    let text: string;
    if (decided.status === "rejected") {
      text = `❌ #${item.id}《${item.title}》${decided.label}被 ${who} 驳回\n意见：${decided.opinion ?? ""}\n修改后发送：/resubmit ${item.id}（第二行起写新正文）`;
    } else if (next) {
      text = `✅ #${item.id}《${item.title}》${decided.label}已由 ${who} 通过${decided.opinion ? `（意见：${decided.opinion}）` : ""}，下一步：${next.label}`;
    } else {
      // Only content goes on to be published; other kinds (statements, archive requests) say what follows.
      const next = item.kind === "content" ? "，可以发布" : "";
      text = `🎉 #${item.id}《${item.title}》已全部审核通过（${decided.label}：${who}）${next}`;
    }
    this.d.outbound.toPerson(item.authorId, { type: "text", text, more: `发送 /status ${item.id} 查看全文` });
  }
}

/** A refused click: the caller answers with the text and records the audit row after rolling back. */
export class RefusedDecision extends UserError {
  constructor(
    message: string,
    readonly audit: typeof auditLog.$inferInsert,
    /** The card as it is now, for the clicked copy (click answers only). */
    readonly card?: CardView,
  ) {
    super(message);
  }
}
