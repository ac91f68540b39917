import { and, eq, gt, isNotNull, isNull, lt } from "drizzle-orm";
import { accounts, contentItems, livePlans, reviewSteps, tickets } from "../../store/schema/index.ts";
import { dataBreaches } from "../metrics/duties.ts";
import { platformLabel, roleLabel } from "../people/catalog.ts";
import type { ReviewDeps } from "../review/deps.ts";
import { formatShort } from "../time.ts";

export interface Breach {
  /** One line describing the item. */
  text: string;
  /** People answerable for it (@-mentioned in the digest). */
  owners: number[];
}

export interface BreachGroup {
  rule: string;
  label: string;
  items: Breach[];
}

/** Every open breach, grouped by rule (SPEC §6 digest). Crises are added by the crisis module. */
export function openBreaches(d: ReviewDeps, now: number): BreachGroup[] {
  const steps = d.db
    .select({ step: reviewSteps, title: contentItems.title, authorId: contentItems.authorId })
    .from(reviewSteps)
    .innerJoin(contentItems, eq(contentItems.id, reviewSteps.itemId))
    .where(and(eq(reviewSteps.status, "pending"), isNotNull(reviewSteps.breachedAt)))
    .orderBy(reviewSteps.openedAt)
    .all();
  const review: Breach[] = steps.map((r) => ({
    text: `#${r.step.itemId}《${r.title}》${r.step.label}（${roleLabel(r.step.role)}）自 ${formatShort(r.step.openedAt ?? 0, d.tz)} 等待`,
    owners: d.people.holders(r.step.role).filter((p) => p !== r.authorId),
  }));

  const late = d.db
    .select()
    .from(tickets)
    .where(and(eq(tickets.status, "open"), isNotNull(tickets.breachedAt)))
    .orderBy(tickets.dueAt)
    .all();
  const ticketItems: Breach[] = late.map((t) => ({
    text: `T-${t.id} ${t.text.slice(0, 24)}${t.text.length > 24 ? "…" : ""}（截止 ${formatShort(t.dueAt ?? 0, d.tz)}）`,
    owners: t.ownerId !== null ? [t.ownerId] : d.people.holders("cs"),
  }));

  const lives = d.db
    .select()
    .from(livePlans)
    .where(and(isNotNull(livePlans.breachedAt), isNull(livePlans.previewItemId), gt(livePlans.startsAt, now)))
    .all();
  const liveItems: Breach[] = lives.map((l) => ({
    text: `L-${l.id} ${platformLabel(l.platform)}直播「${l.topic}」${formatShort(l.startsAt, d.tz)}，预告未发布`,
    owners: [l.ownerId],
  }));

  const rotation = d.policy.durationMs("account.rotation");
  const stale = d.db
    .select()
    .from(accounts)
    .where(lt(accounts.rotatedAt, now - rotation))
    .all();
  const accountItems: Breach[] = stale.map((a) => ({
    text: `${platformLabel(a.platform)}账号「${a.name}」上次更换密码 ${formatShort(a.rotatedAt, d.tz)}`,
    owners: [a.ownerId],
  }));

  return [
    { rule: "review.step.breach", label: "审核超时", items: review },
    { rule: "ticket.response", label: "工单首次响应超时", items: ticketItems },
    { rule: "live.preview.lead", label: "直播预告未按时发布", items: liveItems },
    { rule: "account.rotation", label: "账号密码未按期更换", items: accountItems },
    { rule: "metric.after.publish.breach", label: "发布后数据未登记", items: dataBreaches(d) },
  ].filter((g) => g.items.length > 0);
}
