import { and, eq, ne } from "drizzle-orm";
import { auditLog, crisisSuggestions } from "../../store/schema/index.ts";
import type { CardActionContext } from "../commands/card-actions.ts";
import { parseItemNo } from "../commands/parse.ts";
import type { Core } from "../core.ts";
import { suggestionCard, suggestionCardRef } from "../feedback/suggest.ts";
import { type CardAnswer, type CardView, UserError } from "../types.ts";
import { openCrisis } from "./lifecycle.ts";
import { crisisNo, isTier, TIER_LABEL } from "./model.ts";
import { type Crisis, crisisOfTicket, requireResponder } from "./repo.ts";

/**
 * The 疑似危机 card's buttons (the card is feedback's, SPEC §4): 定为N级 opens C-n with the card's summary,
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
  core: Core,
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
  const card = suggestionCard(core.reviewDeps, s.suggestion, outcome);
  core.outbound.updateCards(suggestionCardRef(s.suggestion), card, clicked);
  return card;
}

function alreadyOpened(core: Core, s: SuggestionValue): Crisis | undefined {
  if (s.ticket === undefined) return undefined;
  return crisisOfTicket(core.db, s.ticket);
}

function fromSuggestion({ core, actor, action }: CardActionContext): CardAnswer {
  const s = read(action.value);
  if (!isTier(s.tier) || !s.summary) throw new UserError("卡片数据无效");
  requireResponder(core, actor, undefined, "为疑似危机定级");
  const claimed =
    s.suggestion === undefined ||
    core.db
      .update(crisisSuggestions)
      .set({ status: "opened" })
      .where(and(eq(crisisSuggestions.id, s.suggestion), ne(crisisSuggestions.status, "opened")))
      .run().changes === 1;
  const existing = alreadyOpened(core, s);
  if (!claimed || (existing && existing.stage !== "closed")) {
    const no = existing ? crisisNo(existing.id) : "危机";
    const outcome = `已定为${existing ? TIER_LABEL[existing.tier] : ""}${no}`;
    return {
      toast: { type: "info", content: `这条疑似危机${outcome}` },
      card: answerCard(core, s, outcome, action.messageId, "red"),
    };
  }
  const { crisis } = openCrisis(core, {
    tier: s.tier,
    description: s.summary,
    reporterId: actor.personId,
    source: "suggestion",
    ...(s.ticket !== undefined ? { ticketId: s.ticket } : {}),
    ...(s.store ? { store: s.store } : {}),
  });
  const no = crisisNo(crisis.id);
  const outcome = `已由 ${actor.name} 定为${TIER_LABEL[s.tier]}危机 ${no}，已呼叫危机小组`;
  return {
    toast: { type: "success", content: `已上报 ${no}` },
    card: answerCard(core, s, outcome, action.messageId, "red"),
  };
}

function ignoreSuggestion({ core, actor, action, now }: CardActionContext): CardAnswer {
  const s = read(action.value);
  requireResponder(core, actor, undefined, "处理疑似危机");
  if (s.suggestion !== undefined) {
    const res = core.db
      .update(crisisSuggestions)
      .set({ status: "ignored" })
      .where(and(eq(crisisSuggestions.id, s.suggestion), eq(crisisSuggestions.status, "open")))
      .run();
    if (res.changes !== 1) {
      const existing = alreadyOpened(core, s);
      if (existing) throw new UserError(`这条疑似危机已定为 ${crisisNo(existing.id)}`);
      // A suggestion that does not exist was "ignored" and put on record (found by test/fuzz).
      const row = core.db
        .select()
        .from(crisisSuggestions)
        .where(eq(crisisSuggestions.id, s.suggestion))
        .get();
      if (!row) throw new UserError("这张卡片已失效");
    }
  } else if (!s.summary) {
    // Cards without a suggestion id still name what they were about; a value with neither is not a card's.
    throw new UserError("卡片数据无效");
  }
  core.db
    .insert(auditLog)
    .values({ actorId: actor.personId, action: "crisis.suggestion.ignored", detail: { ...s }, at: now })
    .run();
  const outcome = `已由 ${actor.name} 标记为忽略`;
  return {
    toast: { type: "info", content: "已忽略" },
    card: answerCard(core, s, outcome, action.messageId, "grey"),
  };
}

export function registerSuggestionActions(core: Core): void {
  core.cardActions.on("crisis.fromSuggestion", fromSuggestion);
  core.cardActions.on("crisis.ignoreSuggestion", ignoreSuggestion);
}
