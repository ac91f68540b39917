import { and, asc, eq, isNotNull } from "drizzle-orm";
import { contentItems, reviewSteps } from "../../store/schema/index.ts";
import { roleLabel } from "../people/catalog.ts";
import type { BreachProvider } from "../registry.ts";
import { breachGroup, holderCache } from "../sla/breach-group.ts";
import { formatShort } from "../time.ts";

/** Review steps past their deadline and still waiting, oldest first; owed by the step's role holders. */
export const reviewBreaches: BreachProvider = (d, _now, take) => {
  const holdersOf = holderCache((role) => d.people.holders(role));
  const where = and(eq(reviewSteps.status, "pending"), isNotNull(reviewSteps.breachedAt));
  const steps = d.db
    .select({ step: reviewSteps, title: contentItems.title, authorId: contentItems.authorId })
    .from(reviewSteps)
    .innerJoin(contentItems, eq(contentItems.id, reviewSteps.itemId))
    .where(where)
    .orderBy(asc(reviewSteps.openedAt), asc(reviewSteps.id))
    .limit(take)
    .all();
  const items = steps.map((r) => ({
    text: `#${r.step.itemId}《${r.title}》${r.step.label}（${roleLabel(r.step.role)}）自 ${formatShort(r.step.openedAt ?? 0, d.tz)} 等待`,
    owners: holdersOf(r.step.role).filter((p) => p !== r.authorId),
  }));
  return breachGroup(d.db, take, {
    rule: "review.step.breach",
    label: "审核超时",
    items,
    table: reviewSteps,
    where,
  });
};
