import { and, eq, inArray } from "drizzle-orm";
import { arg, prepared, setArg } from "../../store/prepared.ts";
import { contentItems, publications, reviewSteps, revisions } from "../../store/schema/index.ts";
import { checkCompliance, type Finding } from "../compliance/check.ts";
import { platformLabel, roleLabel } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import { UserError } from "../types.ts";
import { stepsFor } from "./chains.ts";
import { cardRefOf, TIMER_BREACH, TIMER_REMIND } from "./deps.ts";
import { addEvent, getItem, type Item, type Step, stepsOf } from "./repo.ts";
import { type ItemStatus, transition } from "./transitions.ts";
import { type CardFacts, type CardReads, reviewCard } from "./views.ts";

const markStepOpen = prepared((db) =>
  db
    .update(reviewSteps)
    .set({ status: "pending", openedAt: setArg("at") })
    .where(eq(reviewSteps.id, arg("id")))
    .prepare(),
);

export interface Draft {
  authorId: number;
  title: string;
  platforms: string[];
  body: string;
  isAd: boolean;
  isSensitive: boolean;
  plannedAt?: number;
  kind?: string;
  chain?: string;
}

export interface OpenedStep {
  step: Step;
  /** How many people got the card (0 means nobody can decide: the admins are told). */
  reviewers: number;
}

/** Follows publications (the post-publish data rule of seeds/003 三.1 arms its timers here). */
export type PublishedHook = (itemId: number, platform: string, at: number) => void;

/** Asked before an author submits or resubmits; throws a UserError to refuse (the 上岗考核 gate). */
export type SubmitGuard = (authorId: number, kind: string) => void;

/**
 * The review chain (seeds/000 第八条(二); docs/review.md): items, revisions and steps. Every method runs inside the caller's
 * transaction and writes its notifications to the outbox in that same transaction.
 */
export class ReviewEngine {
  private readonly publishedHooks: PublishedHook[] = [];
  private readonly submitGuards: SubmitGuard[] = [];
  private readonly facts = new Map<string, CardFacts>();

  constructor(private readonly d: Services) {}

  /** How cards of items of `kind` (not content) show their facts; the feature owning the kind says. */
  cardFacts(kind: string, facts: CardFacts): void {
    this.facts.set(kind, facts);
  }

  readonly factsOf = (kind: string): CardFacts | undefined => this.facts.get(kind);

  onPublished(hook: PublishedHook): void {
    this.publishedHooks.push(hook);
  }

  onBeforeSubmit(guard: SubmitGuard): void {
    this.submitGuards.push(guard);
  }

