import { and, eq } from "drizzle-orm";
import { auditLog, crisisSuggestions, stores, tickets } from "../../store/schema/index.ts";
import type { CardActionContext } from "../commands/card-actions.ts";
import { parseItemNo } from "../commands/parse.ts";
import type { Actor } from "../commands/registry.ts";
import { suggestionCard, suggestionCardRef, suggestionTickets } from "../feedback/suggest.ts";
import type { Ticket } from "../feedback/tickets.ts";
import type { Registry } from "../registry.ts";
import type { Services } from "../services.ts";
import { type CardAnswer, type CardView, UserError } from "../types.ts";
import {
  attachTickets,
  crisisOfSuggestion,
  decide,
  decisionText,
  describeWithWords,
  openCrisisOfStore,
  recordCrisis,
} from "./incident.ts";
import { openCrisis } from "./lifecycle.ts";
import { crisisNo, isTier, TIER_LABEL } from "./model.ts";
import { type Crisis, crisisOfTicket, requireResponder } from "./repo.ts";

/**
 * The 疑似危机 card's buttons (the card is feedback's, docs/feedback.md): 定为N级 opens C-n with the card's summary,
 * 忽略 greys it out. Only responders decide; the suggestion row's status is the guard, so two taps (or
 * two copies of the card in two groups) open one crisis.
 */

interface SuggestionValue {
  tier: unknown;
  ticket: number | undefined;
  store: string;
  summary: string;
  suggestion: number | undefined;
}

function read(v: Record<string, unknown>): SuggestionValue {
  const num = (x: unknown) =>
    typeof x === "number" ? x : parseItemNo(typeof x === "string" ? x : undefined, "T");
  return {
    tier: Number(v.tier),
    ticket: num(v.ticket),
    store: typeof v.store === "string" ? v.store : "",
    summary: typeof v.summary === "string" ? v.summary.trim() : "",
    suggestion: typeof v.suggestion === "number" ? v.suggestion : undefined,
  };
}

/** The suggestion card with its outcome in place of the buttons, on every copy; a notice without an id. */
function answerCard(
  services: Services,
  s: SuggestionValue,
  outcome: string,
  clicked: string,
  color: string,
): CardView {
  if (s.suggestion === undefined) {
    return {
      template: "notice",
      data: { title: `疑似危机 · ${s.store || "未指定门店"}`, color, text: outcome },
    };
  }
  const card = suggestionCard(services, s.suggestion, outcome);
  services.outbound.updateCards(suggestionCardRef(s.suggestion), card, clicked);
  return card;
}

function alreadyOpened(services: Services, s: SuggestionValue): Crisis | undefined {
  if (s.ticket === undefined) return undefined;
  return crisisOfTicket(services.db, s.ticket);
}

/** Someone else decided this card first: say who and what, and show the card as it is now. */
function secondTap(services: Services, suggestionId: number): CardAnswer {
  const text = decisionText(services, suggestionId) ?? "已处理";
  const crisisId = crisisOfSuggestion(services, suggestionId);
  const card = suggestionCard(services, suggestionId, text);
  return {
    toast: { type: crisisId ? "info" : "warning", content: `这条疑似危机${text}` },
    card: { ...card, data: { ...card.data, headerColor: crisisId ? "red" : "grey" } },
  };
}

/** The tickets of a suggestion card (the card's own value when it has no suggestion id). */
function ticketsOf(services: Services, s: SuggestionValue): Ticket[] {
  const d = services;
  if (s.suggestion !== undefined) {
    const row = d.db.select().from(crisisSuggestions).where(eq(crisisSuggestions.id, s.suggestion)).get();
    if (row) return suggestionTickets(d, row);
  }
  if (s.ticket === undefined) return [];
  const t = d.db.select().from(tickets).where(eq(tickets.id, s.ticket)).get();
  return t ? [t as Ticket] : [];
}

/**
 * Other cards still open for the same store (reports that came in before anyone decided): they are the
 * same incident, so they join the crisis too and their cards say so.
 */
function absorbSiblings(services: Services, actor: Actor, crisis: Crisis, except: number | undefined): void {
  const d = services;
  const storeId = services.db
    .select()
    .from(stores)
    .where(eq(stores.name, crisis.store ?? ""))
    .get()?.id;
  if (storeId === undefined) return;
  const open = services.db
    .select()
    .from(crisisSuggestions)
    .where(and(eq(crisisSuggestions.storeId, storeId), eq(crisisSuggestions.status, "open")))
    .all()
    .filter((x) => x.id !== except);
  for (const sib of open) {
    if (!decide(d, sib.id, "attached", actor.personId, crisis.id)) continue;
    attachTickets(d, crisis.id, suggestionTickets(d, sib), actor.personId);
    const outcome = decisionText(d, sib.id) ?? "";
    services.outbound.updateCards(suggestionCardRef(sib.id), suggestionCard(d, sib.id, outcome));
  }
}

