import { and, desc, eq, gte, lte } from "drizzle-orm";
import { crisisSuggestions, tickets } from "../../store/schema/index.ts";
import { attachTickets, decide, openCrisisOfStore, storeName } from "../crisis/incident.ts";
import { crisisNo } from "../crisis/model.ts";
import { storeName as storeNameOf } from "../people/stores.ts";
import type { Services } from "../services.ts";
import type { CardView } from "../types.ts";
import type { Ticket } from "./deps.ts";
import { ticketNo } from "./deps.ts";

export const suggestionCardRef = (id: number) => `crisis-suggestion:${id}`;
const TIERS = [
  { tier: 1, label: "定为一级", type: "default" },
  { tier: 2, label: "定为二级", type: "primary" },
  { tier: 3, label: "定为三级", type: "danger" },
] as const;

/**
 * 疑似危机 (docs/feedback.md): a severe term in any ticket, or `crisis.suggest.count` negative tickets for one store
 * within `crisis.suggest.window`, posts a card to the crisis group. One burst of complaints posts once:
 * a store with a suggestion inside the window gets no second card unless a severe term appears.
 */
export function suggestCrisis(d: Services, ticket: Ticket): void {
  const now = d.clock.now();
  const windowStart = now - d.policy.durationMs("crisis.suggest.window");
  let reason: string | undefined;
  if (ticket.severe.length > 0) {
    reason = `出现严重情况：${ticket.severe.join("、")}`;
  } else if (ticket.sentiment === "negative" && ticket.storeId !== null) {
    const related = d.db
      .select()
      .from(tickets)
      .where(
        and(
          eq(tickets.storeId, ticket.storeId),
          eq(tickets.sentiment, "negative"),
          gte(tickets.createdAt, windowStart),
        ),
      )
      .orderBy(desc(tickets.createdAt))
      .all();
    const already = d.db
      .select({ id: crisisSuggestions.id })
      .from(crisisSuggestions)
      .where(
        and(eq(crisisSuggestions.storeId, ticket.storeId), gte(crisisSuggestions.createdAt, windowStart)),
      )
      .get();
    if (related.length >= d.policy.count("crisis.suggest.count") && !already) {
      reason = `${related.length} 条差评（${d.policy.get("crisis.suggest.window")} 内）`;
    }
  }
  if (!reason) return;
  // The store already has an open crisis: the same incident, reported again. The ticket joins that
  // crisis (its words in the timeline) instead of asking the crisis group to decide once more.
  const ongoing = openCrisisOfStore(d, storeName(d, ticket.storeId));
  if (ongoing) {
    const row = d.db
      .insert(crisisSuggestions)
      .values({ storeId: ticket.storeId, ticketId: ticket.id, reason, createdAt: now, status: "open" })
      .returning()
      .get();
    decide(d, row.id, "attached", null, ongoing.id);
    attachTickets(d, ongoing.id, [ticket], null);
    const no = crisisNo(ongoing.id);
    d.outbound.toGroups("crisis", {
      type: "text",
      text: `🔗 ${storeName(d, ticket.storeId)}又有反馈 ${ticketNo(ticket.id)}（${reason}），已并入进行中的 ${no}：${
        ticket.text.length > 60 ? `${ticket.text.slice(0, 60)}…` : ticket.text
      }\n全文与时间线：/crisis show ${no}`,
    });
    return;
  }
  const row = d.db
    .insert(crisisSuggestions)
    .values({ storeId: ticket.storeId, ticketId: ticket.id, reason, createdAt: now, status: "open" })
    .returning()
    .get();
  const card = suggestionCard(d, row.id);
  const posted = d.outbound.toGroups(
    "crisis",
    { type: "card", card },
    { cardRef: suggestionCardRef(row.id) },
  );
  if (posted === 0) {
    for (const p of d.people.holders("crisis")) {
      d.outbound.toPerson(p, { type: "card", card }, { cardRef: suggestionCardRef(row.id) });
    }
  }
}

/**
 * The tickets a suggestion is about: its own, and for a store the negative ones of the window before it
 * (newest first, at most 5) — what the card shows and what a crisis opened from it carries.
 */
export function suggestionTickets(
  d: Services,
  s: { storeId: number | null; ticketId: number; createdAt: number },
): Ticket[] {
  const since = s.createdAt - d.policy.durationMs("crisis.suggest.window");
  return d.db
    .select()
    .from(tickets)
    .where(
      s.storeId === null
        ? eq(tickets.id, s.ticketId)
        : and(
            eq(tickets.storeId, s.storeId),
            gte(tickets.createdAt, since),
            lte(tickets.createdAt, s.createdAt),
          ),
    )
    .orderBy(desc(tickets.createdAt))
    .limit(5)
    .all()
    .filter((t) => t.sentiment === "negative" || t.id === s.ticketId) as Ticket[];
}

/** The 疑似危机 card; `outcome` replaces the buttons once someone chose. */
export function suggestionCard(d: Services, suggestionId: number, outcome = ""): CardView {
  const s = d.db.select().from(crisisSuggestions).where(eq(crisisSuggestions.id, suggestionId)).get();
  if (!s) throw new Error(`suggestion ${suggestionId} missing`);
  const store = storeNameOf(d.db, s.storeId);
  const recent = suggestionTickets(d, s);
  const summary = `${store ?? "门店"}疑似危机：${s.reason}`;
  const base = { ticket: s.ticketId, store: store ?? "", summary, suggestion: s.id };
  return {
    template: "crisis_suggestion",
    more: `发送 /tickets ${ticketNo(s.ticketId)} 查看全文`,
    data: {
      headerTitle: `疑似危机 · ${store ?? "未指定门店"}`,
      headerColor: outcome ? "grey" : "orange",
      summary,
      reason: s.reason,
      details: recent
        .map((t) => `${ticketNo(t.id)}：${t.text.length > 60 ? `${t.text.slice(0, 60)}…` : t.text}`)
        .join("\n"),
      open: !outcome,
      outcome,
      choices: [
        ...TIERS.map((t) => ({
          label: t.label,
          type: t.type,
          value: { a: "crisis.fromSuggestion", tier: t.tier, ...base },
        })),
        { label: "忽略", type: "default", value: { a: "crisis.ignoreSuggestion", ...base } },
      ],
    },
  };
}