  submit(draft: Draft): { item: Item; findings: Finding[]; opened: OpenedStep } {
    for (const guard of this.submitGuards) guard(draft.authorId, draft.kind ?? "content");
    const now = this.d.clock.now();
    const chain = draft.chain ?? this.d.policy.get("review.chain");
    const item = this.d.db
      .insert(contentItems)
      .values({
        kind: draft.kind ?? "content",
        chain,
        title: draft.title,
        platforms: draft.platforms,
        authorId: draft.authorId,
        isAd: draft.isAd,
        isSensitive: draft.isSensitive,
        plannedAt: draft.plannedAt ?? null,
        status: "in_review",
        revision: 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    const { findings, opened } = this.startRevision(item, 1, draft.body, "submit", draft.authorId);
    return { item: getItem(this.d.db, item.id), findings, opened };
  }

  resubmit(
    actorId: number,
    itemId: number,
    body: string,
  ): { item: Item; findings: Finding[]; opened: OpenedStep } {
    const item = getItem(this.d.db, itemId);
    if (item.authorId !== actorId) throw new UserError(`只有作者可以重新提交 #${itemId}`);
    for (const guard of this.submitGuards) guard(actorId, item.kind);
    if (!body.trim()) throw new UserError("请在第二行起写修改后的正文");
    transition(item.id, item.status as ItemStatus, "resubmit");
    const revision = item.revision + 1;
    this.d.db
      .update(contentItems)
      .set({ status: "in_review", revision, updatedAt: this.d.clock.now(), finishedAt: null })
      .where(eq(contentItems.id, item.id))
      .run();
    const { findings, opened } = this.startRevision(item, revision, body, "resubmit", actorId);
    return { item: getItem(this.d.db, item.id), findings, opened };
  }

  /** Stores the revision, runs the compliance check, creates the chain's steps and opens the first. */
  private startRevision(item: Item, revision: number, body: string, event: string, actorId: number) {
    const now = this.d.clock.now();
    const findings = checkCompliance({ title: item.title, body, isAd: item.isAd });
    this.d.db.insert(revisions).values({ itemId: item.id, revision, body, findings, submittedAt: now }).run();
    const flagged = item.isAd || item.isSensitive || findings.length > 0;
    const steps = stepsFor(item.chain, flagged);
    steps.forEach((s, i) => {
      this.d.db
        .insert(reviewSteps)
        .values({
          itemId: item.id,
          revision,
          position: i + 1,
          stepKey: s.key,
          label: s.label,
          role: s.role,
          status: "waiting",
        })
        .run();
    });
    addEvent(this.d.db, { itemId: item.id, revision, type: event, actorId, at: now });
    const first = stepsOf(this.d.db, item.id, revision)[0];
    if (!first) throw new Error("chain without steps");
    return { findings, opened: this.openStep(item.id, first) };
  }

  /**
   * Makes a step decidable: cards to every holder of its role (或签) except the author, and its timers.
   * A caller that holds the item and the revision's steps (a decision) passes them in `reads`.
   */
  openStep(itemId: number, step: Step, reads: CardReads = {}): OpenedStep {
    const now = this.d.clock.now();
    markStepOpen(this.d.db).run({ at: now, id: step.id });
    const opened = { ...step, status: "pending", openedAt: now };
    reads.item ??= getItem(this.d.db, itemId);
    const item = reads.item;
    const deciders = this.deciders(item, opened);
    if (deciders.length > 0) {
      const steps = reads.steps?.map((s) => (s.id === opened.id ? opened : s));
      // One view for every copy: the renderer fills it once (platforms/feishu/render.ts).
      const card = reviewCard(this.d, itemId, opened, { ...reads, ...(steps && { steps }) }, this.factsOf);
      for (const personId of deciders) {
        this.d.outbound.toPerson(personId, { type: "card", card }, { cardRef: cardRefOf(step.id) });
      }
    }
    if (deciders.length === 0) {
      this.d.outbound.toAdmins({
        type: "text",
        text: `⚠️ #${itemId}《${item.title}》的「${step.label}」没有可审核的人：请用 /role add ${step.role} @某人 指定「${roleLabel(step.role)}」`,
      });
    }
    for (const [kind, rule] of [
      [TIMER_REMIND, "review.step.remind"],
      [TIMER_BREACH, "review.step.breach"],
    ] as const) {
      this.d.timers.schedule(kind, String(step.id), now + this.d.policy.durationMs(rule), {
        rule,
        basis: now,
      });
    }
    return { step: opened, reviewers: deciders.length };
  }

  /** Current holders of the step's role, never the author (nobody reviews their own item). */
  deciders(item: Item, step: Step): number[] {
    return this.d.people.holders(step.role).filter((p) => p !== item.authorId);
  }

  /** Closes every open step of the item's current revision (withdraw, reject), greying out their cards. */
  cancelOpenSteps(item: Item, exceptStepId?: number): void {
    const open = stepsOf(this.d.db, item.id, item.revision).filter(
      (s) => (s.status === "pending" || s.status === "waiting") && s.id !== exceptStepId,
    );
    if (open.length === 0) return;
    this.d.db
      .update(reviewSteps)
      .set({ status: "cancelled" })
      .where(
        inArray(
          reviewSteps.id,
          open.map((s) => s.id),
        ),
      )
      .run();
    for (const s of open) {
      this.stopTimers(s.id);
      if (s.status === "pending") {
        this.d.outbound.updateCards(
          cardRefOf(s.id),
          reviewCard(this.d, item.id, { ...s, status: "cancelled" }, {}, this.factsOf),
        );
      }
    }
  }

  stopTimers(stepId: number): void {
    this.d.timers.cancel(TIMER_REMIND, String(stepId));
    this.d.timers.cancel(TIMER_BREACH, String(stepId));
  }

  withdraw(actorId: number, itemId: number, reason: string): Item {
    const item = getItem(this.d.db, itemId);
    const allowed = item.authorId === actorId || this.d.people.hasRole(actorId, "marketing_head");
    if (!allowed) throw new UserError(`只有作者或市场部门负责人可以撤回 #${itemId}`);
    const status = transition(item.id, item.status as ItemStatus, "withdraw");
    const now = this.d.clock.now();
    this.d.db
      .update(contentItems)
      .set({ status, updatedAt: now, finishedAt: now })
      .where(eq(contentItems.id, itemId))
      .run();
    this.cancelOpenSteps({ ...item, status });
    addEvent(this.d.db, {
      itemId,
      revision: item.revision,
      type: "withdraw",
      actorId,
      at: now,
      opinion: reason,
    });
    if (item.authorId !== actorId) {
      this.d.outbound.toPerson(item.authorId, {
        type: "text",
        text: `#${itemId}《${item.title}》已被 ${this.d.people.name(actorId)} 撤回，原因：${reason}`,
        more: `发送 /status ${itemId} 查看全文`,
      });
    }
    return getItem(this.d.db, itemId);
  }

  publish(
    actorId: number,
    itemId: number,
    platform: string,
    link: string | undefined,
  ): { item: Item; remaining: string[] } {
    if (!this.d.people.hasRole(actorId, "publisher")) throw new UserError("只有「发布专员」可以登记发布");
    const item = getItem(this.d.db, itemId);
    if (!item.platforms.includes(platform)) {
      throw new UserError(
        `#${itemId} 的发布平台是 ${item.platforms.map(platformLabel).join("、")}，不含「${platformLabel(platform)}」`,
      );
    }
    transition(item.id, item.status as ItemStatus, "publish");
    const now = this.d.clock.now();
    this.d.db
      .insert(publications)
      .values({ itemId, platform, publishedAt: now, link: link ?? null, publishedBy: actorId })
      .onConflictDoUpdate({
        target: [publications.itemId, publications.platform],
        set: { publishedAt: now, link: link ?? null, publishedBy: actorId },
      })
      .run();
    const done = new Set(
      this.d.db
        .select({ platform: publications.platform })
        .from(publications)
        .where(and(eq(publications.itemId, itemId)))
        .all()
        .map((p) => p.platform),
    );
    const remaining = item.platforms.filter((p) => !done.has(p));
    const status = remaining.length === 0 ? "published" : item.status;
    this.d.db.update(contentItems).set({ status, updatedAt: now }).where(eq(contentItems.id, itemId)).run();
    addEvent(this.d.db, {
      itemId,
      revision: item.revision,
      type: "publish",
      actorId,
      at: now,
      opinion: `${platform} ${link ?? ""}`.trim(),
    });
    for (const hook of this.publishedHooks) hook(itemId, platform, now);
    this.d.outbound.toPerson(item.authorId, {
      type: "text",
      text: `📢 #${itemId}《${item.title}》已在${platformLabel(platform)}发布${link ? `：${link}` : ""}`,
      more: `发送 /status ${itemId} 查看全文`,
    });
    return { item: getItem(this.d.db, itemId), remaining };
  }
}