function fromSuggestion({ services, actor, action }: CardActionContext): CardAnswer {
  const s = read(action.value);
  if (!isTier(s.tier) || !s.summary) throw new UserError("卡片数据无效");
  requireResponder(services, actor, undefined, "为疑似危机定级");
  const d = services;
  const words = ticketsOf(services, s);
  // The store already has an open crisis: this is the same incident, its tickets join that crisis.
  const existing = openCrisisOfStore(d, s.store);
  if (s.suggestion !== undefined) {
    const decision = existing ? "attached" : "opened";
    if (!decide(d, s.suggestion, decision, actor.personId, existing?.id ?? null)) {
      return secondTap(services, s.suggestion);
    }
  } else {
    // A card without a suggestion id: its ticket is the guard (one crisis per ticket).
    const before = alreadyOpened(services, s);
    if (before && before.stage !== "closed") {
      const outcome = `已定为${TIER_LABEL[before.tier]}${crisisNo(before.id)}`;
      return {
        toast: { type: "info", content: `这条疑似危机${outcome}` },
        card: answerCard(services, s, outcome, action.messageId, "red"),
      };
    }
  }
  if (existing) {
    const added = attachTickets(d, existing.id, words, actor.personId);
    const no = crisisNo(existing.id);
    services.outbound.toGroups("crisis", {
      type: "text",
      text: `🔗 ${s.store}的疑似危机已由 ${actor.name} 并入进行中的 ${no}（${TIER_LABEL[existing.tier]}），新增工单 ${added.length} 条，见 /crisis show ${no}`,
    });
    absorbSiblings(services, actor, existing, s.suggestion);
    const outcome = `已由 ${actor.name} 并入进行中的危机 ${no}`;
    return {
      toast: { type: "success", content: `已并入 ${no}` },
      card: answerCard(services, s, outcome, action.messageId, "red"),
    };
  }
  const { crisis } = openCrisis(services, {
    tier: s.tier,
    description: describeWithWords(d, s.summary, words),
    reporterId: actor.personId,
    source: "suggestion",
    ...(s.ticket !== undefined ? { ticketId: s.ticket } : {}),
    ...(s.store ? { store: s.store } : {}),
  });
  // Their words are in the report line already: linked without a second timeline line each.
  attachTickets(d, crisis.id, words, actor.personId, true);
  if (s.suggestion !== undefined) recordCrisis(d, s.suggestion, crisis.id);
  absorbSiblings(services, actor, crisis, s.suggestion);
  const no = crisisNo(crisis.id);
  const outcome = `已由 ${actor.name} 定为${TIER_LABEL[s.tier]}危机 ${no}，已呼叫危机小组`;
  return {
    toast: { type: "success", content: `已上报 ${no}` },
    card: answerCard(services, s, outcome, action.messageId, "red"),
  };
}

function ignoreSuggestion({ services, actor, action, now }: CardActionContext): CardAnswer {
  const s = read(action.value);
  requireResponder(services, actor, undefined, "处理疑似危机");
  if (s.suggestion !== undefined) {
    const row = services.db
      .select()
      .from(crisisSuggestions)
      .where(eq(crisisSuggestions.id, s.suggestion))
      .get();
    // A suggestion that does not exist was "ignored" and put on record (found by test/fuzz).
    if (!row) throw new UserError("这张卡片已失效");
    if (!decide(services, s.suggestion, "ignored", actor.personId, null)) {
      return secondTap(services, s.suggestion);
    }
  } else if (!s.summary) {
    // Cards without a suggestion id still name what they were about; a value with neither is not a card's.
    throw new UserError("卡片数据无效");
  } else {
    const existing = alreadyOpened(services, s);
    if (existing) throw new UserError(`这条疑似危机已定为 ${crisisNo(existing.id)}`);
  }
  services.db
    .insert(auditLog)
    .values({ actorId: actor.personId, action: "crisis.suggestion.ignored", detail: { ...s }, at: now })
    .run();
  const outcome = `已由 ${actor.name} 标记为忽略`;
  return {
    toast: { type: "info", content: "已忽略" },
    card: answerCard(services, s, outcome, action.messageId, "grey"),
  };
}

export function registerSuggestionActions(r: Registry): void {
  r.cardAction("crisis.fromSuggestion", fromSuggestion);
  r.cardAction("crisis.ignoreSuggestion", ignoreSuggestion);
}
