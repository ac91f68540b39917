/**
 * One incident, one crisis. Repeated reports of the same incident (three customers writing about the
 * same injury at 城东店) must not open three crises: a suggestion about a store that already has an open
 * crisis joins it — its tickets, the customers' own words, go into the crisis's timeline — and a 疑似危机
 * card is decided once (定为N级, 并入, or 忽略), whoever taps second being told who decided what.
 *
 * "Same incident" is "same store, crisis not yet closed": a store rarely has two unrelated crises at
 * once, and a responder who disagrees can still open a separate one with /crisis.
 */
import { and, desc, eq, ne } from "drizzle-orm";
import {
  crises,
  crisisSuggestionDecisions,
  crisisSuggestions,
  crisisTickets,
  tickets,
} from "../../store/schema/index.ts";
import type { Ticket } from "../feedback/deps.ts";
import { ticketNo } from "../feedback/deps.ts";
import { storeName as storeNameIn } from "../people/stores.ts";
import type { Services } from "../services.ts";
import { formatShort } from "../time.ts";
import { crisisNo, TIER_LABEL, type Tier } from "./model.ts";
import { addEvent, type Crisis } from "./repo.ts";

export type Decision = "opened" | "attached" | "ignored";

/** The newest crisis of this store that is not closed. */
export function openCrisisOfStore(d: Services, store: string): Crisis | undefined {
  if (!store) return undefined;
  return d.db
    .select()
    .from(crises)
    .where(and(eq(crises.store, store), ne(crises.stage, "closed")))
    .orderBy(desc(crises.id))
    .get() as Crisis | undefined;
}

export function storeName(d: Services, storeId: number | null): string {
  return storeNameIn(d.db, storeId) ?? "";
}

/** "T-2（小王 · 11-16 10:05）：有顾客在密室里摔倒受伤了" — a customer's words as reported, whole. */
export function ticketWords(d: Services, t: Ticket): string {
  return `${ticketNo(t.id)}（${d.people.name(t.reporterId)} · ${formatShort(t.createdAt, d.tz)}）：${t.text}`;
}

/** The crisis's description when opened from a suggestion: the summary, then every ticket's words. */
export function describeWithWords(d: Services, summary: string, ts: Ticket[]): string {
  if (ts.length === 0) return summary;
  const oldestFirst = [...ts].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  return [summary, "顾客原话：", ...oldestFirst.map((t) => ticketWords(d, t))].join("\n");
}

/**
 * Links tickets to a crisis; each one not linked before gets a timeline line with its words. `quiet`
 * tickets are linked without a line (their words are already in the report line of a new crisis).
 */
export function attachTickets(
  d: Services,
  crisisId: number,
  ts: Ticket[],
  actorId: number | null,
  quiet = false,
): Ticket[] {
  const now = d.clock.now();
  const added: Ticket[] = [];
  for (const t of [...ts].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)) {
    const res = d.db
      .insert(crisisTickets)
      .values({ crisisId, ticketId: t.id, at: now })
      .onConflictDoNothing()
      .run();
    if (res.changes !== 1) continue;
    added.push(t);
    if (!quiet) {
      addEvent(d.db, { crisisId, type: "ticket", actorId, detail: `并入工单 ${ticketWords(d, t)}`, at: now });
    }
  }
  return added;
}

export function ticketsOfCrisis(d: Services, crisisId: number): Ticket[] {
  return d.db
    .select({ t: tickets })
    .from(crisisTickets)
    .innerJoin(tickets, eq(tickets.id, crisisTickets.ticketId))
    .where(eq(crisisTickets.crisisId, crisisId))
    .orderBy(tickets.createdAt, tickets.id)
    .all()
    .map((r) => r.t as Ticket);
}

/**
 * Decides a suggestion once: only while it is still open (the guard in the same transaction), so of
 * two taps at once exactly one decides. False when someone else was first.
 */
export function decide(
  d: Services,
  suggestionId: number,
  decision: Decision,
  actorId: number | null,
  crisisId: number | null,
): boolean {
  const res = d.db
    .update(crisisSuggestions)
    .set({ status: decision })
    .where(and(eq(crisisSuggestions.id, suggestionId), eq(crisisSuggestions.status, "open")))
    .run();
  if (res.changes !== 1) return false;
  d.db
    .insert(crisisSuggestionDecisions)
    .values({ suggestionId, decision, decidedBy: actorId, decidedAt: d.clock.now(), crisisId })
    .run();
  return true;
}

/** The crisis a decided suggestion went to (opened or attached), if any. */
export function crisisOfSuggestion(d: Services, suggestionId: number): number | undefined {
  const row = d.db
    .select()
    .from(crisisSuggestionDecisions)
    .where(eq(crisisSuggestionDecisions.suggestionId, suggestionId))
    .get();
  return row?.crisisId ?? undefined;
}

/** Sets the crisis a decision led to (the crisis is opened after the decision claimed the card). */
export function recordCrisis(d: Services, suggestionId: number, crisisId: number): void {
  d.db
    .update(crisisSuggestionDecisions)
    .set({ crisisId })
    .where(eq(crisisSuggestionDecisions.suggestionId, suggestionId))
    .run();
}

/** "已由 张总 于 11-16 10:05 标记为忽略" — what the one who came second is told; undefined while open. */
export function decisionText(d: Services, suggestionId: number): string | undefined {
  const row = d.db
    .select()
    .from(crisisSuggestionDecisions)
    .where(eq(crisisSuggestionDecisions.suggestionId, suggestionId))
    .get();
  if (!row) return undefined;
  const who = row.decidedBy ? `由 ${d.people.name(row.decidedBy)} ` : "由机器人";
  const when = `于 ${formatShort(row.decidedAt, d.tz)} `;
  const crisis = row.crisisId
    ? (d.db.select().from(crises).where(eq(crises.id, row.crisisId)).get() as Crisis | undefined)
    : undefined;
  const no = crisis ? crisisNo(crisis.id) : "";
  if (row.decision === "ignored") return `已${who}${when}标记为忽略`;
  if (row.decision === "attached") return `已${who}${when}并入进行中的危机 ${no}`;
  const tier = crisis ? TIER_LABEL[crisis.tier as Tier] : "";
  return `已${who}${when}定为${tier}危机 ${no}`;
}
