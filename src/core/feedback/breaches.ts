import { and, asc, eq, isNotNull } from "drizzle-orm";
import { tickets } from "../../store/schema/index.ts";
import type { BreachProvider } from "../registry.ts";
import { breachGroup } from "../sla/breach-group.ts";
import { formatShort } from "../time.ts";

/** Tickets past their first-response deadline, earliest deadline first; owed by the owner, else 客服. */
export const ticketBreaches: BreachProvider = (d, _now, take) => {
  const where = and(eq(tickets.status, "open"), isNotNull(tickets.breachedAt));
  const late = d.db
    .select({ id: tickets.id, text: tickets.text, dueAt: tickets.dueAt, ownerId: tickets.ownerId })
    .from(tickets)
    .where(where)
    .orderBy(asc(tickets.dueAt), asc(tickets.id))
    .limit(take)
    .all();
  const cs = d.people.holders("cs");
  const items = late.map((t) => ({
    text: `T-${t.id} ${t.text.slice(0, 24)}${t.text.length > 24 ? "…" : ""}（截止 ${formatShort(t.dueAt ?? 0, d.tz)}）`,
    owners: t.ownerId !== null ? [t.ownerId] : cs,
  }));
  return breachGroup(d.db, take, {
    rule: "ticket.response",
    label: "工单首次响应超时",
    items,
    table: tickets,
    where,
  });
};
