import { and, eq } from "drizzle-orm";
import { archiveRequests, contentItems } from "../../store/schema/index.ts";
import type { Actor } from "../commands/registry.ts";
import { roleLabel } from "../people/catalog.ts";
import { durationWords } from "../policy/words.ts";
import type { ReviewEngine } from "../review/engine.ts";
import { latestRevision, type Step } from "../review/repo.ts";
import type { Services } from "../services.ts";
import { formatDateTime } from "../time.ts";
import { UserError } from "../types.ts";
import { activeGrants, readsAll } from "./access.ts";
import { covers, isItemScope, type Scope, scopeLabel } from "./scope.ts";
import { NO_COPY } from "./search.ts";

/**
 * 《档案查阅申请》 (第十二条(三)): an item of kind archive_access in the review engine. Internal requests
 * go to the marketing_head (chain archive_access); #外部 ones to the marketing_head and then management
 * (archive_access_external). Approval opens the requester's read window on the scope (`archive.grant`).
 */

export const REQUEST_KIND = "archive_access";
const CHAIN = { internal: "archive_access", external: "archive_access_external" } as const;

export function submitRequest(
  services: Services,
  review: ReviewEngine,
  actor: Actor,
  scope: Scope,
  reason: string,
  external: boolean,
  now: number,
): string {
  if (readsAll(services, actor) && !external) {
    return `你可以直接查阅档案，无需申请：/archive search <关键词> ${scope.label}`;
  }
  const active = activeGrants(services, actor.personId, now).find((g) =>
    covers(g.scope, scope.key, { tz: services.tz }),
  );
  if (active) {
    return `你已可查阅 ${scopeLabel(active.scope)}（申请 #${active.itemId}），至 ${formatDateTime(active.expiresAt, services.tz)}：/archive search <关键词> ${scope.label}`;
  }
  const pending = services.db
    .select({ itemId: archiveRequests.itemId })
    .from(archiveRequests)
    .innerJoin(contentItems, eq(contentItems.id, archiveRequests.itemId))
    .where(
      and(
        eq(archiveRequests.personId, actor.personId),
        eq(archiveRequests.scope, scope.key),
        eq(contentItems.status, "in_review"),
      ),
    )
    .get();
  if (pending)
    throw new UserError(
      `你对 ${scope.label} 的查阅申请 #${pending.itemId} 正在审批中，请耐心等待（/status ${pending.itemId}）`,
    );
  if (isItemScope(scope.key)) {
    const exists = services.db.$client
      .prepare("SELECT 1 FROM archive_records WHERE scope = ? LIMIT 1")
      .get(scope.key);
    if (!exists) throw new UserError(`档案中没有 ${scope.label} 的记录，请核对编号`);
  }
  const roles = services.people.rolesOf(actor.personId).map(roleLabel).join("、") || "无角色";
  const grant = durationWords(services.policy.get("archive.grant"));
  const body = [
    `申请人：${actor.name}（${roles}）`,
    `查阅范围：${scope.label}`,
    `查阅事由：${reason}`,
    `性质：${external ? "外部单位查阅（须经管理层审批）" : "内部查阅"}`,
    `批准后申请人可在 ${grant} 内查阅该范围，每次查阅均登记存档。${NO_COPY}`,
  ].join("\n");
  const { item, opened } = review.submit({
    authorId: actor.personId,
    title: `档案查阅申请：${scope.label}${external ? "（外部）" : ""}`,
    platforms: [],
    body,
    isAd: false,
    isSensitive: false,
    kind: REQUEST_KIND,
    chain: external ? CHAIN.external : CHAIN.internal,
  });
  services.db
    .insert(archiveRequests)
    .values({
      itemId: item.id,
      personId: actor.personId,
      scope: scope.key,
      external,
      reason,
      requestedAt: now,
    })
    .run();
  const path = external ? "市场部门负责人、管理层" : "市场部门负责人";
  const none = opened.reviewers === 0 ? "\n⚠️ 目前没有可审批的人，已通知管理员" : "";
  return `已提交《档案查阅申请》#${item.id}（范围 ${scope.label}），等待${path}审批；批准后你可在 ${grant} 内查阅。进度：/status ${item.id}${none}`;
}

/** The chain finished: approval opens the read window and tells the requester how to read. */
export function onRequestFinished(
  services: Services,
  itemId: number,
  outcome: "approved" | "rejected",
): void {
  if (outcome !== "approved") return; // the review engine already told the requester, with the opinion
  const req = services.db.select().from(archiveRequests).where(eq(archiveRequests.itemId, itemId)).get();
  if (!req) return;
  const now = services.clock.now();
  const expiresAt = now + services.policy.durationMs("archive.grant");
  services.db
    .update(archiveRequests)
    .set({ grantedAt: now, expiresAt })
    .where(eq(archiveRequests.itemId, itemId))
    .run();
  const label = scopeLabel(req.scope);
  services.outbound.toPerson(req.personId, {
    type: "text",
    text: [
      `✅ 你的《档案查阅申请》#${itemId} 已批准：${formatDateTime(expiresAt, services.tz)} 前可查阅 ${label}`,
      `查阅：/archive search <关键词> ${label}（关键词写 * 列出全部）`,
      NO_COPY,
    ].join("\n"),
  });
}

/**
 * The approval card's facts (its own card, not a content card with an empty 平台 and 计划发布 未定): who asks,
 * for which scope, why, whether for an outside party, and who approves next.
 */
export function requestFacts(d: Services, itemId: number, steps: Step[]): string {
  // The request's own lines (申请人, 范围, 事由, 性质) are its body, written when it was submitted: the
  // card is rendered in the same transaction, before the archive_requests row exists.
  const lines = latestRevision(d.db, itemId).body.split("\n");
  const pending = steps.find((s) => s.status === "pending");
  const waiting = steps.filter((s) => s.status === "waiting").map((s) => roleLabel(s.role));
  const next = pending
    ? `待 ${roleLabel(pending.role)} 审批${waiting.length ? `，之后 ${waiting.join("、")}` : ""}`
    : "审批已结束";
  return [...lines.slice(0, -1), `审批：${next}`, ...lines.slice(-1)].join("\n");
}
