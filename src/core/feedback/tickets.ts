import { and, asc, eq, inArray } from "drizzle-orm";
import { ticketEvents, tickets } from "../../store/schema/index.ts";
import { storeName } from "../people/stores.ts";
import type { Services } from "../services.ts";
import { formatDateTime } from "../time.ts";
import { type Platform, UserError } from "../types.ts";
import { classifyFeedback } from "./classify.ts";
import { SENTIMENT_LABEL, TIMER_TICKET_BREACH, type Ticket, ticketCardRef, ticketNo } from "./deps.ts";
import { suggestCrisis } from "./suggest.ts";
import { ticketCard } from "./views.ts";

export type { Ticket };

export interface Intake {
  text: string;
  storeId: number | null;
  reporterId: number;
  platform: Platform;
  chatId: string | null;
}

/**
 * Feedback tickets (seeds/000 第九条(二); docs/feedback.md): every piece of store feedback becomes `T-n` with sentiment, category and
 * source; negative and neutral ones owe the customer a first response by a deadline, positive ones are
 * kept as 好评素材. All in the caller's transaction.
 */
export class TicketService {
  constructor(private readonly d: Services) {}

  open(x: Intake): { ticket: Ticket; reply: string } {
    const text = x.text.trim();
    if (!text) throw new UserError("用法：/feedback [门店] <反馈内容>");
    const now = this.d.clock.now();
    // 中评/3星: the rule feedback.rating.mid says whether customer service follows it up as a complaint.
    const mid = this.d.policy.get("feedback.rating.mid") === "中性" ? "neutral" : "negative";
    const c = classifyFeedback(text, { midRating: mid });
    const positive = c.sentiment === "positive" && c.severe.length === 0;
    const rule = c.source?.responseRule ?? "ticket.response";
    const dueAt = positive ? null : now + this.d.policy.durationMs(rule);
    const ticket = this.d.db
      .insert(tickets)
      .values({
        storeId: x.storeId,
        text,
        sentiment: c.sentiment,
        reasons: c.reasons,
        category: c.category,
        source: c.source?.key ?? null,
        severe: c.severe,
        tags: positive ? ["好评素材"] : [],
        reporterId: x.reporterId,
        platform: x.platform,
        chatId: x.chatId,
        status: positive ? "material" : "open",
        createdAt: now,
        dueAt,
      })
      .returning()
      .get();
    this.event(ticket.id, "open", x.reporterId);
    if (dueAt !== null) {
      this.d.timers.schedule(TIMER_TICKET_BREACH, String(ticket.id), dueAt, { rule, basis: now });
    }
    if (c.sentiment === "negative" || c.severe.length > 0) this.routeToCs(ticket);
    suggestCrisis(this.d, ticket);
    const store = this.storeName(ticket.storeId);
    const due = dueAt === null ? "已标记为好评素材" : `首次响应截止 ${formatDateTime(dueAt, this.d.tz)}`;
    const reply = `已登记 ${ticketNo(ticket.id)}｜${store ?? "未指定门店"}｜${SENTIMENT_LABEL[c.sentiment]}｜${c.category}｜${due}`;
    return { ticket, reply };
  }

  /** Negative tickets go to customer service as a card: into every `cs` group, else to each `cs` holder. */
  private routeToCs(ticket: Ticket): void {
    const card = ticketCard(this.d, ticket.id);
    const ref = ticketCardRef(ticket.id);
    if (this.d.outbound.toGroups("cs", { type: "card", card }, { cardRef: ref }) > 0) return;
    const holders = this.d.people.holders("cs");
    for (const p of holders) this.d.outbound.toPerson(p, { type: "card", card }, { cardRef: ref });
    if (holders.length === 0) {
      this.d.outbound.toAdmins({
        type: "text",
        text: `⚠️ 差评工单 ${ticketNo(ticket.id)} 无人接收：请绑定客服群（/bind cs）或设置客服角色`,
      });
    }
  }

  get(id: number): Ticket {
    const t = this.d.db.select().from(tickets).where(eq(tickets.id, id)).get();
    if (!t) throw new UserError(`没有工单 ${ticketNo(id)}`);
    return t;
  }

  /** Closes a ticket with what was done (the first response). Only open tickets. */
  close(id: number, actorId: number, note: string, clickedMessageId?: string): Ticket {
    if (!note.trim()) throw new UserError(`处理 ${ticketNo(id)} 需要填写处理说明`);
    const t = this.get(id);
    this.requireHandler(actorId, t);
    const now = this.d.clock.now();
    const res = this.d.db
      .update(tickets)
      .set({ status: "done", closedAt: now, closedBy: actorId, note: note.trim() })
      .where(and(eq(tickets.id, id), eq(tickets.status, "open")))
      .run();
    if (res.changes !== 1)
      throw new UserError(
        `${ticketNo(id)} 已处理或无需处理（状态：${t.status === "material" ? "好评素材" : "已处理"}）`,
      );
    this.d.timers.cancel(TIMER_TICKET_BREACH, String(id));
    this.event(id, "done", actorId, note.trim());
    this.d.outbound.updateCards(ticketCardRef(id), ticketCard(this.d, id), clickedMessageId);
    return this.get(id);
  }

  transfer(id: number, actorId: number, toPersonId: number, clickedMessageId?: string): Ticket {
    const t = this.get(id);
    this.requireHandler(actorId, t);
    if (t.status !== "open") throw new UserError(`${ticketNo(id)} 已处理，无需转交`);
    this.d.db.update(tickets).set({ ownerId: toPersonId }).where(eq(tickets.id, id)).run();
    this.event(id, "transfer", actorId, this.d.people.name(toPersonId));
    const card = ticketCard(this.d, id);
    this.d.outbound.updateCards(ticketCardRef(id), card, clickedMessageId);
    this.d.outbound.toPerson(toPersonId, { type: "card", card }, { cardRef: ticketCardRef(id) });
    return this.get(id);
  }

  /** Customer service, ops leads, the marketing head, the owner or an admin handle tickets. */
  private requireHandler(actorId: number, t: Ticket): void {
    if (t.ownerId === actorId || this.d.people.isAdmin(actorId)) return;
    const roles = this.d.people.rolesOf(actorId);
    if (roles.some((r) => r === "cs" || r === "ops" || r === "ops_lead" || r === "marketing_head")) return;
    throw new UserError(`只有客服、运营或工单负责人可以处理 ${ticketNo(t.id)}`);
  }

  listOpen(): Ticket[] {
    return this.d.db
      .select()
      .from(tickets)
      .where(inArray(tickets.status, ["open"]))
      .orderBy(asc(tickets.dueAt))
      .all();
  }

  storeName(storeId: number | null): string | undefined {
    return storeName(this.d.db, storeId);
  }

  private event(ticketId: number, type: string, actorId: number | null, note?: string): void {
    this.d.db
      .insert(ticketEvents)
      .values({ ticketId, type, actorId, note: note ?? null, at: this.d.clock.now() })
      .run();
  }
}
